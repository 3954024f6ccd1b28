# libbill: plain-make build.  `make help` lists the targets.
.DEFAULT_GOAL := all

PREFIX     ?= /usr/local
DESTDIR    ?=
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

VERSION_MAJOR := $(shell sed -n 's/^\#define BILL_VERSION_MAJOR \([0-9]*\).*/\1/p' include/bill/common.h)
VERSION_MINOR := $(shell sed -n 's/^\#define BILL_VERSION_MINOR \([0-9]*\).*/\1/p' include/bill/common.h)
VERSION_PATCH := $(shell sed -n 's/^\#define BILL_VERSION_PATCH \([0-9]*\).*/\1/p' include/bill/common.h)
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)
SONAME  := libbill.so.$(VERSION_MAJOR)

CC      ?= cc
PYTHON  ?= /usr/bin/python3
B       := build

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
WERROR  ?=
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
BILL_CFLAGS := -std=c11 $(WARN) $(WERROR) -fvisibility=hidden -fPIC -Iinclude -Ilibbill -DBILL_BUILDING
LDLIBS  := -lgmp -luuid -lsqlite3 -lpthread

SRCS    := $(sort $(wildcard libbill/*.c))
HDRS    := $(wildcard include/*.h include/bill/*.h libbill/*.h)
OBJS    := $(SRCS:libbill/%.c=$(B)/obj/%.o)

TEST_SRCS := $(sort $(wildcard tests/c/*_test.c)) tests/c/tariff_util.c tests/c/store_util.c \
             tests/c/main.c
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all help deps check check-c check-asan check-headers check-exports check-dectest \
        check-fuzz check-python check-java check-examples demo bench bench-store fuzz python java \
        install uninstall clean

all: $(B)/libbill.a $(B)/$(SONAME) $(B)/bill.pc

help:
	@echo "targets: all deps check demo bench bench-store fuzz python java install uninstall clean"

# ---- dependencies ---------------------------------------------------------------
# Installs whatever Debian packages are missing; does nothing when all are there.
deps:
	@sh tools/deps.sh

# ---- the library ----------------------------------------------------------------
$(B)/obj/%.o: libbill/%.c $(HDRS) | $(B)/obj
	$(CC) $(CFLAGS) $(BILL_CFLAGS) -c $< -o $@

$(B)/obj $(B)/tests $(B)/asan $(B)/fuzz $(B)/bench $(B)/examples:
	@mkdir -p $@

$(B)/libbill.a: $(OBJS)
	rm -f $@ && ar rcs $@ $(OBJS)

$(B)/$(SONAME): $(OBJS)
	$(CC) -shared -Wl,-soname,$(SONAME) -o $(B)/libbill.so.$(VERSION) $(OBJS) $(LDLIBS)
	ln -sf libbill.so.$(VERSION) $@
	ln -sf $(SONAME) $(B)/libbill.so

$(B)/bill.pc: bill.pc.in include/bill/common.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

# ---- C tests ----------------------------------------------------------------------
$(B)/tests/unit: $(TEST_SRCS) tests/c/test.h $(B)/libbill.a | $(B)/tests
	$(CC) $(CFLAGS) -std=c11 $(WARN) $(WERROR) -Wno-missing-prototypes -Iinclude -Itests/c \
	    -DBILL_TEST_DATA=\"$(CURDIR)/tests/data\" $(TEST_SRCS) $(B)/libbill.a $(LDLIBS) -o $@

$(B)/asan/unit: $(TEST_SRCS) tests/c/test.h $(SRCS) $(HDRS) | $(B)/asan
	$(CC) -O1 -g $(SAN) -std=c11 $(WARN) $(WERROR) -Wno-missing-prototypes -Iinclude -Ilibbill -Itests/c \
	    -DBILL_TEST_DATA=\"$(CURDIR)/tests/data\" $(TEST_SRCS) $(SRCS) $(LDLIBS) -o $@

$(B)/tests/dectest: tests/c/dectest.c $(B)/libbill.a | $(B)/tests
	$(CC) $(CFLAGS) -std=c11 $(WARN) $(WERROR) -Wno-missing-prototypes -Iinclude $< $(B)/libbill.a $(LDLIBS) -o $@

$(B)/tests/headertest: tests/headertest.c $(HDRS) | $(B)/tests
	$(CC) -std=c99 -pedantic -Werror -Wall -Wextra -Iinclude -c $< -o $@.o && touch $@

check-c: $(B)/tests/unit
	$(B)/tests/unit

check-asan: $(B)/asan/unit
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(B)/asan/unit

DECTEST_DIR ?= /usr/lib/python3.11/test/decimaltestdata
check-dectest: $(B)/tests/dectest
	$(B)/tests/dectest $(DECTEST_DIR)

check-headers: $(B)/tests/headertest

check-exports: $(B)/$(SONAME)
	@nm -D --defined-only $(B)/$(SONAME) | awk '$$2 == "T" {print $$3}' | sort > $(B)/exports.actual
	@sort libbill/exports.txt | diff -u - $(B)/exports.actual \
	    && echo "exports: $$(wc -l < $(B)/exports.actual) symbols match libbill/exports.txt"

# ---- fuzzing ------------------------------------------------------------------------
FUZZERS := $(patsubst fuzz/%_fuzzer.c,%,$(wildcard fuzz/*_fuzzer.c))
FUZZ_TIME ?= 60

$(B)/fuzz/%_replay: fuzz/%_fuzzer.c fuzz/driver.c $(SRCS) $(HDRS) | $(B)/fuzz
	$(CC) -O1 -g $(SAN) -std=c11 -Iinclude -Ilibbill $< fuzz/driver.c $(SRCS) $(LDLIBS) -o $@

check-fuzz: $(FUZZERS:%=$(B)/fuzz/%_replay)
	@for f in $(FUZZERS); do $(B)/fuzz/$${f}_replay fuzz/corpora/$$f || exit 1; done

fuzz: deps | $(B)/fuzz
	@for f in $(FUZZERS); do \
	  clang -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11 -Iinclude -Ilibbill \
	      fuzz/$${f}_fuzzer.c $(SRCS) $(LDLIBS) -o $(B)/fuzz/$${f}_fuzz || exit 1; \
	  mkdir -p $(B)/fuzz/corpus-$$f; \
	  $(B)/fuzz/$${f}_fuzz -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(B)/fuzz/$$f- \
	      $(B)/fuzz/corpus-$$f fuzz/corpora/$$f || exit 1; \
	done

# ---- bindings -----------------------------------------------------------------------
PY_INC  := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
PY_EXT  := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' 2>/dev/null)
SWIG_I  := bindings/bill.i $(wildcard bindings/*.i bindings/python/*.i bindings/java/*.i)

$(B)/python/bill/_bill$(PY_EXT): $(SWIG_I) $(HDRS) $(B)/libbill.a $(wildcard bindings/python/bill/*.py)
	@rm -rf $(B)/python/bill && mkdir -p $(B)/python/bill
	swig -python -Iinclude -outdir $(B)/python/bill -o $(B)/python/bill_wrap.c bindings/bill.i
	$(CC) -O2 -g -fPIC -shared -Wno-missing-field-initializers -Iinclude -I$(PY_INC) \
	    $(B)/python/bill_wrap.c $(B)/libbill.a $(LDLIBS) -o $@
	cp bindings/python/bill/*.py $(B)/python/bill/

python: $(B)/python/bill/_bill$(PY_EXT)

JAVA_HOME ?= $(shell dirname $$(dirname $$(readlink -f $$(which javac))) 2>/dev/null)
JUNIT_JAR := /usr/share/java/junit-platform-console-standalone.jar
JAVA_SRC  := $(shell find bindings/java/src -name '*.java' 2>/dev/null)
JAVA_TESTS := $(shell find tests/java -name '*.java' 2>/dev/null)

$(B)/java/libbilljni.so: $(SWIG_I) $(HDRS) $(B)/libbill.a $(JAVA_SRC)
	@rm -rf $(B)/java/gen $(B)/java/classes && mkdir -p $(B)/java/gen/org/libbill/jni $(B)/java/classes
	swig -java -package org.libbill.jni -Iinclude -outdir $(B)/java/gen/org/libbill/jni \
	    -o $(B)/java/bill_wrap.c bindings/bill.i
	$(CC) -O2 -g -fPIC -shared -fno-strict-aliasing -Iinclude -I$(JAVA_HOME)/include -I$(JAVA_HOME)/include/linux \
	    $(B)/java/bill_wrap.c $(B)/libbill.a $(LDLIBS) -o $@
	javac -encoding UTF-8 -d $(B)/java/classes $$(find $(B)/java/gen -name '*.java') $(JAVA_SRC)
	jar cf $(B)/java/libbill.jar -C $(B)/java/classes .

java: $(B)/java/libbilljni.so

check-python: python
	PYTHONPATH=$(B)/python $(PYTHON) -m pytest -q tests/python

check-java: java
	@rm -rf $(B)/java/test-classes && mkdir -p $(B)/java/test-classes
	javac -encoding UTF-8 -d $(B)/java/test-classes -cp $(B)/java/libbill.jar:$(JUNIT_JAR) $(JAVA_TESTS)
	java -Djava.library.path=$(B)/java -jar $(JUNIT_JAR) --disable-banner --fail-if-no-tests \
	    --details=summary --disable-ansi-colors \
	    -cp $(B)/java/libbill.jar:$(B)/java/test-classes --scan-classpath $(B)/java/test-classes

# ---- examples, demo, bench ------------------------------------------------------------
EXAMPLES := $(patsubst examples/%.c,%,$(wildcard examples/*.c))

$(B)/examples/%: examples/%.c $(B)/libbill.a | $(B)/examples
	$(CC) $(CFLAGS) -std=c11 $(WARN) $(WERROR) -Wno-missing-prototypes -Iinclude $< $(B)/libbill.a $(LDLIBS) -o $@

check-examples: $(EXAMPLES:%=$(B)/examples/%)
	@sh tests/run_examples.sh $(B)/examples

demo: deps $(B)/examples/demo
	@$(B)/examples/demo examples

BENCH_CFLAGS := -O3 -march=native -std=c11 -Iinclude -Ilibbill
$(B)/bench/bench_decimal: bench/bench_decimal.c $(SRCS) $(HDRS) | $(B)/bench
	$(CC) $(BENCH_CFLAGS) -fvisibility=hidden bench/bench_decimal.c $(SRCS) $(LDLIBS) -o $@

$(B)/bench/bench_tariff: bench/bench_tariff.c $(SRCS) $(HDRS) | $(B)/bench
	$(CC) $(BENCH_CFLAGS) -fvisibility=hidden bench/bench_tariff.c $(SRCS) $(LDLIBS) -o $@

$(B)/bench/bench_csv: bench/bench_csv.c $(SRCS) $(HDRS) | $(B)/bench
	$(CC) $(BENCH_CFLAGS) -fvisibility=hidden bench/bench_csv.c $(SRCS) $(LDLIBS) -o $@

$(B)/bench/bench_import: bench/bench_import.c $(SRCS) $(HDRS) | $(B)/bench
	$(CC) $(BENCH_CFLAGS) -fvisibility=hidden bench/bench_import.c $(SRCS) $(LDLIBS) -o $@
bench: deps $(B)/bench/bench_decimal $(B)/bench/bench_tariff $(B)/bench/bench_csv $(B)/bench/bench_billing \
       $(B)/bench/bench_import
	@sh bench/run.sh $(B)/bench

$(B)/bench/bench_store: bench/bench_store.c $(SRCS) $(HDRS) | $(B)/bench
	$(CC) $(BENCH_CFLAGS) -fvisibility=hidden bench/bench_store.c $(SRCS) $(LDLIBS) -o $@

$(B)/bench/bench_billing: bench/bench_billing.c $(SRCS) $(HDRS) | $(B)/bench
	$(CC) $(BENCH_CFLAGS) -fvisibility=hidden bench/bench_billing.c $(SRCS) $(LDLIBS) -o $@

# The registry in a file store (records/s, queries/s); separate from `make bench`.
bench-store: $(B)/bench/bench_store
	@$(B)/bench/bench_store

# ---- the whole check --------------------------------------------------------------------
# `make check` is the README's test command and what .ci/run runs.
check: deps
	$(MAKE) clean-tests
	$(MAKE) WERROR=-Werror all check-headers check-exports
	@sh tools/stage.sh $(B)/logs/unit.log $(MAKE) WERROR=-Werror check-c
	@sh tools/stage.sh $(B)/logs/asan.log $(MAKE) WERROR=-Werror check-asan
	@sh tools/stage.sh $(B)/logs/fuzz.log $(MAKE) WERROR=-Werror check-fuzz
	@sh tools/stage.sh $(B)/logs/dectest.log $(MAKE) WERROR=-Werror check-dectest
	@sh tools/stage.sh $(B)/logs/examples.log $(MAKE) WERROR=-Werror check-examples
	@sh tools/stage.sh $(B)/logs/python.log $(MAKE) check-python
	@sh tools/stage.sh $(B)/logs/java.log $(MAKE) check-java
	@echo "make check: all stages passed"
	@sh tools/check-summary.sh $(B)/logs

clean-tests:
	rm -rf $(B)/tests $(B)/asan $(B)/logs

# ---- install --------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/bill $(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 $(B)/libbill.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libbill.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libbill.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libbill.so
	install -m 644 include/bill.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/bill/*.h $(DESTDIR)$(INCLUDEDIR)/bill/
	install -m 644 $(B)/bill.pc $(DESTDIR)$(PKGCONFIGDIR)/

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libbill.a $(DESTDIR)$(LIBDIR)/libbill.so.$(VERSION) \
	      $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libbill.so \
	      $(DESTDIR)$(INCLUDEDIR)/bill.h $(DESTDIR)$(PKGCONFIGDIR)/bill.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/bill

clean:
	rm -rf $(B)
