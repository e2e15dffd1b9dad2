"""The checked-in stubs must be exactly what protoc generates from proto/."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_generated_stubs_are_up_to_date(tmp_path: Path) -> None:
    protos = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "proto/referee/v1").glob("*.proto"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            "-I",
            "proto",
            f"--python_out={tmp_path}",
            f"--grpc_python_out={tmp_path}",
            f"--pyi_out={tmp_path}",
            *protos,
        ],
        cwd=ROOT,
        check=True,
    )
    generated = sorted(p.name for p in (tmp_path / "referee/v1").iterdir())
    assert generated, "protoc generated nothing"
    stale = [
        n
        for n in generated
        if not filecmp.cmp(tmp_path / "referee/v1" / n, ROOT / "referee/v1" / n, shallow=False)
    ]
    assert not stale, f"regenerate the stubs (see DESIGN.md): {stale} differ from proto/"
