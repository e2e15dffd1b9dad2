"""The trusted side of a Python judge: runs assert-style tests against a candidate in another process.

Forked (not exec'ed) by the supervisor, so it runs as root (with the supervisor's few
capabilities) and non-dumpable, while the candidate runs as the unprivileged sandbox uid: the
candidate cannot read this process's memory, open its file descriptors or signal it. The
verdicts go out on the fd that was stdout when we were forked, one bounded JSON line each; test
code prints go to /dev/null. The candidate's functions are reached through `Proxy` objects that
ship plain values over a socket, so nothing the candidate does in its own process —
exiting early, patching builtins, printing "OK", returning objects that equal everything —
can turn a failed assertion into a pass. Success is a test statement that this process executed
itself, that executed at least one check, and that raised nothing.

What the tests see (their namespace): the entry point (as `candidate`, as check's parameter and
under its own name), the names the prelude defines (HumanEval's prompt helpers: the dataset's
versions, never the program's), and of the program's other functions only those the test code
reads without binding itself and that are not builtins. So a program that defines `zip`, `abs`
or `encode_cyclic` changes nothing the tests call.

How the test code splits into tests and setup: `testplan.py`. Each test and each setup statement
gets its own CPU-time limit (`clock.py`).
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import socket
import subprocess
import sys
import time

import referee_wire as wire
import testplan
from clock import BORDERLINE, Deadline, RunClock
from hardening import unprivileged_argv

CANDIDATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "candidate.py")
ENV = {"PATH": "/usr/bin:/bin", "HOME": "/work/run", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
OOM_CONTROL = "/sys/fs/cgroup/memory/memory.oom_control"
MAX_REPLY_BYTES = 16 * 1024 * 1024
MAX_DETAIL_CHARS = 200  # a verdict line stays under ~1.2 KB whatever the exception says
LOAD_EXTRA_S = 2.0  # the candidate's interpreter start, on top of a test's limit, to load the program


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

    def __init__(self, program: dict, timeout_s: float, cpus: float) -> None:
        ours, theirs = socket.socketpair()
        self.oom_before = _oom_kills()
        self.proc = subprocess.Popen(
            # As the sandbox uid (we stay root): it cannot signal, ptrace or read this process.
            unprivileged_argv(["/usr/bin/python3", "-I", CANDIDATE, str(theirs.fileno())]),
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
        self.clock = RunClock((1, os.getpid()))  # the candidate and whatever it starts
        self.cpus = cpus
        try:
            self._send(program)
            reply = self._recv(Deadline(self.clock, timeout_s + LOAD_EXTRA_S, cpus))
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

    def _recv(self, deadline: Deadline):
        while b"\n" not in self.buf:
            if over := deadline.check():
                self.kill()
                raise CandidateFailed("SANDBOX_ERROR" if over == "starved" else "TIMEOUT", deadline.why(over))
            self.sock.settimeout(max(deadline.next_wake() - time.monotonic(), 0.001))
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

    def call(self, what: str, msg: dict, deadline: Deadline, objects: bool = False):
        """Send one call; its plain value, or with `objects` an ("object", n) for an instance of
        one of the program's classes that stays in the candidate's process."""
        try:
            self._send(msg)
        except wire.NotPlain as exc:
            raise CandidateFailed("RUNTIME_ERROR", f"test passes a non-plain argument: {exc}") from None
        reply = self._recv(deadline)
        if type(reply) is dict and "value" in reply:
            return reply["value"]
        if type(reply) is dict and type(reply.get("object")) is int:
            if objects:
                return ("object", reply["object"])
            raise CandidateFailed("RUNTIME_ERROR", f"{what} returned an instance of a class, not a value")
        if type(reply) is dict and type(reply.get("raised")) is str:
            raise CandidateFailed("RUNTIME_ERROR", f"{what} raised {reply['raised']}")
        raise CandidateFailed("RUNTIME_ERROR", "malformed reply from the candidate")

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, 9)
        self.proc.wait()
        self.sock.close()


class Judge:
    def __init__(self, req: dict, out) -> None:
        self.program = {"prelude": req.get("prelude", ""), "source": req["source"]}
        self.timeout_s = req["test_timeout_ms"] / 1000
        self.cpus = req.get("cpus", 1.0)
        self.stop_on_first_failure = req.get("stop_on_first_failure", False)
        self.out = out
        self.cand: Candidate | None = None
        self.deadline: Deadline | None = None
        self.failure: CandidateFailed | None = None
        self.checks = 0  # asserts and assert*/fail* calls executed by the current step

    def candidate(self) -> Candidate:
        c = self.cand
        if c is None or (not c.load_error and c.proc.poll() is not None):
            self.cand = c = Candidate(self.program, self.timeout_s, self.cpus)
        return c

    def proxy(self, name: str, objects: bool = False):
        """A function of the program, called in the candidate's process. With `objects`, a class
        the test code names itself and constructs with no arguments (LeetCode's `Solution()`)
        makes an instance there, reached through `Instance`. Nothing else may return one: not the
        entry point, nor a call with arguments, nor a lower-case name, so a wrong program cannot
        pass off an object of its own making as a function's result (`f(x).startswith(...)`)."""

        def call(*args, **kwargs):
            cand = self.candidate()
            if name not in cand.names:
                raise self.fail(CandidateFailed("RUNTIME_ERROR", f"{name} is not defined by the program"))
            msg = {"call": name, "args": list(args), "kwargs": kwargs}
            construct = objects and not args and not kwargs and name[:1].isupper()
            reply = self.invoke(cand, name, msg, construct)
            return Instance(self, cand, reply[1], name) if construct and type(reply) is tuple else reply

        call.__name__ = name
        return call

    def invoke(self, cand: Candidate, what: str, msg: dict, objects: bool = False):
        """One call of the candidate, under the current step's time limit."""
        if self.deadline is None or self.deadline.clock is not cand.clock:
            self.deadline = Deadline(cand.clock, self.timeout_s, self.cpus, BORDERLINE)  # a fresh candidate
        try:
            if cand is not self.cand:
                raise CandidateFailed(
                    "RUNTIME_ERROR", f"{what}: its instance was lost when the program restarted"
                )
            return cand.call(what, msg, self.deadline, objects)
        except CandidateFailed as exc:
            raise self.fail(exc) from None

    def fail(self, exc: CandidateFailed) -> CandidateFailed:
        """Remember the first failure of this step, even if the test code swallows the exception."""
        if self.failure is None:
            self.failure = exc
        if exc.verdict != "RUNTIME_ERROR" or "exited" in str(exc):
            self.cand = None  # dead or abandoned mid-call: the next step gets a fresh one
        return exc

    def checked(self) -> None:
        self.checks += 1

    def checked_call(self, function, *args, **kwargs):
        """A call of an assert*/fail* function of the test code's: a check, like `assert`."""
        self.checks += 1
        return function(*args, **kwargs)

    def emit(self, **msg) -> None:
        self.out.write(json.dumps(msg, ensure_ascii=False) + "\n")
        self.out.flush()

    def step(self, code, ns: dict) -> tuple[str, str]:
        """Execute one step with its own time limit: (verdict, detail); PASS if nothing failed."""
        self.deadline = None  # started by the step's first call of the candidate
        self.failure = None
        self.checks = 0
        verdict, detail = "PASS", ""
        try:
            exec(code, ns)
        except CandidateFailed:
            pass
        except AssertionError as exc:
            verdict, detail = "WRONG_ANSWER", f"AssertionError {exc}".strip()
        except BaseException as exc:
            verdict, detail = "WRONG_ANSWER", f"{type(exc).__name__}: {exc}"
        if self.failure is not None:
            verdict, detail = self.failure.verdict, str(self.failure)
        return verdict, _clip(detail)

    def test(self, name: str, code, ns: dict) -> bool:
        t0 = time.monotonic()
        cand = self.candidate()
        if cand.load_error:
            verdict, _, detail = cand.load_error.partition(": ")
        else:
            verdict, detail = self.step(code, ns)
            if verdict == "PASS" and self._over_limit():  # by under BORDERLINE: once more decides
                verdict, detail = self.step(code, ns)
                if verdict == "PASS" and (used := self._over_limit()):
                    verdict, detail = (
                        "TIMEOUT",
                        f"used {used * 1000:.0f} ms of CPU time (limit {self.timeout_s * 1000:.0f} ms), twice",
                    )
            if verdict == "PASS" and not self.checks:
                verdict, detail = "WRONG_ANSWER", "the test ran no check (no assert was executed)"
        self.emit(
            name=name, verdict=verdict, detail=_clip(detail), ms=round((time.monotonic() - t0) * 1000, 3)
        )
        return verdict == "PASS"

    def _over_limit(self) -> float:
        """The CPU time of the step just run when it was over its limit (0.0 when within it)."""
        used = self.deadline.used_s() if self.deadline is not None else 0.0
        return used if used > self.timeout_s else 0.0

    def namespace(self, plan: testplan.TestPlan, entry_point: str) -> dict:
        """The tests' globals: see the module doc for what is in them, and why nothing else is."""
        ns: dict = {
            "__name__": "__main__",
            testplan.CHECK_HOOK: self.checked,
            testplan.CHECKED_CALL: self.checked_call,
            testplan.UNITTEST_HOOK: _run_unittest,
        }
        prelude = self.program["prelude"]
        if prelude:
            exec(compile(prelude, "<prelude>", "exec"), ns)  # trusted, like the tests
        names = self.candidate().names
        for name in names:
            if name in plan.free_names and name not in ns and not hasattr(builtins, name):
                ns[name] = self.proxy(name, objects=name != entry_point)
        if entry_point:
            ns[entry_point] = self.proxy(entry_point)
            for alias in plan.entry_aliases:
                ns[alias] = ns[entry_point]
        return ns

    def run(self, test_code: str, entry_point: str) -> None:
        plan = testplan.plan(test_code)  # the host refused test code without tests already
        self.emit(plan=list(plan.titles))
        setup_error, setup_verdict = "", "RUNTIME_ERROR"
        try:
            ns = self.namespace(plan, entry_point)
        except BaseException as exc:
            ns, setup_error = {}, f"prelude failed: {type(exc).__name__}: {exc}"
        failed = False
        pending = ""  # a setup failure not yet charged to any test
        for step in plan.steps:
            code = compile(step.code, "<tests>", "exec")
            if not step.is_test:
                if not setup_error:
                    verdict, detail = self.step(code, ns)
                    if verdict != "PASS":
                        setup_error = pending = f"setup {step.title[:60]!r} failed: {verdict} {detail}"
                        if verdict == "SANDBOX_ERROR":  # starved by the machine: nobody's fault
                            setup_verdict = verdict
                continue
            pending = ""
            if failed and self.stop_on_first_failure:
                self.emit(name=step.title, verdict="SKIPPED", detail="after a failure", ms=0)
            elif setup_error:
                self.emit(name=step.title, verdict=setup_verdict, detail=_clip(setup_error), ms=0)
                failed = True
            elif not self.test(step.title, code, ns):
                failed = True
        if pending:  # after the last test: it fails as a test of its own, never dropped
            self.emit(name="(setup after the tests)", verdict=setup_verdict, detail=_clip(pending), ms=0)
        self.emit(end=True)


class Instance:
    """An instance of the program's class, living in the candidate's process: the tests can only
    call its public methods, which return plain values. It is not a value itself (no truth value,
    equal only to itself), so a class cannot pose as a result."""

    def __init__(self, judge: Judge, cand: Candidate, index: int, cls: str) -> None:
        self._judge, self._cand, self._index, self._cls = judge, cand, index, cls

    def __getattr__(self, method: str):
        if method.startswith("_"):
            raise AttributeError(method)
        return Method(self, method)

    def __bool__(self) -> bool:
        raise self._judge.fail(CandidateFailed("RUNTIME_ERROR", f"an instance of {self._cls} is not a value"))

    def __repr__(self) -> str:
        return f"<{self._cls} instance in the program>"


class Method:
    def __init__(self, instance: Instance, name: str) -> None:
        self._instance, self._name = instance, name

    def __call__(self, *args, **kwargs):
        i = self._instance
        msg = {"object": i._index, "method": self._name, "args": list(args), "kwargs": kwargs}
        return i._judge.invoke(i._cand, f"{i._cls}.{self._name}", msg)

    def __bool__(self) -> bool:
        what = f"{self._instance._cls}.{self._name}"
        raise self._instance._judge.fail(CandidateFailed("RUNTIME_ERROR", f"{what} is a method, not a value"))


def _clip(text: str) -> str:
    """At most MAX_DETAIL_CHARS, valid UTF-8 (an exception message may hold lone surrogates)."""
    return text[:MAX_DETAIL_CHARS].encode("utf-8", "replace").decode("utf-8")


def _run_unittest(cls, method: str) -> None:
    """One unittest test, with its class and instance fixtures; its failure as an AssertionError."""
    import unittest

    result = unittest.TestResult()
    unittest.TestSuite([cls(method)]).run(result)
    problems = result.failures + result.errors
    if problems:
        raise AssertionError(problems[0][1].strip().splitlines()[-1])
    if result.skipped:
        raise AssertionError(f"skipped: {result.skipped[0][1]}")


def main(req: dict) -> None:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.setrecursionlimit(10_000)
    judge = Judge(req, out)
    judge.run(req["test_code"], req["entry_point"])
    if judge.cand is not None:
        judge.cand.kill()  # gone before we exit, so the supervisor sees no leftovers
