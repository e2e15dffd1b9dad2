"""A stand-in referee for the trainer's failure paths: the real server cannot be made to
answer SANDBOX_ERROR or fail one call out of many on demand, this one can.

It speaks the real API (generated stubs, real gRPC on localhost); `accuracy` is an exact
string match of the `<answer>` block, `format` the R1 regex. A prompt containing
`FAIL_RPC` makes its whole call fail with INTERNAL; one containing `SANDBOX` gets
status SANDBOX_ERROR on every sample.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager

import grpc

from referee.v1 import referee_pb2 as pb
from referee.v1 import referee_pb2_grpc as pb_grpc

ANSWER = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)
FORMAT = re.compile(r"^\s*<think>.*?</think>\s*<answer>.*?</answer>\s*$", re.DOTALL)


def _value(name: str, s: pb.Sample) -> pb.RewardValue:
    if "SANDBOX" in s.prompt:
        return pb.RewardValue(name=name, status=pb.RewardValue.SANDBOX_ERROR, detail="daemon gone")
    if name == "accuracy":
        m = ANSWER.search(s.completion)
        ok = bool(m) and m.group(1).strip() == s.math.gold
    else:
        ok = bool(FORMAT.match(s.completion))
    return pb.RewardValue(name=name, value=float(ok), status=pb.RewardValue.OK)


class FakeReferee(pb_grpc.RewardServiceServicer):
    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def Score(self, request: pb.ScoreRequest, context: grpc.ServicerContext) -> pb.ScoreResponse:
        with self._lock:
            self.calls += 1
        if any("FAIL_RPC" in s.prompt for s in request.samples):
            context.abort(grpc.StatusCode.INTERNAL, "boom")
        results = []
        for s in request.samples:
            values = [_value(spec.name, s) for spec in request.rewards]
            weights = [spec.weight if spec.HasField("weight") else 1.0 for spec in request.rewards]
            total = sum(w * v.value for w, v in zip(weights, values, strict=True))
            results.append(pb.SampleResult(id=s.id, total=total, rewards=values))
        return pb.ScoreResponse(request_id=request.request_id, results=results)

    def ListRewards(
        self, request: pb.ListRewardsRequest, context: grpc.ServicerContext
    ) -> pb.ListRewardsResponse:
        return pb.ListRewardsResponse(rewards=[pb.RewardInfo(name="accuracy"), pb.RewardInfo(name="format")])


@contextmanager
def fake_referee() -> Iterator[tuple[str, FakeReferee]]:
    """A FakeReferee on 127.0.0.1:<free port>; yields (target, servicer)."""
    servicer = FakeReferee()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    pb_grpc.add_RewardServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}", servicer
    finally:
        server.stop(0)
