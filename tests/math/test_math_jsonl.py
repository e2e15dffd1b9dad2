"""`referee verify --jsonl`: one result per line, in order; reports side by side with math-verify."""

from __future__ import annotations

import io
import json

from referee.verify import verify_jsonl
from rewards.math import MathConfig

CONFIG = MathConfig(workers=2, timeout_ms=2000)


def run(lines: list[str], **kwargs: object) -> tuple[int, str]:
    out = io.StringIO()
    code = verify_jsonl(io.StringIO("\n".join(lines) + "\n"), out, config=CONFIG, **kwargs)  # type: ignore[arg-type]
    return code, out.getvalue()


def test_one_result_per_line_in_order_and_malformed_lines_are_results() -> None:
    code, out = run(
        [
            json.dumps({"gold": "1/2", "pred": "0.5"}),
            "{not json",
            json.dumps({"gold": "1"}),
            json.dumps([1, 2]),
            json.dumps({"gold": "3", "pred": "4"}),
        ]
    )
    results = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(results) == 5
    assert results[0] == {"equal": True, "status": "OK", "detail": results[0]["detail"]}
    assert [r["status"] for r in results[1:4]] == ["INVALID_INPUT"] * 3
    assert "line 2" in results[1]["detail"] and "'pred'" in results[2]["detail"]
    assert results[4]["equal"] is False and results[4]["status"] == "OK"


LABELED = [
    {"gold": "$\\frac{1}{2^{99}}$", "pred": "$\\frac{1}{2^{98}}$", "expected": False, "tags": ["trap"]},
    {"gold": "$\\frac{\\pi}{2}$", "pred": "pi/2", "expected": True, "tags": ["plain"]},
    {"gold": "3", "pred": "3", "expected": True},
]


def test_report_json_compares_with_math_verify() -> None:
    code, out = run([json.dumps(x) for x in LABELED] + ["oops"], report=True, fmt="json")
    r = json.loads(out)
    assert code == 0
    assert r["total"]["referee"] == {
        "n": 3,
        "accuracy": 1.0,
        "false_positives": 0,
        "false_negatives": 0,
        "not_ok": 0,
    }
    assert (
        r["total"]["math_verify"]["false_positives"] == 1
        and r["total"]["math_verify"]["false_negatives"] == 1
    )
    assert set(r["tags"]) == {"trap", "plain", "(untagged)"}
    assert len(r["disagreements"]) == 2 and all(d["math_verify"]["detail"] for d in r["disagreements"])
    assert r["invalid_lines"][0]["status"] == "INVALID_INPUT"


def test_report_text_lists_disagreements_and_fails_on_a_false_positive() -> None:
    code, out = run([json.dumps(x) for x in LABELED], report=True)
    assert code == 0 and "false positives" in out and "disagreements with math-verify (2)" in out
    wrong_label = {"gold": "1", "pred": "1", "expected": False}
    code, _ = run([json.dumps(wrong_label)], report=True)
    assert code == 1
