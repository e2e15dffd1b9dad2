"""Container sandbox: run untrusted programs, judge them against tests, never get fooled.

    Sandbox(config)            async; start()/close() or `async with`; a warm container pool
      .execute(ExecuteSpec)    -> ExecuteResult   one program run
      .judge(JudgeSpec)        -> JudgeResult     all tests of one program, one visit
      .sessions                stateful interpreters (sandbox.session.Sessions)
    image.build(config)        the image, offline (debootstrap + docker import)
    doctor(config)             -> list[Check]

Exceptions (see `sandbox.errors`):

    SandboxError               infrastructure (only from image.build; execute/judge return SANDBOX_ERROR)
    ValueError
    ├── UnsupportedLanguage    lists the supported languages
    ├── SourceTooLarge         names the field and the cap
    └── LimitTooHigh           names the field and the maximum
    SessionNotFound (KeyError) unknown, closed or expired session id
    TooManySessions            the server's maximum of sessions is reached
"""

from sandbox import image
from sandbox.config import SandboxConfig
from sandbox.doctor import Check, doctor
from sandbox.errors import (
    InvalidSpec,
    LimitTooHigh,
    SandboxError,
    SessionNotFound,
    SourceTooLarge,
    TooManySessions,
    UnsupportedLanguage,
)
from sandbox.languages import supported as supported_languages
from sandbox.sandbox import Sandbox
from sandbox.types import (
    CellResult,
    Comparator,
    ExecuteResult,
    ExecuteSpec,
    IOCase,
    JudgeResult,
    JudgeSpec,
    OutputMatch,
    RunStatus,
    SessionInfo,
    SessionSpec,
    TestOutcome,
    Verdict,
)

__all__ = [
    "CellResult",
    "Check",
    "Comparator",
    "ExecuteResult",
    "ExecuteSpec",
    "IOCase",
    "InvalidSpec",
    "JudgeResult",
    "JudgeSpec",
    "LimitTooHigh",
    "OutputMatch",
    "RunStatus",
    "Sandbox",
    "SandboxConfig",
    "SandboxError",
    "SessionInfo",
    "SessionNotFound",
    "SessionSpec",
    "SourceTooLarge",
    "TestOutcome",
    "TooManySessions",
    "UnsupportedLanguage",
    "Verdict",
    "doctor",
    "image",
    "supported_languages",
]
