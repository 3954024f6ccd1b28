/*
 * A standalone driver for the libFuzzer harnesses, so that `make check-fuzz`
 * replays the seed corpora under gcc with ASan/UBSan and no libFuzzer.
 *
 *     driver FILE-OR-DIR...
 *
 * Each file is read into a buffer of exactly its size (so a read past the
 * end is caught by ASan) and handed to LLVMFuzzerTestOneInput; a directory
 * means every regular file in it, in name order. For each argument the
 * driver prints "replayed N inputs from ARG". A harness that finds a problem
 * aborts; the driver itself fails on unreadable paths and when no input was
 * replayed at all. When a harness aborts or a sanitizer reports an error, the
 * driver names the input on stderr.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* present when built with a sanitizer: called before it ends the process */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* The input being replayed, named when a harness aborts or a sanitizer fires. */
static const char *current_input;

static void name_input(void)
{
    if (current_input) {
        static const char msg[] = "driver: the failing input is ";
        (void)!write(2, msg, sizeof msg - 1);
        (void)!write(2, current_input, strlen(current_input));
        (void)!write(2, "\n", 1);
    }
}

static void on_abort(int sig)
{
    name_input();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "driver: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return -1;
    }
    for (;;) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "driver: cannot read %s\n", path);
        free(buf);
        return -1;
    }
    /* an exact-size copy, so that over-reads hit the redzone */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, len);
    free(buf);
    current_input = path;
    LLVMFuzzerTestOneInput(exact, len);
    current_input = NULL;
    free(exact);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays a file or a directory's files; returns the count or -1. */
static long replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path) == 0 ? 1 : -1;

    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "driver: cannot open directory %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;   /* ".", "..", and hidden files such as editors' */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) {
                closedir(dir);
                return -1;
            }
            names = nn;
        }
        names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
        if (!names[n]) {
            closedir(dir);
            return -1;
        }
        sprintf(names[n], "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_names);

    long count = 0;
    for (size_t i = 0; i < n; i++) {
        if (count >= 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(names[i]) != 0)
                count = -1;
            else
                count++;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE-OR-DIR...\n", argv[0]);
        return 2;
    }
    signal(SIGABRT, on_abort);
    signal(SIGSEGV, on_abort);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(name_input);
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    long total = 0;
    for (int i = 1; i < argc; i++) {
        long n = replay_path(argv[i]);
        if (n < 0)
            return 1;
        printf("replayed %ld inputs from %s\n", n, argv[i]);
        fflush(stdout);
        total += n;
    }
    if (total == 0) {
        fprintf(stderr, "driver: no inputs found\n");
        return 1;
    }
    return 0;
}
