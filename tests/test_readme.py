"""The README's promises: its Python example runs, and it opens with the two commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_readme_opens_with_setup_and_test_commands() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, re.DOTALL)
    assert first_block is not None
    lines = [ln for ln in first_block[1].splitlines() if ln.strip()]
    assert lines[0].startswith("bash scripts/setup.sh && .venv/bin/referee serve")
    assert lines[1].startswith("bash scripts/test.sh")
    assert "scripts/test.sh" in (ROOT / ".ci/run").read_text()


@pytest.mark.docker
def test_readme_python_example_runs(server) -> None:
    example = re.search(r"## Calling it from Python\n\n```python\n(.*?)```", README, re.DOTALL)
    assert example is not None
    code = example[1].replace("127.0.0.1:50051", server.target)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    first, second, third = done.stdout.splitlines()[:3]
    assert first.startswith("1.2 ") and second == "1.0" and third == "42"
