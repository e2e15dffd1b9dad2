"""Property-based fuzzing of the gRPC surface and of `referee score` input.

Whatever arrives, the server answers with a result or a clear refusal
(INVALID_ARGUMENT, RESOURCE_EXHAUSTED), never a crash or UNKNOWN, every value is in its
reward's documented range, and it keeps serving.
"""

from __future__ import annotations

import io
import json
import math

import grpc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referee.scoring import score_jsonl
from referee.v1 import referee_pb2 as pb
from referee.v1 import referee_pb2_grpc as pb_grpc

pytestmark = pytest.mark.docker

REWARDS = ["accuracy", "format", "tag_count", "language_consistency", "reasoning_steps", "repetition",
           "soft_overlong", "cosine", "length", "code", "no_such_reward"]  # fmt: skip
REFUSALS = {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED}
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))

texts = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "\\boxed{",
            "<think>",
            "</answer>",
            "\\frac{1}{0}",
            "10^{10^{10^{10}}}",
            "```python\nimport os\nos._exit(0)\n```",
            "\x00\xff",
        ]
    ),
)
params = st.dictionaries(st.sampled_from(["mode", "think_tag", "max_len", "bogus", "n"]),
                         st.one_of(st.integers(-5, 10**6), st.text(max_size=10), st.booleans(), st.none()), max_size=2)  # fmt: skip


@st.composite
def samples(draw: st.DrawFn, i: int) -> pb.Sample:
    s = pb.Sample(id=draw(st.sampled_from([f"s{i}", "", f"s{i}"])), prompt=draw(texts), completion=draw(texts),
                  language=draw(st.sampled_from(["", "en", "zh", "xx", "fr"])))  # fmt: skip
    kind = draw(st.sampled_from(["none", "math", "code_tests", "code_cases", "code_bad"]))
    if kind == "math":
        s.math.gold = draw(texts)
    elif kind == "code_tests":
        s.code.CopyFrom(
            pb.CodeReference(language="python", test_code=draw(texts), entry_point=draw(st.text(max_size=8)))
        )
    elif kind == "code_cases":
        s.code.CopyFrom(pb.CodeReference(language=draw(st.sampled_from(["python", "c", "cobol"])),
                                         cases=[pb.IOCase(stdin=draw(texts), expected_stdout=draw(texts))]))  # fmt: skip
    elif kind == "code_bad":
        s.code.CopyFrom(pb.CodeReference())
    return s


@st.composite
def requests(draw: st.DrawFn) -> pb.ScoreRequest:
    n = draw(st.integers(0, 4))
    request = pb.ScoreRequest(samples=[draw(samples(i)) for i in range(n)])
    for name in draw(st.lists(st.sampled_from(REWARDS), max_size=3)):
        spec = pb.RewardSpec(name=name, weight=draw(st.floats(-3, 3, allow_nan=False)))
        p = draw(params)
        if p:
            spec.params.update(p)
        request.rewards.append(spec)
    return request


@pytest.fixture(scope="module")
def stub(server) -> pb_grpc.RewardServiceStub:
    return pb_grpc.RewardServiceStub(grpc.insecure_channel(server.target))


@FUZZ
@given(request=requests())
def test_score_never_crashes_and_values_stay_in_range(
    stub: pb_grpc.RewardServiceStub, request: pb.ScoreRequest
) -> None:
    ranges = {
        r.name: (r.min_value, r.max_value)
        for r in stub.ListRewards(pb.ListRewardsRequest(), timeout=10).rewards
    }
    try:
        response = stub.Score(request, timeout=120)
    except grpc.RpcError as exc:
        assert exc.code() in REFUSALS, f"{exc.code()}: {exc.details()}"
        assert exc.details()
        return
    assert [r.id for r in response.results] == [s.id for s in request.samples]
    for result in response.results:
        assert math.isfinite(result.total)
        for value in result.rewards:
            lo, hi = ranges[value.name]
            assert lo <= value.value <= hi, (value.name, value.value, value.detail)
            assert value.status != pb.RewardValue.STATUS_UNSPECIFIED
            if value.status != pb.RewardValue.OK:
                assert value.value == 0.0 and value.detail, value  # no credit without a judgement


def test_garbage_bytes_are_refused_and_the_server_keeps_serving(
    server, stub: pb_grpc.RewardServiceStub
) -> None:
    channel = grpc.insecure_channel(server.target)
    raw = channel.unary_unary(
        "/referee.v1.RewardService/Score", request_serializer=None, response_deserializer=None
    )
    for junk in (b"\xff" * 64, b"\x0a\xff\xff\xff\xff\x0f", bytes(range(256))):
        with pytest.raises(grpc.RpcError) as info:
            raw(junk, timeout=10)
        assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT, info.value
        assert "Score: the request is not a valid referee.v1.ScoreRequest" in info.value.details()
    streamed = channel.stream_stream(
        "/referee.v1.RewardService/ScoreStream", request_serializer=None, response_deserializer=None
    )
    (reply,) = list(streamed(iter([b"\xff" * 64]), timeout=10))
    assert "ScoreStream: the request is not a valid" in pb.ScoreResponse.FromString(reply).error
    ok = stub.Score(pb.ScoreRequest(samples=[pb.Sample(id="a", completion="\\boxed{1}", math=pb.MathReference(gold="1"))],
                                    rewards=[pb.RewardSpec(name="accuracy")]), timeout=30)  # fmt: skip
    assert ok.results[0].total == 1.0


jsonl_lines = st.one_of(
    st.text(max_size=80),
    st.builds(
        json.dumps,
        st.dictionaries(
            st.sampled_from(["id", "prompt", "completion", "gold", "tests", "entry_point", "x"]),
            st.one_of(st.text(max_size=20), st.integers(), st.none(), st.lists(st.integers(), max_size=2)),
            max_size=5,
        ),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(jsonl_lines, max_size=6))
def test_score_jsonl_answers_every_line(server, lines: list[str]) -> None:
    src = io.StringIO("\n".join(line.replace("\n", " ") for line in lines) + "\n")
    out = io.StringIO()
    counts = score_jsonl(src, out, server=server.target, batch_size=4)
    # Split on "\n" as JSONL readers do, not splitlines(): U+0085 inside a value is no line end.
    rows = [json.loads(x) for x in out.getvalue().split("\n") if x]
    assert len(rows) == sum(1 for line in lines if line.replace("\n", " ").strip())
    assert counts["scored"] + counts["errors"] == len(rows)
    assert all("error" in r or "total" in r for r in rows)
