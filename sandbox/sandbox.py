"""`Sandbox`: run programs and judge them in warm, hardened containers.

    async with Sandbox(SandboxConfig()) as sb:
        result = await sb.execute(ExecuteSpec("python", "print(1)"))
        verdicts = await sb.judge(JudgeSpec("python", source, test_code=tests, entry_point="f"))

A visit leases one warm container, runs everything of one request in it (compile once,
then every test), wipes the work dir, and hands the container back — or replaces it when
anything could have dirtied it (timeout, OOM, leftover process, files outside the work dir).
"""

from __future__ import annotations

import ast
import asyncio
import base64
import dataclasses
import re
import secrets
import threading
import time
from typing import Any

from sandbox.compare import difference
from sandbox.config import SandboxConfig
from sandbox.container import Container, ContainerGone, HostDeadline, limit_fields
from sandbox.errors import InvalidSpec, SandboxError
from sandbox.guest.clock import BORDERLINE, wall_backstop_s
from sandbox.guest.testplan import NoTests
from sandbox.guest.testplan import plan as test_plan
from sandbox.languages import LANGUAGES, PYJUDGE, Language, language
from sandbox.limits import check_files, check_sizes, compile_limit, resolve_limits
from sandbox.pool import Pool
from sandbox.session import Sessions
from sandbox.types import (
    ExecuteResult,
    ExecuteSpec,
    IOCase,
    JudgeResult,
    JudgeSpec,
    OutputMatch,
    RunStatus,
    TestOutcome,
    Verdict,
)

__all__ = ["Sandbox"]

# CPython 3.11's AST constructor keeps its recursion depth per interpreter, not per thread:
# two threads parsing at once raise "AST constructor recursion depth mismatch" (SystemError).
_PARSE_LOCK = threading.Lock()
_JUDGE_START_MS = 3_000  # two interpreters and the imports, before the first test's clock starts
_PYTHON = language("python").run[:-1]  # the interpreter and its flags, as programs run
# testlib's argument order for checkers and interactors: input, the program's output, the answer
_TESTLIB_FILES = ("input.txt", "output.txt", "answer.txt")
# A checker, from the request.
CHECKER_ARGV = {
    "python": (*_PYTHON, "/work/judge/checker.py", *_TESTLIB_FILES),
    "cpp": ("/work/judge/checker", *_TESTLIB_FILES),
}
# A C++ checker is built once per visit by the cpp language's own compiler command, against
# referee's testlib.h ({private}: the judge uid's own directory, see the supervisor's build_judge)
_IN_PRIVATE = {"main": "{private}/checker", "main.cpp": "{private}/checker.cpp"}
CHECKER_BUILD = (*(_IN_PRIVATE.get(a, a) for a in language("cpp").compile), "-I/opt/referee")
CHECKER_FAILED = 3  # testlib's _fail: the checker cannot judge (a bad answer file): no verdict
# An interactor, from the request: testlib's arguments; {private} is its own directory.
INTERACTOR_ARGV = (*_PYTHON, *(f"{{private}}/{f}" for f in ("interactor.py", *_TESTLIB_FILES)))


def _backstop_ms(timeout_ms: int) -> int:
    """The wall-clock backstop of a run with a CPU-time limit of timeout_ms (clock.py)."""
    return int(wall_backstop_s(timeout_ms / 1000) * 1000)


class Sandbox:
    """A pool of warm, hardened containers. `start()` reaps orphans and warms the pool (it does not
    raise if the daemon is down: visits then return SANDBOX_ERROR until it is back); `close()`
    removes every container it started. Safe to share between concurrent tasks of one loop."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._pool = Pool(self.config)
        self.sessions = Sessions(self.config, self._pool.id)

    async def start(self) -> None:
        await self._pool.start()

    async def close(self) -> None:
        await self.sessions.close_all()
        await self._pool.close()

    def stats(self) -> dict[str, int]:
        """Containers by state, for metrics: `idle` warm and waiting, `busy` in a visit."""
        return self._pool.stats()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ execute

    async def execute(self, spec: ExecuteSpec) -> ExecuteResult:
        """Run one program. Bad requests raise ValueError subclasses; everything else is a result."""
        lang = language(spec.language)
        timeout_ms, memory_mb = resolve_limits(self.config, spec.timeout_ms, spec.memory_mb)
        check_sizes(self.config, spec.source, spec.stdin, spec.files)
        check_files(spec.fetch_files, "fetch_files")
        compile_ms = compile_limit(self.config, spec.compile_timeout_ms)
        files = {**spec.files, lang.filename: spec.source}

        async def visit(c: Container) -> ExecuteResult:
            built = await self._build(c, lang, files, compile_ms)
            if built is not None and built.status is not RunStatus.OK:
                return dataclasses.replace(self._compile_error(built), compiled=built)
            reply = await self._exec(
                c,
                lang.run,
                timeout_ms,
                stdin=spec.stdin,
                files={} if lang.compile else files,
                reset=True,
                fetch=spec.fetch_files,
            )
            result = _result(reply, timeout_ms)
            fetched = {name: base64.b64decode(data) for name, data in reply.get("fetched", {}).items()}
            return dataclasses.replace(result, compiled=built, files=fetched)

        try:
            return await self._visit(memory_mb, visit)
        except SandboxError as exc:
            return ExecuteResult(RunStatus.SANDBOX_ERROR, detail=str(exc))

    # -------------------------------------------------------------------- judge

    async def judge(self, spec: JudgeSpec) -> JudgeResult:
        """Run every test of one program in one visit. A test that fails or times out fails
        alone; COMPILE_ERROR and SANDBOX_ERROR are whole-sample statuses."""
        lang = language(spec.language)
        timeout_ms, memory_mb = resolve_limits(self.config, spec.timeout_ms, spec.memory_mb)
        check_sizes(self.config, spec.source, "".join(c.stdin for c in spec.cases))
        if bool(spec.test_code) == bool(spec.cases):
            raise InvalidSpec("judge: give test_code or cases (not both)")
        if len(spec.cases) > self.config.max_tests:
            raise InvalidSpec(f"cases: {len(spec.cases)} is over the maximum {self.config.max_tests}")
        if spec.interactor and not spec.cases:
            raise InvalidSpec("interactor: needs cases (each case's stdin is the interactor's input)")
        pyjudge = lang.tests is PYJUDGE
        if spec.test_code and lang.tests is None:
            with_tests = ", ".join(x.name for x in LANGUAGES if x.tests is not None)
            raise InvalidSpec(
                f"test_code: no assert-style tests in {lang.name} (they run in {with_tests}); use cases"
            )
        if spec.prelude and not pyjudge and not spec.test_code:
            raise InvalidSpec(f"prelude: with stdin/stdout cases, Python only, not {lang.name}")
        if spec.test_code and lang.tests is not None and lang.tests.needs:
            pattern, what = lang.tests.needs
            if not re.search(pattern, spec.test_code):
                raise NoTests(f"test_code: no test in it: {lang.name} tests need {what}")
        # Parsing megabytes of test code takes a while: not on the event loop.
        steps = await asyncio.to_thread(self._plan_steps, spec) if spec.test_code and pyjudge else 0
        t0 = time.monotonic()
        try:
            if spec.test_code and pyjudge:
                result = await self._visit(
                    memory_mb, lambda c: self._judge_asserts(c, spec, timeout_ms, steps)
                )
            elif spec.test_code:
                result = await self._visit(
                    memory_mb, lambda c: self._judge_own_tests(c, lang, spec, timeout_ms)
                )
            else:
                result = await self._visit(memory_mb, lambda c: self._judge_cases(c, lang, spec, timeout_ms))
        except SandboxError as exc:
            return JudgeResult(RunStatus.SANDBOX_ERROR, detail=str(exc))
        return JudgeResult(result.status, result.tests, result.detail, (time.monotonic() - t0) * 1000)

    def _plan_steps(self, spec: JudgeSpec) -> int:
        """Steps of the test code's plan (guest/testplan.py); ValueError naming what is wrong,
        NoTests (one) when it holds no test."""
        try:
            with _PARSE_LOCK:
                ast.parse(spec.prelude)
                plan = test_plan(spec.test_code)
        except SyntaxError as exc:
            raise InvalidSpec(f"test_code/prelude: not valid Python: {exc}") from None
        except (RecursionError, MemoryError):
            raise InvalidSpec("test_code/prelude: nested too deeply to parse") from None
        if len(plan.titles) > self.config.max_tests:
            raise InvalidSpec(
                f"test_code: {len(plan.titles)} tests is over the maximum {self.config.max_tests}"
            )
        return len(plan.steps)

    async def _judge_asserts(self, c: Container, spec: JudgeSpec, timeout_ms: int, steps: int) -> JudgeResult:
        # Every step (test or setup) and the program's load may run to its wall backstop; the
        # sample's cap bounds the sum.
        budget_ms = min(_backstop_ms(timeout_ms) * (steps + 1), self.config.max_judge_ms) + _JUDGE_START_MS
        req = {
            "op": "pyjudge",
            "source": spec.source,
            "prelude": spec.prelude,
            "test_code": spec.test_code,
            "entry_point": spec.entry_point,
            "test_timeout_ms": timeout_ms,
            "cpus": self.config.cpus,
            "stop_on_first_failure": spec.stop_on_first_failure,
        }
        reply = await self._call(c, req, budget_ms, reset=True)
        lines = reply["tests"]
        plan: list[str] = lines[0]["plan"] if lines and "plan" in lines[0] else []
        ended = bool(lines) and lines[-1].get("end") is True
        done = [
            TestOutcome(x["name"], Verdict(x["verdict"]), x["detail"], x["ms"])
            for x in lines[1:]
            if "verdict" in x
        ]
        if not plan:
            why = reply.get("host_deadline") or reply["stderr"][-300:]
            return JudgeResult(RunStatus.SANDBOX_ERROR, detail=f"the test runner failed: {why}")
        if not ended:  # the runner did not get to its end: whatever it did not report failed
            verdict, why = _lost_tests(reply)
            lost = plan[len(done) :]
            done += [TestOutcome(name, verdict, why) for name in lost]
            if not lost:  # every test reported, but the setup after the last one never finished
                done.append(TestOutcome("(setup after the tests)", verdict, why))
        return _judged(done)

    async def _judge_own_tests(
        self, c: Container, lang: Language, spec: JudgeSpec, timeout_ms: int
    ) -> JudgeResult:
        """Tests in the program's own language, in its process (MultiPL-E, HumanEval-X): one
        verdict for the run. It passes only if it exits 0 and the trusted end of its tests printed
        the run's secret (Language.Tests), so an exit before the tests end is a wrong answer."""
        end, secret = f"referee_end_{secrets.token_hex(6)}", secrets.token_hex(16)
        built = lang.with_tests()
        # The completion continues the prompt (MultiPL-E's contract); one that repeats it first is whole.
        repeated = spec.source.lstrip().startswith(spec.prelude.strip())
        program = spec.source if repeated else spec.prelude + spec.source
        files = {built.filename: lang.assemble(program, spec.test_code, end)}
        compiled = await self._compile(c, built, files)
        if compiled is not None:
            return JudgeResult(
                compiled.status, (TestOutcome("tests", Verdict.COMPILE_ERROR),), compiled.detail
            )
        files_now = {} if built.compile else files
        reply = await self._exec(
            c, built.run, timeout_ms, files=files_now, reset=True, end_token=f"{end} {secret}"
        )
        r = _result(reply, timeout_ms)
        if r.status is RunStatus.OK and reply.get("tests_ended"):
            # the guarantee's limit, said where the verdict is (docs/SANDBOX.md)
            outcome = TestOutcome(
                "tests", Verdict.PASS, "the tests ran to their end, in the program's process", r.wall_ms
            )
        elif r.status is RunStatus.OK:
            why = "exited 0 before its tests ended (the trusted end of the tests never ran)"
            outcome = TestOutcome("tests", Verdict.WRONG_ANSWER, why, r.wall_ms)
        elif r.status is RunStatus.RUNTIME_ERROR:
            said = _last_line(r.stderr, "") or _last_line(r.stdout, "")
            outcome = TestOutcome(
                "tests", Verdict.WRONG_ANSWER, f"a test failed ({r.detail}): {said}", r.wall_ms
            )
        else:
            outcome = TestOutcome("tests", Verdict(r.status.value), r.detail, r.wall_ms)
        return _judged([outcome])

    async def _judge_cases(
        self, c: Container, lang: Language, spec: JudgeSpec, timeout_ms: int
    ) -> JudgeResult:
        # A stdin/stdout program runs after the prelude, in one file, as the harnesses run it.
        files = {lang.filename: spec.prelude + "\n" + spec.source if spec.prelude else spec.source}
        compiled = await self._compile(c, lang, files)
        if compiled is not None:
            tests = tuple(TestOutcome(f"case {i + 1}", Verdict.COMPILE_ERROR) for i in range(len(spec.cases)))
            return JudgeResult(compiled.status, tests, compiled.detail)
        outcomes: list[TestOutcome] = []
        checker_written = False
        budget_end = time.monotonic() + self.config.max_judge_ms / 1000
        for i, case in enumerate(spec.cases):
            if outcomes and not outcomes[-1].passed and spec.stop_on_first_failure:
                outcomes.append(TestOutcome(f"case {i + 1}", Verdict.SKIPPED, "after a failure"))
                continue
            left_ms = int((budget_end - time.monotonic()) * 1000)
            if left_ms <= 0:
                outcomes.append(
                    TestOutcome(f"case {i + 1}", Verdict.TIMEOUT, "the sample's time budget ran out")
                )
                continue
            limit_ms = min(timeout_ms, left_ms)
            if spec.interactor:
                outcomes.append(
                    await self._interact(c, lang, f"case {i + 1}", case, limit_ms, spec.interactor, files)
                )
                continue
            result = await self._run_case(
                c, lang, case, limit_ms, files if not lang.compile else {}, first=i == 0
            )
            name = f"case {i + 1}"
            if spec.output_match.checker and result.status is RunStatus.OK:
                outcomes.append(
                    await self._checked(c, name, case, result, spec.output_match, write=not checker_written)
                )
                checker_written = True
            else:
                outcomes.append(_case_outcome(name, case, result, spec.output_match))
        return _judged(outcomes)  # the visit's end resets the container (`_visit`)

    async def _interact(
        self,
        c: Container,
        lang: Language,
        name: str,
        case: IOCase,
        limit_ms: int,
        interactor: str,
        files: dict[str, str],
    ) -> TestOutcome:
        """One case of an interactive problem: the interactor's exit code is the verdict, unless
        the program ran out of time or memory first."""
        req = {
            "op": "interact",
            "argv": list(lang.run),
            "files": files,
            "interactor_argv": list(INTERACTOR_ARGV),
            "interactor_files": {
                "interactor.py": interactor,
                "input.txt": case.stdin,
                "answer.txt": case.expected_stdout,
            },
        }
        reply = await self._call(c, req, limit_ms)
        r = _result(reply, limit_ms)
        if r.status not in (RunStatus.OK, RunStatus.RUNTIME_ERROR):
            return TestOutcome(name, Verdict(r.status.value), r.detail, r.wall_ms)
        if reply.get("interactor_exit") != 0:  # its verdict first: a program it hung up on dies of SIGPIPE
            why = _last_line(reply.get("interactor_said", ""), f"exit code {reply.get('interactor_exit')}")
            return TestOutcome(name, Verdict.WRONG_ANSWER, f"interactor: {why}", r.wall_ms)
        if r.status is RunStatus.RUNTIME_ERROR:
            return TestOutcome(name, Verdict.RUNTIME_ERROR, r.detail, r.wall_ms)
        return TestOutcome(name, Verdict.PASS, "", r.wall_ms)

    async def _checked(
        self, c: Container, name: str, case: IOCase, result: ExecuteResult, match: OutputMatch, write: bool
    ) -> TestOutcome:
        """The checker's verdict on one case's output. It runs after the program is gone, from a
        directory the program cannot write; the answer file exists only while it runs. Exit 0
        accepts; testlib's _fail (3) means it cannot judge: no verdict; anything else rejects."""
        files = {"input.txt": case.stdin, "output.txt": result.stdout, "answer.txt": case.expected_stdout}
        argv = CHECKER_ARGV[match.checker_language]
        req: dict[str, Any] = {"op": "exec", "argv": list(argv), "stdin": "", "files": files}
        req["remove_after"] = list(files)
        if write and match.checker_language == "cpp":
            built = await self._build_checker(c, match.checker)
            if built is not None:
                return TestOutcome(name, Verdict.SANDBOX_ERROR, built, result.wall_ms)
        elif write:
            req["judge_files"] = {"checker.py": match.checker}
        reply = await self._call(c, req, self.config.checker_timeout_ms)
        verdict = _result(reply, self.config.checker_timeout_ms)
        if verdict.status is RunStatus.OK:
            return TestOutcome(name, Verdict.PASS, "", result.wall_ms)
        why = _last_line(verdict.stderr.strip() or verdict.stdout, verdict.detail)
        if verdict.status is RunStatus.SANDBOX_ERROR:  # the checker was starved: no verdict
            return TestOutcome(name, Verdict.SANDBOX_ERROR, f"checker: {verdict.detail}", result.wall_ms)
        if verdict.exit_code == CHECKER_FAILED:
            return TestOutcome(
                name, Verdict.SANDBOX_ERROR, f"checker failed (cannot judge): {why}", result.wall_ms
            )
        return TestOutcome(name, Verdict.WRONG_ANSWER, f"checker: {why}", result.wall_ms)

    async def _build_checker(self, c: Container, source: str) -> str | None:
        """Compile a C++ checker into the visit's judge dir; None when it is installed, else why not."""
        req = {"op": "build", "argv": list(CHECKER_BUILD), "stdin": "", "source_name": "checker.cpp"}
        req |= {"source": source, "output": "checker"}
        reply = await self._call(c, req, self.config.compile_limit_ms, compiling=True)
        if reply.get("installed"):
            return None
        built = _result(reply, self.config.compile_limit_ms)
        return f"checker does not compile ({built.detail or built.status.value}): {_first_error(built)[:300]}"

    async def _run_case(
        self, c: Container, lang: Language, case: IOCase, limit_ms: int, files: dict[str, str], first: bool
    ) -> ExecuteResult:
        """One case under a CPU limit of limit_ms. It may run to BORDERLINE past it; a run that
        ends in that margin is run once more, and only a second overrun is TIMEOUT, so a verdict
        at the edge of the limit does not hang on one noisy measurement."""
        slack_ms = int(limit_ms * (1 + BORDERLINE))
        reply = await self._exec(c, lang.run, slack_ms, stdin=case.stdin, files=files if first else {})
        if not reply["timed_out"] and reply.get("cpu_ms", 0.0) > limit_ms:
            reply = await self._exec(c, lang.run, slack_ms, stdin=case.stdin, files=files)
        result = _result(reply, limit_ms)
        over = reply.get("cpu_ms", 0.0) > limit_ms and result.status in (RunStatus.OK, RunStatus.TIMEOUT)
        if over and reply.get("time_over") != "idle":
            why = f"used {reply['cpu_ms']:.0f} ms of CPU time (limit {limit_ms} ms)"
            return dataclasses.replace(result, status=RunStatus.TIMEOUT, detail=why)
        return result

    # ------------------------------------------------------------------ plumbing

    async def _visit(self, memory_mb: int, fn: Any) -> Any:
        """Lease a container and run `fn(container)`; once more on a fresh one if a warm one was
        found dead (the daemon restarted under it), so a restart costs no result."""
        for attempt in (1, 2):
            try:
                async with self._pool.lease(memory_mb) as c:
                    result = await fn(c)
                    if c.needs_reset and c.reusable:  # the visit ended early (compile error, skipped cases)
                        await self._call(c, {"op": "reset"}, 5_000, reset=True)
                    return result
            except ContainerGone:
                if attempt == 2:
                    raise
                self._pool.retire_idle()
        raise AssertionError("unreachable")

    async def _compile(self, c: Container, lang: Language, files: dict[str, str]) -> ExecuteResult | None:
        """Compile in the visit's work dir; None on success, else the COMPILE_ERROR result."""
        built = await self._build(c, lang, files, self.config.compile_limit_ms)
        return None if built is None or built.status is RunStatus.OK else self._compile_error(built)

    async def _build(
        self, c: Container, lang: Language, files: dict[str, str], limit_ms: int
    ) -> ExecuteResult | None:
        """The compiler's run in the visit's work dir (None for an interpreted language)."""
        if not lang.compile:
            return None
        reply = await self._exec(c, lang.compile, limit_ms, files=files, compiling=True)
        result = _result(reply, limit_ms)
        if result.status is RunStatus.SANDBOX_ERROR:  # the compiler was starved: no verdict
            raise SandboxError(f"compiling: {result.detail}")
        return result

    @staticmethod
    def _compile_error(result: ExecuteResult) -> ExecuteResult:
        """The program's result when its compiler's run (`result`) did not succeed."""
        first = _first_error(result)
        return ExecuteResult(
            RunStatus.COMPILE_ERROR,
            result.exit_code,
            result.stdout,
            result.stderr,
            result.wall_ms,
            first[:300]
            if result.status is RunStatus.RUNTIME_ERROR
            else f"compiler {result.detail}: {first[:200]}",
        )

    async def _exec(
        self,
        c: Container,
        argv: tuple[str, ...],
        timeout_ms: int,
        *,
        stdin: str = "",
        files: dict[str, str] | None = None,
        reset: bool = False,
        compiling: bool = False,
        end_token: str = "",
        fetch: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """`end_token`: a run with its own tests; the supervisor makes it the run's stdin.
        `fetch`: work-dir files it reads back after the run (the reply's `fetched`, base64)."""
        req: dict[str, Any] = {"op": "exec", "argv": list(argv), "stdin": stdin, "files": files or {}}
        if end_token:
            req["end_token"] = end_token
        if fetch:
            req["fetch"] = list(fetch)
        return await self._call(c, req, timeout_ms, reset=reset, compiling=compiling)

    async def _call(
        self,
        c: Container,
        req: dict[str, Any],
        timeout_ms: int,
        *,
        reset: bool = False,
        compiling: bool = False,
    ) -> dict[str, Any]:
        req = {
            **req,
            **limit_fields(self.config, c.memory_mb, compiling=compiling),
            "timeout_ms": timeout_ms,
            "reset": reset,
        }
        # A program's limit is CPU time, cut at its wall backstop inside; the judge's is wall time.
        wall_ms = _backstop_ms(timeout_ms) if req["op"] in ("exec", "interact", "build") else timeout_ms
        t0 = time.monotonic()
        try:
            reply = await c.call(req, (wall_ms + self.config.host_grace_ms) / 1000)
        except HostDeadline as exc:
            # The supervisor itself did not come back: the program overran, killed from outside.
            return {
                "exit_code": -9,
                "timed_out": True,
                "output_limited": False,
                "oom_killed": False,
                "leftovers": True,
                "stdout": "",
                "stderr": "",
                "wall_ms": (time.monotonic() - t0) * 1000,
                "tests": [],
                "host_deadline": str(exc),
            }
        if any(
            reply.get(k)
            for k in ("timed_out", "starved", "oom_killed", "leftovers", "output_limited", "files_limited")
        ):
            c.reusable = False
        c.needs_reset = not reset
        if reset and not reply.get("reset", {}).get("clean", False):
            c.reusable = False  # the program left something a fresh container would not have
        return reply


def _result(reply: dict[str, Any], timeout_ms: int) -> ExecuteResult:
    code = reply["exit_code"]
    if reply.get("starved"):  # runnable, but the machine gave it no CPU: nobody's verdict
        status, detail = RunStatus.SANDBOX_ERROR, reply["time_detail"]
    elif reply["timed_out"]:
        status = RunStatus.TIMEOUT
        detail = reply.get("host_deadline") or reply.get("time_detail") or f"killed after {timeout_ms} ms"
    elif reply["oom_killed"]:
        status, detail = RunStatus.MEMORY_LIMIT, "killed by the memory limit"
    elif reply["output_limited"]:
        status, detail = RunStatus.OUTPUT_LIMIT, "output over the cap: cut and killed"
    elif reply.get("files_limited"):
        status, detail = RunStatus.OUTPUT_LIMIT, "created more files than the sandbox allows: killed"
    elif code != 0:
        status, detail = (
            RunStatus.RUNTIME_ERROR,
            f"killed by signal {-code}" if code < 0 else f"exit code {code}",
        )
    else:
        status, detail = RunStatus.OK, ""
    return ExecuteResult(
        status, code, reply["stdout"], reply["stderr"], reply["wall_ms"], detail, reply.get("cpu_ms", 0.0)
    )


def _first_error(compiled: ExecuteResult) -> str:
    """A compiler's first line that mentions an error (else the start of what it said)."""
    message = (compiled.stderr or compiled.stdout).strip()
    return next((ln for ln in message.splitlines() if "error" in ln), message[:200])


def _last_line(said: str, otherwise: str) -> str:
    """What a checker or interactor said last (its reason, by testlib's habit), cut short."""
    lines = said.strip().splitlines()
    return lines[-1][:150] if lines else otherwise


def _judged(outcomes: list[TestOutcome]) -> JudgeResult:
    """OK with the outcomes, unless a test could not be judged (its run was starved by machine
    load): then the whole sample cannot be scored, rather than a wrong answer."""
    starved = next((t for t in outcomes if t.verdict is Verdict.SANDBOX_ERROR), None)
    if starved is not None:
        return JudgeResult(RunStatus.SANDBOX_ERROR, tuple(outcomes), f"{starved.name}: {starved.detail}")
    return JudgeResult(RunStatus.OK, tuple(outcomes))


def _lost_tests(reply: dict[str, Any]) -> tuple[Verdict, str]:
    """Why the runner did not report every test: it ran out of time, or the program took it down."""
    if reply["timed_out"]:
        return Verdict.TIMEOUT, "the whole judge ran out of time"
    if reply["oom_killed"]:
        return Verdict.MEMORY_LIMIT, "killed by the memory limit"
    return Verdict.RUNTIME_ERROR, "the test runner was killed by the program"


def _case_outcome(name: str, case: IOCase, r: ExecuteResult, match: OutputMatch) -> TestOutcome:
    if r.status is not RunStatus.OK:
        return TestOutcome(name, Verdict(r.status.value), r.detail, r.wall_ms)
    if why := difference(case.expected_stdout, r.stdout, match):
        return TestOutcome(name, Verdict.WRONG_ANSWER, why, r.wall_ms)
    return TestOutcome(name, Verdict.PASS, "", r.wall_ms)
