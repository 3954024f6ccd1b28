"""The example data of `make demo` (examples/data/demo/) is what
tools/gen-demo-data.py makes, byte for byte, and running it twice gives the
same bytes (a fixed-seed generator, no clock)."""
import filecmp
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "examples", "data", "demo")
GEN = os.path.join(ROOT, "tools", "gen-demo-data.py")
FILES = ["registry.csv", "readings.csv", "readings-late.csv", "audit.csv"]


def generate(out):
    subprocess.run([sys.executable, GEN, str(out)], check=True, cwd=ROOT)


def test_generator_reproduces_the_committed_data(tmp_path):
    generate(tmp_path)
    assert sorted(os.listdir(tmp_path)) == sorted(FILES)
    for name in FILES:
        assert filecmp.cmp(tmp_path / name, os.path.join(DATA, name), shallow=False), name


def test_generator_is_deterministic(tmp_path):
    generate(tmp_path / "a")
    generate(tmp_path / "b")
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_registry_has_the_promised_shape():
    kinds = {}
    classes = {}
    with open(os.path.join(DATA, "registry.csv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split(",")
            kinds[fields[0]] = kinds.get(fields[0], 0) + 1
            if fields[0] == "account":
                classes[fields[2]] = classes.get(fields[2], 0) + 1
    assert kinds["account"] == 300
    assert kinds["shared"] == 1 and kinds["sub"] == 1
    assert set(classes) == {"residential", "commercial", "large_industry"}
    assert classes["residential"] > classes["commercial"] > classes["large_industry"] > 0
