"""Serving behaviour with real server processes: scale-out, shutdown, deadlines, abusive clients."""

from __future__ import annotations

import asyncio
import re
import threading
import time
import urllib.request

import grpc
import pytest

from referee.client import RefereeClient, RefereeError, RequestRejected
from referee.v1 import referee_pb2 as pb
from referee.v1 import referee_pb2_grpc as pb_grpc
from tests.conftest import ServerProcess

pytestmark = pytest.mark.docker

SMALL = {"REFEREE_SANDBOX__POOL_SIZE": "1", "REFEREE_MATH__WORKERS": "1"}
MATH = {"id": "a", "prompt": "p", "completion": "\\boxed{2}", "math": {"gold": "2"}}


def served(metrics_url: str, method: str = "Score") -> float:
    text = urllib.request.urlopen(metrics_url, timeout=5).read().decode()
    m = re.search(rf'referee_requests_total\{{code="OK",method="{method}"\}} ([\d.]+)', text)
    return float(m[1]) if m else 0.0


def test_client_balances_over_several_endpoints_and_survives_one_dying() -> None:
    servers = [ServerProcess(env=SMALL), ServerProcess(env=SMALL)]
    try:
        target = ",".join(s.target for s in servers)
        with RefereeClient(target, timeout_s=30) as client:
            for _ in range(20):
                assert client.score([MATH], ["accuracy"])[0].total == 1.0
            counts = [served(s.metrics_url) for s in servers]
            assert all(c >= 5 for c in counts), f"round_robin should spread the calls: {counts}"
            servers[0].stop()
            for _ in range(10):  # the dead replica drops out; no call fails
                assert client.score([MATH], ["accuracy"])[0].total == 1.0
    finally:
        for s in servers:
            if s.proc.poll() is None:
                s.stop()


def test_sigterm_drains_in_flight_requests_and_removes_containers() -> None:
    srv = ServerProcess(env={**SMALL, "REFEREE_SERVER__GRACE_S": "20"})
    result: dict[str, object] = {}

    def slow_call() -> None:
        with RefereeClient(srv.target, timeout_s=60) as client:
            result["r"] = client.execute(
                "python", "import time; time.sleep(2); print('done')", timeout_ms=10_000
            )

    caller = threading.Thread(target=slow_call)
    caller.start()
    time.sleep(1.0)  # the program is running now
    assert srv.stop() == 0
    caller.join(timeout=60)
    response = result["r"]
    assert isinstance(response, pb.ExecuteResponse)
    assert pb.ExecuteResponse.Status.Name(response.status) == "OK" and response.stdout == "done\n"
    import docker

    owner = f"{srv.proc.pid}"
    left = [
        c for c in docker.from_env().containers.list(all=True, filters={"label": "referee=1"})
        if c.labels.get("referee.owner", "").endswith(f"/{owner}")
    ]  # fmt: skip
    assert not left, f"containers left after shutdown: {[c.name for c in left]}"


def test_expired_deadline_drops_the_work(server, client: RefereeClient) -> None:
    with pytest.raises(RefereeError) as info:
        client.execute("python", "import time; time.sleep(8)", timeout_ms=20_000, timeout_s=1.0)
    assert info.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    # The server is not stuck behind the abandoned program.
    ok = client.execute("python", "print(1)", timeout_s=30)
    assert ok.stdout == "1\n"


def test_overload_is_refused_with_resource_exhausted_not_queued() -> None:
    srv = ServerProcess(env={**SMALL, "REFEREE_SERVER__MAX_CONCURRENT_REQUESTS": "2"})
    try:
        slow = "import time; time.sleep(3)"
        errors: list[BaseException] = []

        def call() -> None:
            try:
                with RefereeClient(srv.target, timeout_s=60) as c:
                    c.execute("python", slow, timeout_ms=10_000)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=call) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        with (
            RefereeClient(srv.target, timeout_s=30, retries=0) as client,
            pytest.raises(RequestRejected) as info,
        ):
            client.score([MATH], ["accuracy"])
        assert info.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED and "retry" in str(info.value)
        # A client that may retry honours the server's retry-after-ms hint and gets through
        # once the slow calls are done (about 2 s from now), instead of failing.
        t0 = time.monotonic()
        with RefereeClient(srv.target, timeout_s=30) as client:
            [result] = client.score([MATH], ["accuracy"])
        assert result.total == 1.0 and time.monotonic() - t0 >= 0.5
        for t in threads:
            t.join(timeout=60)
        assert not errors
    finally:
        srv.stop()


async def test_many_streams_and_huge_messages_do_not_hurt_other_clients(
    server, client: RefereeClient
) -> None:
    request = pb.ScoreRequest(
        request_id="x", samples=[pb.Sample(id="a", completion="\\boxed{2}", math=pb.MathReference(gold="2"))],
        rewards=[pb.RewardSpec(name="accuracy")],
    )  # fmt: skip
    async with grpc.aio.insecure_channel(server.target) as channel:
        stub = pb_grpc.RewardServiceStub(channel)
        # 1000 open streams that never send anything.
        streams = [stub.ScoreStream(timeout=60) for _ in range(1000)]
        # A 100 MB message is refused at the door.
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await stub.Score(
                pb.ScoreRequest(samples=[pb.Sample(id="a", completion="x" * (100 << 20))]), timeout=30
            )
        assert info.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        # A client that disconnects mid-request.
        gone = stub.Execute(pb.ExecuteRequest(language="python", source="import time; time.sleep(5)"))
        await asyncio.sleep(0.3)
        gone.cancel()
        # Meanwhile other clients are served, on this channel and on another.
        assert (await stub.Score(request, timeout=30)).results[0].total == 1.0
        assert client.score([MATH], ["accuracy"])[0].total == 1.0
        # And a stream that does talk gets its answer.
        talking = streams[0]
        await talking.write(request)
        await talking.done_writing()
        assert (await talking.read()).results[0].total == 1.0
        for s in streams:
            s.cancel()
