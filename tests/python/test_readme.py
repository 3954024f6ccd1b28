"""The Python example of README.md runs as written, so it cannot rot."""
import os
import re
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_readme_python_example_runs(monkeypatch):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "README.md has no Python example"
    monkeypatch.chdir(ROOT)
    scope = {}
    exec(compile(blocks[0], "README.md", "exec"), scope)
    assert scope["amount"] == Decimal("1648.56")
    assert scope["parts"] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert str(scope["fee"]) == "CNY 1660.56"
    assert scope["june"].total == Decimal("224.94")
    assert sum(line.amount for line in scope["june"].lines) == scope["june"].total
