"""Dataset presets: a dataset's own row, with its own field names, to the reference it is judged by.

    code_reference("humaneval", row)            # row as the dataset ships it
    code_reference("codecontests", row, "cpp")  # the program's language, where rows have several
    code_reference("primeintellect", row)       # or the row's own, where it names one
    code_reference("multipl-e", row)            # assert-style tests in the row's language

One small module per dataset family, each a pure function of the row that builds what its
official harness would run — the same `CodeReference` a user could write by hand, so nothing
here reaches into the sandbox. Where a harness is lenient or quirky, the module says what it
keeps and why. A row that lacks what its preset needs is an `InvalidRequest` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rewards.datasets import apps, codecontests, deepcoder, humaneval, livecodebench, mbpp, multipl_e
from rewards.errors import InvalidRequest
from rewards.types import CodeReference

__all__ = ["PRESETS", "code_reference"]

Preset = Callable[[Mapping[str, Any], str], CodeReference]

PRESETS: dict[str, Preset] = {
    "humaneval": humaneval.reference,  # also HumanEval+ / EvoEval rows (same fields)
    "mbpp": mbpp.reference,  # original and sanitized
    "apps": apps.reference,
    "taco": apps.reference,  # TACO keeps APPS's `input_output` format
    "livecodebench": livecodebench.reference,
    "codecontests": codecontests.reference,
    "deepcoder": deepcoder.deepcoder,  # its taco, lcbv5, codeforces and primeintellect subsets
    "primeintellect": deepcoder.primeintellect,  # verifiable-coding-problems / SYNTHETIC-1
    "multipl-e": multipl_e.reference,  # also MultiPL-E's MBPP rows, and MBXP-style rows
}
# rows that name their program's language: used when the request names none
ROW_LANGUAGE: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "primeintellect": deepcoder.primeintellect_language,
    "multipl-e": multipl_e.row_language,
}


def code_reference(dataset: str, row: Mapping[str, Any], language: str = "") -> CodeReference:
    """The reference for one row of `dataset`; `language` is the program's (default python)."""
    preset = PRESETS.get(dataset.lower())
    if preset is None:
        raise InvalidRequest(f"dataset: unknown preset {dataset!r}; known: {', '.join(sorted(PRESETS))}")
    if not isinstance(row, Mapping):
        raise InvalidRequest(f"row: expected the dataset's row as an object, got {type(row).__name__}")
    row_language = ROW_LANGUAGE.get(dataset.lower())
    return preset(row, language or (row_language(row) if row_language else "") or "python")
