"""Accuracy of referee's math verifier vs plain math-verify on the labeled set, in one run.

    .venv/bin/python benchmarks/math_accuracy.py [FILE] [--json] [--boxed-gold]

`--boxed-gold` hands both verifiers `\\boxed{gold}` for golds written without delimiters
(math-verify reads no bare LaTeX such as `\\frac{1}{2}`): a fairer second baseline.

Plain math-verify is `math_verify.verify(math_verify.parse(gold), math_verify.parse(pred))`
with its defaults; both run in the same worker pool, so neither can hang the benchmark.
Prints accuracy, false positives, false negatives, a per-tag table and every disagreement.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from referee.verify import verify_jsonl
from rewards.math import MathConfig

DEFAULT = Path(__file__).resolve().parent / "data" / "math_labeled.jsonl"


def _boxed_gold(line: str) -> str:
    row = json.loads(line)
    if not any(d in row["gold"] for d in ("$", "\\(", "\\[", "\\boxed")):
        row["gold"] = f"\\boxed{{{row['gold']}}}"
    return json.dumps(row)


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT
    lines = path.read_text().splitlines()
    if "--boxed-gold" in sys.argv:
        lines = [_boxed_gold(line) for line in lines]
    with io.StringIO("\n".join(lines) + "\n") as f:
        return verify_jsonl(
            f,
            sys.stdout,
            report=True,
            fmt="json" if "--json" in sys.argv else "text",
            config=MathConfig(timeout_ms=5000),
        )


if __name__ == "__main__":
    sys.exit(main())
