"""Sessions end to end: a real `referee serve`, the client's sessions, real containers.

State across cells, isolation between sessions, limits that interrupt or restart, death of the
interpreter, TTL expiry, the maximum of sessions, shutdown with sessions open, bad input, and
the adversarial cases a long-lived interpreter opens (leftover processes and threads, the disk
filled across cells, forks over many cells, forged answers, another session's secrets).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import grpc
import pytest

from referee.client import RefereeClient, RequestRejected, SessionNotFound, _endpoints
from referee.v1 import referee_pb2 as pb
from referee.v1 import referee_pb2_grpc as pb_grpc
from sandbox.container import OWNER_LABEL
from tests.conftest import ServerProcess, labelled_containers

pytestmark = pytest.mark.docker

MAX_SESSIONS = 4


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    env = {"REFEREE_SANDBOX__MAX_SESSIONS": str(MAX_SESSIONS), "REFEREE_SANDBOX__POOL_SIZE": "1"}
    srv = ServerProcess(env=env)
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def client(server: ServerProcess) -> Iterator[RefereeClient]:
    with RefereeClient(server.target, timeout_s=120) as c:
        yield c


def owned_containers(server: ServerProcess) -> list[str]:
    return labelled_containers(f"{OWNER_LABEL}={socket.gethostname()}/{server.pid}")


# ---------------------------------------------------------------- semantics


def test_state_persists_and_cells_show_output_value_and_count(client: RefereeClient) -> None:
    with client.session() as s:
        first = s.run("import math\nx = 6 * 7\nprint('hello')")
        assert first.ok and first.stdout == "hello\n" and first.value == "" and first.execution_count == 1
        second = s.run("y = math.sqrt(x * x)\ny")
        assert second.ok and second.value == "42.0" and second.execution_count == 2
        assert s.run("def f(n):\n    return n + x\n").ok
        assert s.run("f(1)").value == "43"
        assert s.run("None").value == ""  # as Jupyter: None is not shown
        assert s.run("'a' + 'b'").value == "'ab'"  # repr, as Jupyter shows it
        assert s.run("open('kept.txt', 'w').write('on disk')").ok
        assert s.run("open('kept.txt').read()").value == "'on disk'"


def test_an_exception_is_a_runtime_error_and_the_session_goes_on(client: RefereeClient) -> None:
    with client.session() as s:
        s.run("x = 1")
        r = s.run("print('before')\n1 / 0")
        assert r.status == "RUNTIME_ERROR" and not r.state_lost
        assert r.detail.startswith("ZeroDivisionError: division by zero")
        assert r.stdout == "before\n" and r.stderr.rstrip().endswith("ZeroDivisionError: division by zero")
        assert '<cell 2>", line 2' in r.stderr and "kernel.py" not in r.stderr  # the cell's frames only
        syntax = s.run("def broken(:")
        assert syntax.status == "RUNTIME_ERROR" and syntax.detail.startswith("SyntaxError")
        exited = s.run("import sys; sys.exit(3)")
        assert exited.status == "RUNTIME_ERROR" and "SystemExit" in exited.detail and not exited.state_lost
        assert s.run("x").value == "1"


def test_a_cell_past_its_time_is_interrupted_and_keeps_the_state(client: RefereeClient) -> None:
    with client.session(timeout_ms=500) as s:
        s.run("kept = 'yes'")
        r = s.run("while True:\n    pass")
        assert r.status == "TIMEOUT" and not r.state_lost and "state kept" in r.detail
        assert "KeyboardInterrupt" in r.stderr
        assert s.run("kept").value == "'yes'"
        slept = s.run("import time; time.sleep(30)")  # idle: the wall backstop, then the interrupt
        assert slept.status == "TIMEOUT" and not slept.state_lost
        assert s.run("kept").value == "'yes'"
        longer = s.run(
            "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.8: pass\n1",
            timeout_ms=3000,
        )
        assert longer.ok and longer.value == "1"  # a cell's own timeout_ms beats the session's


def test_a_cell_that_cannot_be_interrupted_restarts_the_session_empty(client: RefereeClient) -> None:
    with client.session(timeout_ms=500) as s:
        s.run("kept = 1")
        r = s.run(
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "while True:\n    try:\n        pass\n    except BaseException:\n        pass"
        )
        assert r.status == "TIMEOUT" and r.state_lost and "state lost" in r.detail
        after = s.run("kept")
        assert after.status == "RUNTIME_ERROR" and "NameError" in after.detail and after.execution_count == 1


@pytest.mark.parametrize(
    "death",
    [
        "import os; os._exit(0)",
        "import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
        "import os; os.abort()",
    ],
)
def test_a_cell_that_kills_its_interpreter_gets_a_new_empty_one(client: RefereeClient, death: str) -> None:
    with client.session() as s:
        s.run("x = 1\nopen('f.txt', 'w').write('x')")
        r = s.run(death)
        assert r.status == "RUNTIME_ERROR" and r.state_lost and "interpreter died" in r.detail
        assert s.run("x").status == "RUNTIME_ERROR"
        assert s.run("import os; os.path.exists('f.txt')").value == "False"  # its files went too
        assert s.run("1 + 1").value == "2"


def test_memory_limit_keeps_the_state_when_python_can_recover(client: RefereeClient) -> None:
    with client.session(memory_mb=128) as s:
        s.run("kept = 1")
        refused = s.run("b = bytearray(10**12)")  # refused by the allocator: MemoryError
        assert refused.status == "MEMORY_LIMIT" and not refused.state_lost
        assert s.run("kept").value == "1"
        oom = s.run(
            "b = bytearray(512 * 2**20)\nb[::4096] = b'x' * len(b[::4096])"
        )  # touched: the OOM killer
        assert oom.status == "MEMORY_LIMIT" and oom.state_lost
        assert s.run("1").ok


def test_output_over_the_cap_is_cut_and_the_cell_interrupted(client: RefereeClient) -> None:
    with client.session() as s:
        s.run("kept = 1")
        r = s.run("while True:\n    print('x' * 10000)")
        assert r.status == "OUTPUT_LIMIT" and len(r.stdout) <= 1024 * 1024 + 1
        assert s.run("kept").value == "1"


# ---------------------------------------------------------------- isolation and security


def test_sessions_cannot_see_each_other(client: RefereeClient) -> None:
    with client.session() as a, client.session() as b:
        a.run(
            "secret = 'hunter2'\nopen('secret.txt', 'w').write(secret)\nopen('/tmp/secret', 'w').write(secret)"
        )
        assert b.run("secret").status == "RUNTIME_ERROR"
        look = b.run(
            "import os, glob\n"
            "found = []\n"
            "for root in ('/work', '/tmp', '/dev/shm'):\n"
            "    for dirpath, dirs, files in os.walk(root):\n"
            "        for f in files:\n"
            "            try:\n"
            "                if b'hunter2' in open(os.path.join(dirpath, f), 'rb').read(): found.append(f)\n"
            "            except OSError: pass\n"
            "procs = [p for p in os.listdir('/proc') if p.isdigit()]\n"
            "(found, len(procs))"
        )
        found, procs = eval(look.value)
        assert found == [] and procs <= 2  # its supervisor and its own interpreter
        assert a.run("secret").value == "'hunter2'"


def test_a_session_is_hardened_like_a_one_shot_run(client: RefereeClient) -> None:
    with client.session() as s:
        assert s.run("import os; os.getuid() != 0 and os.geteuid() != 0").value == "True"
        net = s.run("import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=1)")
        assert net.status == "RUNTIME_ERROR"
        assert s.run("open('/etc/passwd', 'a')").status == "RUNTIME_ERROR"  # read-only root
        assert s.run("import os; os.kill(1, 9)").status == "RUNTIME_ERROR"  # not the supervisor's uid
        assert s.run("open('/proc/1/environ').read()").status == "RUNTIME_ERROR"
        assert s.run("1").ok


def test_no_process_outlives_its_cell(client: RefereeClient) -> None:
    with client.session() as s:
        started = s.run(
            "import subprocess, os\n"
            "p = subprocess.Popen(['sleep', '600'])\n"
            "os.system('(sleep 600 &) ; nohup sleep 600 >/dev/null 2>&1 &')\n"
            "len([q for q in os.listdir('/proc') if q.isdigit()])"
        )
        assert started.ok and int(started.value) >= 4 and "ended with the cell" in started.detail
        left = s.run(
            "import os; sorted(open(f'/proc/{q}/cmdline').read() for q in os.listdir('/proc') if q.isdigit())"
        )
        assert "sleep" not in left.value
        assert s.run("p.poll() is not None").value == "True"


def test_threads_do_not_run_between_cells(client: RefereeClient) -> None:
    """The interpreter is stopped between cells: a thread it left gets no CPU while idle."""
    with client.session() as s:
        s.run(
            "import threading, time\nstamps = []\n"
            "def tick():\n    while True:\n        stamps.append(time.monotonic()); time.sleep(0.01)\n"
            "threading.Thread(target=tick, daemon=True).start()\ntime.sleep(0.1)"
        )
        time.sleep(1.5)
        # The thread must tick once after the resume for the pause to show in `stamps`: this
        # cell sleeps first, or it could read the list before the thread got the GIL back.
        gap = s.run("time.sleep(0.1)\nmax(b - a for a, b in zip(stamps, stamps[1:]))")
        assert float(gap.value) >= 1.0


def test_forks_over_many_cells_never_pile_up(client: RefereeClient) -> None:
    with client.session() as s:
        for _ in range(8):  # 8 x 20 would be far past the container's 64 processes if any stayed
            r = s.run(
                "import subprocess\nps = [subprocess.Popen(['sleep', '600']) for _ in range(20)]\nlen(ps)"
            )
            assert r.ok and r.value == "20", r.detail
        bomb = s.run("import os\nwhile True:\n    try: os.fork()\n    except OSError: pass", timeout_ms=1000)
        assert bomb.status in ("TIMEOUT", "RUNTIME_ERROR")
        assert s.run("2 + 2").value == "4"


def test_filling_the_disk_across_cells_stops_at_the_cap(client: RefereeClient) -> None:
    with client.session() as s, client.session() as other:
        results = [s.run(f"open('fill{i}', 'wb').write(b'x' * (16 << 20))") for i in range(8)]
        assert any(r.status == "RUNTIME_ERROR" and "No space" in r.detail for r in results)  # 64 MB work dir
        assert s.run("import os\nfor f in os.listdir('.'): os.remove(f)\n'freed'").value == "'freed'"
        assert other.run("open('mine', 'wb').write(b'y' * (8 << 20))").value == str(8 << 20)


def test_a_forged_answer_does_not_end_a_cell_or_change_its_result(client: RefereeClient) -> None:
    with client.session() as s:
        r = s.run(
            "import os, time\n"
            'os.write(4, b\'{"nonce": "guess", "ok": true, "value": "999", "count": 1}\\n\')\n'
            "time.sleep(0.2)\n'real'"
        )
        assert r.ok and r.value == "'real'"


# ---------------------------------------------------------------- lifecycle


def test_an_idle_session_expires_after_its_ttl(client: RefereeClient, server: ServerProcess) -> None:
    before = len(owned_containers(server))
    s = client.session(idle_ttl_s=1)
    assert s.run("x = 1").ok
    time.sleep(4)
    with pytest.raises(SessionNotFound, match=f"{s.id}.*expired"):
        s.run("x")
    deadline = time.monotonic() + 30
    while len(owned_containers(server)) > before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(owned_containers(server)) <= before


def test_more_sessions_than_the_maximum_are_refused_not_queued(client: RefereeClient) -> None:
    sessions = [client.session() for _ in range(MAX_SESSIONS)]
    try:
        with pytest.raises(RequestRejected) as refused:
            RefereeClient(client.target, retries=0).session()
        assert refused.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED and "max_sessions" in str(
            refused.value
        )
        sessions.pop().close()
        sessions.append(client.session())  # a freed place is usable at once
    finally:
        for s in sessions:
            s.close()


def test_closed_and_unknown_sessions_are_not_found(client: RefereeClient, server: ServerProcess) -> None:
    stub = pb_grpc.RewardServiceStub(grpc.insecure_channel(server.target))
    with pytest.raises(grpc.RpcError) as unknown:
        stub.RunCell(pb.RunCellRequest(session_id="s-nope", code="1"), timeout=30)
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND and "s-nope" in unknown.value.details()
    s = client.session()
    s.close()
    with pytest.raises(SessionNotFound, match="closed"):
        s.run("1")
    with pytest.raises(grpc.RpcError) as again:
        stub.CloseSession(pb.CloseSessionRequest(session_id=s.id), timeout=30)
    assert again.value.code() == grpc.StatusCode.NOT_FOUND
    s.close()  # the client's close of a gone session is quiet: context managers may close late


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (pb.CreateSessionRequest(language="cpp"), "language"),
        (pb.CreateSessionRequest(language="klingon"), "klingon"),
        (pb.CreateSessionRequest(limits=pb.Limits(timeout_ms=10**7)), "timeout_ms"),
        (pb.CreateSessionRequest(limits=pb.Limits(memory_mb=10**6)), "memory_mb"),
        (pb.CreateSessionRequest(idle_ttl_s=10**7), "idle_ttl_s"),
    ],
)
def test_bad_session_requests_name_the_field(server: ServerProcess, request_, field: str) -> None:
    stub = pb_grpc.RewardServiceStub(grpc.insecure_channel(server.target))
    with pytest.raises(grpc.RpcError) as bad:
        stub.CreateSession(request_, timeout=30)
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT and field in bad.value.details()


def test_bad_cells_name_what_is_wrong(client: RefereeClient, server: ServerProcess) -> None:
    stub = pb_grpc.RewardServiceStub(grpc.insecure_channel(server.target))
    with client.session() as s:
        for request_, field in [
            (pb.RunCellRequest(session_id=s.id, code="x" * (300 * 1024)), "code"),
            (pb.RunCellRequest(session_id=s.id, code="1", timeout_ms=10**7), "timeout_ms"),
            (pb.RunCellRequest(code="1"), "session_id"),
        ]:
            with pytest.raises(grpc.RpcError) as bad:
                stub.RunCell(request_, timeout=30)
            assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT and field in bad.value.details()
        assert s.run("'\\x00 and ünïcode'").value == "'\\x00 and ünïcode'"
        assert s.run("1").ok


def test_a_caller_that_gives_up_leaves_the_session_consistent(client: RefereeClient) -> None:
    with client.session(timeout_ms=1500) as s:
        s.run("n = 0")
        with pytest.raises(Exception, match="deadline"):
            s.run(
                "import time\nt = time.process_time()\nwhile time.process_time() - t < 1: pass\nn += 1",
                timeout_s=0.3,
            )
        assert s.run("n").value == "1"  # the cell ran to its end, and the next one waited for it


def test_cells_of_one_session_run_one_at_a_time(client: RefereeClient) -> None:
    with client.session() as s:
        s.run("n = 0")
        threads = [
            threading.Thread(target=s.run, args=("m = n\nimport time; time.sleep(0.05)\nn = m + 1",))
            for _ in range(6)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert s.run("n").value == "6"


def test_shutdown_with_sessions_open_leaves_nothing() -> None:
    srv = ServerProcess()
    try:
        with RefereeClient(srv.target) as c:
            sessions = [c.session() for _ in range(2)]
            assert all(
                s.run("import subprocess; p = subprocess.Popen(['sleep', '600']); 1").ok for s in sessions
            )
            assert len(owned_containers(srv)) >= 2
    finally:
        assert srv.stop() == 0
    assert owned_containers(srv) == []


def test_a_session_sticks_to_one_endpoint_of_several() -> None:
    assert _endpoints("ipv4:127.0.0.1:1,127.0.0.1:2") == ["ipv4:127.0.0.1:1", "ipv4:127.0.0.1:2"]
    assert _endpoints("127.0.0.1:1") == ["127.0.0.1:1"]


def test_the_three_rpcs_work_from_reflection_alone(server: ServerProcess) -> None:
    """As a client with no stubs drives them (grpcurl, our own checks): the messages built
    from the descriptors the server's reflection hands out."""
    from google.protobuf import descriptor_pool, json_format, message_factory
    from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

    channel = grpc.insecure_channel(server.target)
    pool = descriptor_pool.DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
    service = pool.FindServiceByName("referee.v1.RewardService")

    def call(method: str, body: dict) -> dict:
        m = service.FindMethodByName(method)
        request_type = message_factory.GetMessageClass(m.input_type)
        response_type = message_factory.GetMessageClass(m.output_type)
        rpc = channel.unary_unary(
            f"/{service.full_name}/{method}",
            request_serializer=lambda msg: msg.SerializeToString(),
            response_deserializer=response_type.FromString,
        )
        reply = rpc(json_format.ParseDict(body, request_type()), timeout=60)
        return json_format.MessageToDict(reply, always_print_fields_with_no_presence=True)

    created = call("CreateSession", {"language": "python", "limits": {"timeoutMs": 2000}})
    sid = created["sessionId"]
    assert created["limits"]["timeoutMs"] == 2000 and created["idleTtlS"] > 0
    assert call("RunCell", {"sessionId": sid, "code": "x = 20"})["status"] == "OK"
    cell = call("RunCell", {"sessionId": sid, "code": "print('hi')\nx + 22"})
    assert (cell["status"], cell["stdout"], cell["value"], cell["executionCount"]) == ("OK", "hi\n", "42", 2)
    assert call("CloseSession", {"sessionId": sid}) == {}
    with pytest.raises(grpc.RpcError) as gone:
        call("RunCell", {"sessionId": sid, "code": "x"})
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND


def test_referee_repl_runs_cells_from_a_file_in_one_session(server: ServerProcess) -> None:
    import subprocess
    import sys

    cells = "x = 6 * 7\n# %%\nprint('hi')\nx\n# %%\n1 / 0\n# %%\nx + 1\n"
    done = subprocess.run(
        [sys.executable, "-m", "referee.cli", "repl", "--server", server.target, "--timeout", "2"],
        input=cells,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hi\nOut[2]: 42\nOut[4]: 43\n"
    assert "[RUNTIME_ERROR] ZeroDivisionError: division by zero" in done.stderr
