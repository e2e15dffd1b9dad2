"""The trusted side of a Python judge: runs assert-style tests against a candidate in another process.

Forked (not exec'ed) by the supervisor, so it runs as root (with the supervisor's few
capabilities) and non-dumpable, while the candidate runs as the unprivileged sandbox uid: the
candidate cannot read this process's memory, open its file descriptors or signal it. The
verdicts go out on the fd that was stdout when we were forked; test code prints go to
/dev/null. The candidate's functions are reached through `Proxy` objects that
ship plain values over a socket, so nothing the candidate does in its own process —
exiting early, patching builtins, printing "OK", returning objects that equal everything —
can turn a failed assertion into a pass. Success is the absence of an exception in a test
statement that this process executed itself.

Test splitting: each top-level statement of `test_code` that contains an `assert` is one
test; with no top-level asserts, the body of `check(candidate)` (HumanEval style) is split
the same way. Other statements are setup, executed in order; if setup fails, the tests after
it fail with its error.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence

import referee_wire as wire
from hardening import unprivileged_argv

CANDIDATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "candidate.py")
ENV = {"PATH": "/usr/bin:/bin", "HOME": "/work/run", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
OOM_CONTROL = "/sys/fs/cgroup/memory/memory.oom_control"
MAX_REPLY_BYTES = 16 * 1024 * 1024


class CandidateFailed(BaseException):
    """The candidate could not answer a call: verdict and detail for the test that made it.

    A BaseException, so test code's `except Exception` cannot swallow a timeout into a pass."""

    def __init__(self, verdict: str, detail: str) -> None:
        super().__init__(detail)
        self.verdict = verdict


def _oom_kills() -> int:
    try:
        with open(OOM_CONTROL) as f:
            return next((int(x.split()[1]) for x in f if x.startswith("oom_kill ")), -1)
    except OSError:
        return -1


class Candidate:
    """One candidate interpreter; replaced after it dies or overruns a deadline."""

    def __init__(self, source: str, load_timeout_s: float) -> None:
        ours, theirs = socket.socketpair()
        self.oom_before = _oom_kills()
        self.proc = subprocess.Popen(
            # As the sandbox uid (we stay root): it cannot signal, ptrace or read this process.
            unprivileged_argv(["/usr/bin/python3", "-I", "-S", CANDIDATE, str(theirs.fileno())]),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(theirs.fileno(),),
            cwd="/work/run",
            env=ENV,
            start_new_session=True,
        )
        theirs.close()
        # Set from outside: a preexec_fn would force fork (~4 ms here) instead of vfork.
        with contextlib.suppress(OSError), open(f"/proc/{self.proc.pid}/oom_score_adj", "w") as f:
            f.write("1000")
        self.sock = ours
        self.buf = bytearray()
        self.names: list[str] = []
        self.load_error = ""
        try:
            self._send(source)
            reply = self._recv(time.monotonic() + load_timeout_s)
        except CandidateFailed as exc:
            self.load_error = f"{exc.verdict}: {exc}"
            return
        if not isinstance(reply, dict) or not isinstance(reply.get("ready", reply.get("error")), (list, str)):
            self.load_error = "RUNTIME_ERROR: malformed reply from the candidate"
        elif "error" in reply:
            self.load_error = f"RUNTIME_ERROR: {reply['error']}"
        else:
            self.names = [n for n in reply["ready"] if isinstance(n, str)]

    def _send(self, value) -> None:
        try:
            self.sock.sendall(wire.dumps(value))
        except OSError:
            raise self._died() from None

    def _died(self) -> CandidateFailed:
        try:
            code = self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            code = None
        if code == -9 and self.oom_before >= 0 and _oom_kills() > self.oom_before:
            return CandidateFailed("MEMORY_LIMIT", "killed by the memory limit")
        return CandidateFailed("RUNTIME_ERROR", f"the program exited (code {code}) instead of answering")

    def _recv(self, deadline: float):
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise CandidateFailed("TIMEOUT", "ran past the deadline")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(1 << 20)
            except TimeoutError:
                continue
            except OSError:
                chunk = b""
            if not chunk:
                raise self._died()
            self.buf += chunk
            if len(self.buf) > MAX_REPLY_BYTES:
                self.kill()
                raise CandidateFailed("OUTPUT_LIMIT", "returned a value over 16 MiB")
        line, _, rest = bytes(self.buf).partition(b"\n")
        self.buf = bytearray(rest)
        try:
            return wire.loads(line)
        except (ValueError, TypeError, RecursionError) as exc:
            raise CandidateFailed("RUNTIME_ERROR", f"undecodable reply: {exc}") from None

    def call(self, name: str, args: tuple, kwargs: dict, deadline: float):
        try:
            msg = {"call": name, "args": list(args), "kwargs": kwargs}
            self._send(msg)
        except wire.NotPlain as exc:
            raise CandidateFailed("RUNTIME_ERROR", f"test passes a non-plain argument: {exc}") from None
        reply = self._recv(deadline)
        if type(reply) is dict and "value" in reply:
            return reply["value"]
        if type(reply) is dict and type(reply.get("raised")) is str:
            raise CandidateFailed("RUNTIME_ERROR", f"{name} raised {reply['raised']}")
        raise CandidateFailed("RUNTIME_ERROR", "malformed reply from the candidate")

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, 9)
        self.proc.wait()
        self.sock.close()


class Judge:
    def __init__(self, req: dict, out) -> None:
        self.source = req["source"]
        self.timeout_s = req["test_timeout_ms"] / 1000
        self.stop_on_first_failure = req.get("stop_on_first_failure", False)
        self.out = out
        self.cand: Candidate | None = None
        self.deadline = 0.0
        self.failure: CandidateFailed | None = None

    def candidate(self) -> Candidate:
        c = self.cand
        if c is None or (not c.load_error and c.proc.poll() is not None):
            self.cand = c = Candidate(self.source, self.timeout_s + 2.0)  # + interpreter start
        return c

    def proxy(self, name: str):
        def call(*args, **kwargs):
            cand = self.candidate()
            if name not in cand.names:
                raise self.fail(CandidateFailed("RUNTIME_ERROR", f"{name} is not defined by the program"))
            try:
                return cand.call(name, args, kwargs, self.deadline)
            except CandidateFailed as exc:
                raise self.fail(exc) from None

        call.__name__ = name
        return call

    def fail(self, exc: CandidateFailed) -> CandidateFailed:
        """Remember the first failure of this test, even if the test code swallows the exception."""
        if self.failure is None:
            self.failure = exc
        if exc.verdict != "RUNTIME_ERROR" or "exited" in str(exc):
            self.cand = None  # dead or abandoned mid-call: the next test gets a fresh one
        return exc

    def emit(self, **msg) -> None:
        self.out.write(json.dumps(msg) + "\n")
        self.out.flush()

    def run_test(self, name: str, code, ns: dict) -> bool:
        t0 = time.monotonic()
        self.deadline = t0 + self.timeout_s
        self.failure = None
        verdict, detail = "PASS", ""
        cand = self.candidate()
        if cand.load_error:
            verdict, _, detail = cand.load_error.partition(": ")
        else:
            try:
                exec(code, ns)
            except CandidateFailed:
                pass
            except AssertionError as exc:
                verdict, detail = "WRONG_ANSWER", f"AssertionError {exc}".strip()[:200]
            except BaseException as exc:
                verdict, detail = "WRONG_ANSWER", f"{type(exc).__name__}: {exc}"[:200]
            if self.failure is not None:
                verdict, detail = self.failure.verdict, str(self.failure)[:200]
        self.emit(name=name, verdict=verdict, detail=detail, ms=round((time.monotonic() - t0) * 1000, 3))
        return verdict == "PASS"

    def run(self, test_code: str, entry_point: str) -> None:
        tree = ast.parse(test_code)
        steps: Sequence[ast.stmt | ast.Module]  # the whole tree (a Module) when it is one test
        check = next((s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "check"), None)
        if check is None or any(_is_test(s) for s in tree.body):
            setup, steps = [], tree.body
        else:  # HumanEval: definitions at top level, the asserts inside check(candidate)
            setup, steps = [s for s in tree.body if s is not check], check.body
        if not any(_is_test(s) for s in steps):
            setup, steps = [], [tree]  # no asserts: the whole code is one test
        tests = [s for s in steps if s is tree or _is_test(s)]
        self.emit(plan=[_title(s, test_code) for s in tests])
        ns: dict = {"__name__": "__tests__"}
        for name in self.candidate().names:
            ns[name] = self.proxy(name)
        if entry_point:
            ns["candidate"] = self.proxy(entry_point)
        setup_error = ""
        for setup_stmt in setup:
            try:
                exec(compile(ast.Module([setup_stmt], []), "<tests>", "exec"), ns)
            except BaseException as exc:
                setup_error = setup_error or f"setup failed: {type(exc).__name__}: {exc}"[:200]
        failed = False
        for stmt in steps:
            code = compile(
                stmt if isinstance(stmt, ast.Module) else ast.Module([stmt], []), "<tests>", "exec"
            )
            if stmt is not tree and not _is_test(stmt):
                if not setup_error:
                    try:
                        exec(code, ns)
                    except BaseException as exc:
                        setup_error = f"setup failed: {type(exc).__name__}: {exc}"[:200]
                continue
            name = _title(stmt, test_code)
            if failed and self.stop_on_first_failure:
                self.emit(name=name, verdict="SKIPPED", detail="after a failure", ms=0)
            elif setup_error:
                self.emit(name=name, verdict="RUNTIME_ERROR", detail=setup_error, ms=0)
                failed = True
            elif not self.run_test(name, code, ns):
                failed = True


def _is_test(stmt: ast.AST) -> bool:
    """A statement that asserts something when executed (a def that holds asserts does not, nor
    HumanEval's `assert True, "This prints if this assert fails"`, which tests nothing)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    if isinstance(stmt, ast.Assert) and isinstance(stmt.test, ast.Constant):
        return False
    return any(isinstance(n, ast.Assert) for n in ast.walk(stmt))


def _title(stmt: ast.AST, source: str) -> str:
    text = (
        (source if isinstance(stmt, ast.Module) else ast.get_source_segment(source, stmt) or "")
        .strip()
        .splitlines()
    )
    return (text[0] if text else "test")[:80]


def main(req: dict) -> None:
    out = os.fdopen(os.dup(1), "w")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.setrecursionlimit(10_000)
    judge = Judge(req, out)
    judge.run(req["test_code"], req["entry_point"])
    if judge.cand is not None:
        judge.cand.kill()  # gone before we exit, so the supervisor sees no leftovers
