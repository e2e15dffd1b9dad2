"""What a non-editable install carries: every file the packages read at run time.

An installed referee without the sandbox guest's C, shell or test-harness files cannot even
name its image (the guest's hash is the image version), so the server image would not start.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("referee", "rewards", "sandbox", "trainer")


def test_the_wheel_holds_every_package_file(tmp_path: Path) -> None:
    # From a clean copy of the tracked files: the checkout's own egg-info (left by the editable
    # install) lists files the packaging config alone would not ship.
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    src = tmp_path / "src"
    for name in tracked.stdout.splitlines():
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels)]
    subprocess.run([*pip, str(src)], check=True, timeout=300)
    [wheel] = wheels.glob("referee-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        str(f.relative_to(src))
        for package in PACKAGES
        for f in (src / package).rglob("*")
        if f.is_file() and "__pycache__" not in f.parts
    }
    assert sorted(wanted - shipped) == []
