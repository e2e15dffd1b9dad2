"""What a caller hands the sandbox and what it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sandbox.errors import InvalidSpec

__all__ = [
    "CellResult",
    "Comparator",
    "ExecuteResult",
    "ExecuteSpec",
    "IOCase",
    "JudgeResult",
    "JudgeSpec",
    "OutputMatch",
    "RunStatus",
    "SessionInfo",
    "SessionSpec",
    "TestOutcome",
    "Verdict",
]


class RunStatus(StrEnum):
    """How one program run ended. Only SANDBOX_ERROR means "could not run it"."""

    OK = "OK"  # exited 0 within every limit
    RUNTIME_ERROR = "RUNTIME_ERROR"  # non-zero exit or killed by a signal
    TIMEOUT = "TIMEOUT"  # wall clock ran out; killed from outside
    MEMORY_LIMIT = "MEMORY_LIMIT"  # killed by the cgroup OOM killer
    OUTPUT_LIMIT = "OUTPUT_LIMIT"  # stdout or stderr exceeded the cap; killed, output cut
    COMPILE_ERROR = "COMPILE_ERROR"  # the compiler refused the source
    SANDBOX_ERROR = "SANDBOX_ERROR"  # infrastructure failure; says nothing about the program


class Verdict(StrEnum):
    """The outcome of one test. Only PASS gives credit."""

    PASS = "PASS"
    WRONG_ANSWER = "WRONG_ANSWER"  # assertion failed or output differs
    RUNTIME_ERROR = "RUNTIME_ERROR"
    TIMEOUT = "TIMEOUT"
    MEMORY_LIMIT = "MEMORY_LIMIT"
    OUTPUT_LIMIT = "OUTPUT_LIMIT"
    COMPILE_ERROR = "COMPILE_ERROR"
    SANDBOX_ERROR = "SANDBOX_ERROR"
    SKIPPED = "SKIPPED"  # not run: stop_on_first_failure after an earlier failure

    @property
    def short(self) -> str:
        return _SHORT[self]


_SHORT = {
    Verdict.PASS: "ok",
    Verdict.WRONG_ANSWER: "WA",
    Verdict.RUNTIME_ERROR: "RE",
    Verdict.TIMEOUT: "TLE",
    Verdict.MEMORY_LIMIT: "MLE",
    Verdict.OUTPUT_LIMIT: "OLE",
    Verdict.COMPILE_ERROR: "CE",
    Verdict.SANDBOX_ERROR: "SE",
    Verdict.SKIPPED: "skip",
}


@dataclass(frozen=True, slots=True)
class ExecuteSpec:
    """One program run. Limits of None take the config defaults."""

    language: str
    source: str
    stdin: str = ""
    files: dict[str, str] = field(default_factory=dict)  # extra files in the work dir
    timeout_ms: int | None = None
    memory_mb: int | None = None
    # The compiler's CPU time; None (and anything above it) is the server's compile_timeout_ms.
    compile_timeout_ms: int | None = None
    # Work-dir files to read back after the run (plain names, as `files`): ExecuteResult.files.
    fetch_files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExecuteResult:
    status: RunStatus
    exit_code: int = -1  # -N when killed by signal N
    stdout: str = ""
    stderr: str = ""
    wall_ms: float = 0.0
    detail: str = ""  # why, in a few words ("killed after 2000 ms", compiler message head)
    cpu_ms: float = 0.0  # CPU time of the run's processes, what its time limit counts
    # The compiler's own run, for a compiled language that got as far as its compiler.
    compiled: ExecuteResult | None = None
    # The `fetch_files` the run left as regular files in its work dir (missing ones are absent).
    files: dict[str, bytes] = field(default_factory=dict)


class Comparator(StrEnum):
    """How a stdin/stdout case's output is compared with the expected one (sandbox.compare)."""

    LINES = "lines"  # the whole output; trailing whitespace and trailing blank lines ignored
    TOKENS = "tokens"  # the same whitespace-separated tokens, in order
    FLOAT = "float"  # tokens; numbers within float_tolerance (abs or rel), integers exactly
    CHECKER = "checker"  # a checker program decides (several valid answers): see OutputMatch


CHECKER_LANGUAGES = ("python", "cpp")  # C++ checkers compile against testlib's checker API


@dataclass(frozen=True, slots=True)
class OutputMatch:
    comparator: Comparator = Comparator.LINES
    float_tolerance: float = 1e-6  # absolute or relative, `float` only; never for two integers
    ignore_case: bool = False
    # `checker`: source run as `checker input output answer` (testlib's argument order) after
    # each case; exit 0 accepts, testlib's _fail (3) gives no verdict (SANDBOX_ERROR), anything
    # else (a crash included) is a wrong answer. Python, or C++ against testlib's checker API.
    checker: str = ""
    checker_language: str = "python"  # "python" or "cpp"

    def __post_init__(self) -> None:
        object.__setattr__(self, "comparator", Comparator(self.comparator))  # ValueError names it
        if not 0 <= self.float_tolerance < 1:
            raise InvalidSpec(f"float_tolerance: {self.float_tolerance} is not in [0, 1)")
        if (self.comparator is Comparator.CHECKER) != bool(self.checker):
            raise InvalidSpec("checker: give the checker's source exactly when the comparator is 'checker'")
        if self.checker_language not in CHECKER_LANGUAGES:
            raise InvalidSpec(
                f"checker_language: {self.checker_language!r} is not one of {', '.join(CHECKER_LANGUAGES)}"
            )


@dataclass(frozen=True, slots=True)
class IOCase:
    stdin: str
    expected_stdout: str


@dataclass(frozen=True, slots=True)
class JudgeSpec:
    """A program and its tests: assert-style `test_code` (+ `entry_point`), or stdin/stdout `cases`.

    `timeout_ms` is per test, in CPU time (the wall clock is only a backstop: see
    sandbox/guest/clock.py). All tests run in one sandbox visit, compiled once.
    Without its `source` this is a sample's reference (`rewards.CodeReference` is this type):
    the code reward fills the program in from the completion.
    """

    language: str
    source: str = ""
    test_code: str = ""
    entry_point: str = ""
    cases: tuple[IOCase, ...] = ()
    timeout_ms: int | None = None
    memory_mb: int | None = None
    stop_on_first_failure: bool = False
    # Trusted Python before the program (HumanEval's prompt, a harness's imports): run before it
    # in its process (stdin/stdout: the two are one file), and assert-style tests see the
    # prelude's definitions, never the program's versions of them.
    prelude: str = ""
    # Interactive problems: Python source of an interactor, run against the program for each case
    # (testlib's protocol: `interactor input output answer`, its stdin the program's stdout and
    # back; exit 0 accepts). The case's stdin is the interactor's input file, not the program's.
    interactor: str = ""
    # stdin/stdout cases: how outputs are compared
    output_match: OutputMatch = field(default_factory=OutputMatch)


@dataclass(frozen=True, slots=True)
class TestOutcome:
    name: str  # "case 3", or the assert's first line
    verdict: Verdict
    detail: str = ""
    wall_ms: float = 0.0

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.PASS


@dataclass(frozen=True, slots=True)
class JudgeResult:
    """Per-test outcomes. `status` is SANDBOX_ERROR when the sample could not be judged at all
    (then `tests` may be empty), COMPILE_ERROR when it did not compile, else OK."""

    status: RunStatus
    tests: tuple[TestOutcome, ...] = ()
    detail: str = ""
    wall_ms: float = 0.0

    @property
    def passed(self) -> int:
        return sum(t.passed for t in self.tests)

    @property
    def total(self) -> int:
        return len(self.tests)


@dataclass(frozen=True, slots=True)
class SessionSpec:
    """A stateful interpreter (sandbox.session). Limits of None take the config defaults:
    `timeout_ms` is each cell's CPU time, `memory_mb` holds for the whole session."""

    language: str = "python"
    timeout_ms: int | None = None
    memory_mb: int | None = None
    idle_ttl_s: int | None = None


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A session as created: its id and the limits in force, defaults applied."""

    id: str
    language: str
    timeout_ms: int
    memory_mb: int
    idle_ttl_s: int
    max_lifetime_s: int


@dataclass(frozen=True, slots=True)
class CellResult:
    """How one cell of a session ended. RUNTIME_ERROR: it raised (`detail` names the exception,
    `stderr` ends with its traceback) or killed its interpreter; `state_lost`: the interpreter
    was restarted empty after it (died, or could not be interrupted at a limit)."""

    status: RunStatus
    stdout: str = ""
    stderr: str = ""
    value: str = ""  # repr() of the cell's final expression ("" for None or no expression)
    wall_ms: float = 0.0
    cpu_ms: float = 0.0
    detail: str = ""
    state_lost: bool = False
    execution_count: int = 0  # the cell's number in its interpreter, from 1

    @property
    def ok(self) -> bool:
        return self.status is RunStatus.OK
