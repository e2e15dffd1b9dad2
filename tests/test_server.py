"""The gRPC API end to end: a real `referee serve` process, real math-verify, real dockerd."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import json_format
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from referee.client import RefereeClient, RequestRejected
from referee.v1 import referee_pb2 as pb
from referee.v1 import referee_pb2_grpc as pb_grpc

pytestmark = pytest.mark.docker

MATH = {"id": "a", "prompt": "Half?", "completion": "so \\boxed{1/2}", "math": {"gold": "0.5"}}
ADD = "def add(a, b):\n    return a + b\n"


def stub(server) -> pb_grpc.RewardServiceStub:
    return pb_grpc.RewardServiceStub(grpc.insecure_channel(server.target))


def test_score_accepts_the_documented_json_shape(server) -> None:
    request = json_format.Parse(
        '{"samples":[{"id":"a","prompt":"...","completion":"... \\\\boxed{1/2}","math":{"gold":"0.5"}}],'
        '"rewards":[{"name":"accuracy","weight":1.0}]}',
        pb.ScoreRequest(),
    )
    response = stub(server).Score(request, timeout=60)
    got = json_format.MessageToDict(response, always_print_fields_with_no_presence=True)
    [result] = got["results"]
    assert result["id"] == "a" and result["total"] == 1.0
    [reward] = result["rewards"]
    assert (
        reward["name"] == "accuracy"
        and reward["value"] == 1.0
        and reward["status"] == "OK"
        and reward["detail"]
    )


def test_results_keep_request_order_and_weights(client: RefereeClient) -> None:
    samples = [
        {**MATH, "id": f"s{i}", "completion": f"<think>t</think><answer>{ans}</answer>"}
        for i, ans in enumerate(["0.5", "2", "1/2", "\\frac{1}{2}", "0.6"])
    ]
    results = client.score(samples, [{"name": "accuracy", "weight": 2.0}, {"name": "format", "weight": 0.5}])
    assert [r.id for r in results] == [f"s{i}" for i in range(5)]
    assert [r.rewards["accuracy"].value for r in results] == [1.0, 0.0, 1.0, 1.0, 0.0]
    assert [r.total for r in results] == [2.5, 0.5, 2.5, 2.5, 0.5]


def test_code_sample_with_assert_tests_and_stdio_cases(client: RefereeClient) -> None:
    samples = [
        {
            "id": "asserts",
            "prompt": "p",
            "completion": f"```python\n{ADD}```",
            "code": {
                "language": "python",
                "test_code": "assert add(1, 2) == 3\nassert add(2, 2) == 4",
                "entry_point": "add",
            },
        },
        {
            "id": "stdio",
            "prompt": "p",
            "completion": "a, b = map(int, input().split())\nprint(a + b)",
            "code": {
                "language": "python",
                "cases": [
                    {"stdin": "1 2\n", "expected_stdout": "3\n"},
                    {"stdin": "5 5\n", "expected_stdout": "10\n"},
                ],
            },
        },
        {
            "id": "wrong",
            "prompt": "p",
            "completion": "def add(a, b):\n    return a - b\n",
            "code": {"language": "python", "test_code": "assert add(1, 2) == 3", "entry_point": "add"},
        },
        {
            "id": "exit-early",
            "prompt": "p",
            "completion": "import os\nos._exit(0)\n",
            "code": {"language": "python", "test_code": "assert add(1, 2) == 3", "entry_point": "add"},
        },
    ]
    results = {r.id: r.rewards["code"] for r in client.score(samples, ["code"])}
    assert results["asserts"].value == 1.0 and results["asserts"].status == "OK"
    assert results["stdio"].value == 1.0
    assert results["wrong"].value == 0.0
    assert results["exit-early"].value == 0.0


def test_prelude_and_output_match_through_grpc(client: RefereeClient) -> None:
    prompt = 'def helper(x):\n    return x * 2\n\ndef f(x):\n    """doc"""\n'
    float_case = {"stdin": "", "expected_stdout": "0.333333\n"}
    samples = [
        {  # the completion uses the prompt's helper; the tests see the prompt's, not a redefinition
            "id": "prelude",
            "prompt": "p",
            "completion": "def helper(x):\n    return 0\n\ndef f(x):\n    return x * 2\n",
            "code": {
                "language": "python",
                "test_code": "assert f(2) == helper(2)",
                "entry_point": "f",
                "prelude": prompt,
            },
        },
        {
            "id": "float",
            "prompt": "p",
            "completion": "print(1 / 3)",
            "code": {"language": "python", "cases": [float_case], "output_match": {"comparator": "float"}},
        },
        {
            "id": "integers-exact",
            "prompt": "p",
            "completion": "print(1000001)",
            "code": {
                "language": "python",
                "cases": [{"stdin": "", "expected_stdout": "1000000"}],
                "output_match": {"comparator": "float", "float_tolerance": 0.5},
            },
        },
        {
            "id": "bad-comparator",
            "prompt": "p",
            "completion": "print(1)",
            "code": {"language": "python", "cases": [float_case], "output_match": {"comparator": "nearly"}},
        },
    ]
    with pytest.raises(
        RequestRejected, match=r"INVALID_ARGUMENT: samples\[3\]\.code\.output_match: 'nearly'"
    ):
        client.score(samples, ["code"])
    results = {r.id: r.rewards["code"] for r in client.score(samples[:3], ["code"])}
    assert results["prelude"].value == 1.0, results["prelude"]
    assert results["float"].value == 1.0, results["float"]
    assert (results["integers-exact"].value, results["integers-exact"].status) == (0.0, "OK")


def test_a_cpp_checker_through_grpc(client: RefereeClient) -> None:
    checker = (
        '#include "testlib.h"\nint main(int argc, char* argv[]) {\n    registerTestlibCmd(argc, argv);\n'
        '    int n = inf.readInt();\n    if (ouf.readInt() + ouf.readInt() != n) quitf(_wa, "bad sum");\n'
        '    quitf(_ok, "ok");\n}\n'
    )
    match = {"comparator": "checker", "checker": checker, "checker_language": "cpp"}
    code = {
        "language": "python",
        "cases": [{"stdin": "7\n", "expected_stdout": "3 4\n"}],
        "output_match": match,
    }
    samples = [
        {"id": "any-pair", "prompt": "p", "completion": "n = int(input())\nprint(n, 0)", "code": code},
        {"id": "bad", "prompt": "p", "completion": "print(1, 1)", "code": code},
        {
            "id": "unknown",
            "prompt": "p",
            "completion": "print(1)",
            "code": {**code, "output_match": {**match, "checker_language": "rust"}},
        },
    ]
    with pytest.raises(RequestRejected, match="checker_language: 'rust' is not one of python, cpp"):
        client.score(samples, ["code"])
    good, bad = (r.rewards["code"] for r in client.score(samples[:2], ["code"]))
    assert (good.value, bad.value) == (1.0, 0.0) and "bad sum" in bad.detail, (good, bad)


def test_dataset_rows_through_grpc(client: RefereeClient) -> None:
    row = {
        "task_id": "HumanEval/53",
        "prompt": 'def add(x: int, y: int):\n    """Add two numbers x and y"""\n',
        "entry_point": "add",
        "test": "METADATA = {}\n\ndef check(candidate):\n    assert candidate(0, 1) == 1\n    assert candidate(5, 7) == 12\n",
    }
    samples = [
        {
            "id": "body",
            "prompt": row["prompt"],
            "completion": "    return x + y\n",
            "dataset_row": {"dataset": "humaneval", "row": row},
        },
        {
            "id": "wrong",
            "prompt": "p",
            "completion": "    return x - y\n",
            "dataset_row": {"dataset": "humaneval", "row": row},
        },
    ]
    results = {r.id: r.rewards["code"] for r in client.score(samples, ["code"])}
    assert (results["body"].value, results["wrong"].value) == (1.0, 0.0), results
    bad = [
        {
            "id": "x",
            "prompt": "p",
            "completion": "c",
            "dataset_row": {"dataset": "humaneval", "row_json": "{}"},
        }
    ]
    with pytest.raises(RequestRejected, match=r"samples\[0\]\.dataset_row\.row\.entry_point"):
        client.score(bad, ["code"])


def test_interactive_problem_through_grpc(client: RefereeClient) -> None:
    interactor = "import sys\nn = int(open(sys.argv[1]).read())\nprint(n, flush=True)\nsys.exit(0 if int(input()) == 2 * n else 1)\n"
    code = {"language": "python", "cases": [{"stdin": "21", "expected_stdout": ""}], "interactor": interactor}
    samples = [
        {"id": "right", "prompt": "p", "completion": "print(2 * int(input()))", "code": code},
        {"id": "wrong", "prompt": "p", "completion": "print(int(input()))", "code": code},
    ]
    results = {r.id: r.rewards["code"] for r in client.score(samples, ["code"])}
    assert (results["right"].value, results["wrong"].value) == (1.0, 0.0), results
    assert "interactor" in results["wrong"].detail


def test_one_bad_sample_does_not_fail_its_batch(client: RefereeClient) -> None:
    samples = [MATH, {"id": "no-gold", "prompt": "p", "completion": "\\boxed{1}"}]
    good, bad = client.score(samples, ["accuracy"])
    assert good.rewards["accuracy"].value == 1.0
    assert bad.rewards["accuracy"].status == "INVALID_INPUT" and bad.rewards["accuracy"].value == 0.0
    assert bad.rewards["accuracy"].detail


@pytest.mark.parametrize(
    ("samples", "rewards", "message"),
    [
        ([MATH], ["no_such_reward"], "known rewards: "),
        ([MATH], [{"name": "format", "params": {"thinktag": "x"}}], "thinktag"),
        ([], ["accuracy"], "samples: at least one"),
        ([MATH, MATH], ["accuracy"], "samples[1].id"),
        ([{**MATH, "id": ""}], ["accuracy"], "samples[0].id: required"),
        (
            [{"id": "c", "completion": "x", "code": {"test_code": "assert 1"}}],
            ["code"],
            "samples[0].code.language",
        ),
        ([MATH], [], "rewards: at least one"),
        ([{**MATH, "completion": "x" * 1_000_001}], ["accuracy"], "max_completion_chars=1000000"),
    ],
)
def test_malformed_requests_name_the_field(client: RefereeClient, samples, rewards, message: str) -> None:
    with pytest.raises(RequestRejected) as info:
        client.score(samples, rewards)
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert message in str(info.value)


def test_oversized_request_is_refused_clearly_and_server_keeps_serving(server, client: RefereeClient) -> None:
    huge = {**MATH, "completion": "x" * (65 * 1024 * 1024)}
    with pytest.raises(RequestRejected) as info:
        client.score([huge], ["accuracy"])
    assert info.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED
    [ok] = client.score([MATH], ["accuracy"])
    assert ok.total == 1.0


def test_execute(client: RefereeClient) -> None:
    ok = client.execute("python", "print(1)", timeout_ms=5000, memory_mb=256)
    assert (pb.ExecuteResponse.Status.Name(ok.status), ok.exit_code, ok.stdout) == ("OK", 0, "1\n")
    assert ok.wall_ms > 0
    slow = client.execute("python", "while True: pass", timeout_ms=500)
    assert pb.ExecuteResponse.Status.Name(slow.status) == "TIMEOUT"
    failed = client.execute("python", "raise SystemExit(3)")
    assert pb.ExecuteResponse.Status.Name(failed.status) == "RUNTIME_ERROR" and failed.exit_code == 3


def test_execute_unknown_language_lists_supported(client: RefereeClient) -> None:
    with pytest.raises(RequestRejected) as info:
        client.execute("cobol", "DISPLAY 'x'")
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT and "python" in str(info.value)


def test_list_rewards_describes_parameters(client: RefereeClient) -> None:
    rewards = {r.name: r for r in client.list_rewards()}
    assert {"accuracy", "format", "code"} <= set(rewards)
    assert rewards["format"].description
    assert any(p.name == "think_tag" and p.default_json == '"think"' for p in rewards["format"].parameters)


def test_score_stream_answers_every_request_with_its_id(server) -> None:
    def requests():
        yield pb.ScoreRequest(
            request_id="bad",
            samples=[pb.Sample(id="x", completion="1")],
            rewards=[pb.RewardSpec(name="nope")],
        )
        for i in range(5):
            yield pb.ScoreRequest(
                request_id=f"r{i}",
                samples=[pb.Sample(id="x", completion=f"\\boxed{{{i}}}", math=pb.MathReference(gold="3"))],
                rewards=[pb.RewardSpec(name="accuracy")],
            )

    responses = {r.request_id: r for r in stub(server).ScoreStream(requests(), timeout=60)}
    assert set(responses) == {"bad", *(f"r{i}" for i in range(5))}
    assert "unknown reward" in responses["bad"].error
    assert [responses[f"r{i}"].results[0].total for i in range(5)] == [0, 0, 0, 1, 0]


def test_health_and_reflection(server) -> None:
    channel = grpc.insecure_channel(server.target)
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "referee.v1.RewardService"):
        assert (
            health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5).status
            == health_pb2.HealthCheckResponse.SERVING
        )
    reflect = reflection_pb2_grpc.ServerReflectionStub(channel)
    [answer] = list(
        reflect.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5
        )
    )
    names = {s.name for s in answer.list_services_response.service}
    assert {"referee.v1.RewardService", "grpc.health.v1.Health"} <= names


def test_metrics_count_requests_and_rewards(server, client: RefereeClient) -> None:
    import urllib.request

    client.score([MATH], ["accuracy"])
    text = urllib.request.urlopen(server.metrics_url, timeout=5).read().decode()
    assert 'referee_requests_total{code="OK",method="Score"}' in text
    assert 'referee_reward_results_total{reward="accuracy",status="OK"}' in text
    assert "referee_reward_seconds_bucket" in text
    assert "referee_sandbox_idle_containers" in text and "referee_in_flight_requests" in text


def test_math_answer_type_and_numeric_precision_travel_over_grpc(client: RefereeClient) -> None:
    def sample(i: int, completion: str, answer_type: str = "") -> dict[str, object]:
        return {
            "id": f"m{i}",
            "prompt": "p",
            "completion": completion,
            "math": {"gold": "\\frac{2}{3}", "answer_type": answer_type},
        }

    samples = [
        sample(0, "\\boxed{0.67}"),
        sample(1, "\\boxed{0.666667}"),
        sample(2, "\\boxed{x}", "number"),
        sample(3, "\\boxed{1}", "fraction"),
    ]
    strict = client.score(samples, ["accuracy"])
    assert [r.rewards["accuracy"].value for r in strict] == [0.0, 1.0, 0.0, 0.0]
    assert "numeric_precision" in strict[0].rewards["accuracy"].detail
    assert "a number gold only matches a number" in strict[2].rewards["accuracy"].detail
    assert strict[3].rewards["accuracy"].status == "INVALID_INPUT"
    lenient = client.score(samples[:1], [{"name": "accuracy", "params": {"numeric_precision": 2}}])
    assert lenient[0].rewards["accuracy"].value == 1.0


def test_list_languages_names_every_language_with_its_version(client: RefereeClient) -> None:
    from sandbox.languages import LANGUAGES

    listed = {lang.name: lang for lang in client.list_languages()}
    assert set(listed) == {lang.name for lang in LANGUAGES}
    java, python = listed["java"], listed["python"]
    assert java.kind == "compiled" and java.function_tests and java.version  # recorded at build
    assert not listed["pypy"].function_tests
    assert python.kind == "interpreted" and python.function_tests and "py" in python.aliases
    assert "openjdk-17-jdk-headless" in java.packages
