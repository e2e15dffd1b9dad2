"""The layers only import downwards: trainer → referee → rewards → sandbox. A test, so a new
arrow upwards (the CLI importing the trainer, the sandbox importing a reward) fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# each package and the packages of ours it must never import
FORBIDDEN = {
    "sandbox": {"rewards", "referee", "trainer"},
    "rewards": {"referee", "trainer"},
    "referee": {"trainer"},
}


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_a_layer_above_it(package: str) -> None:
    wrong = {
        str(p.relative_to(ROOT)): sorted(_imported(p) & FORBIDDEN[package])
        for p in (ROOT / package).rglob("*.py")
        if "guest" not in p.parts
    }
    assert not {k: v for k, v in wrong.items() if v}
