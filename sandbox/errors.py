"""Exceptions raised by the sandbox.

    SandboxError              infrastructure is unusable (daemon down, image missing)
    InvalidSpec (ValueError)  the request is wrong (bad file name, test code that is not Python, …)
    ├── UnsupportedLanguage   the language is not one the image runs; lists the supported ones
    ├── SourceTooLarge        source/stdin/files exceed the configured byte cap
    └── LimitTooHigh          a requested limit exceeds the server-side maximum; names the field
    SessionNotFound (KeyError) no session by that id: never made, closed, or expired
    TooManySessions           the server holds its maximum of sessions (RESOURCE_EXHAUSTED)

InvalidSpec and its subclasses are the caller's mistake (the gRPC server answers
INVALID_ARGUMENT); any other exception is a bug (INTERNAL, with an id the server log carries). What a program does — time out, run out of memory, crash — is never an
exception: it is an `ExecuteResult` status. `Sandbox.execute` also turns infrastructure
failure into a SANDBOX_ERROR result, so a flaky daemon reads as "cannot score", not "wrong".
"""

from __future__ import annotations

__all__ = [
    "InvalidSpec",
    "LimitTooHigh",
    "SandboxError",
    "SessionNotFound",
    "SourceTooLarge",
    "TooManySessions",
    "UnsupportedLanguage",
]


class SandboxError(Exception):
    """The sandbox infrastructure failed; the message says what to check."""


class InvalidSpec(ValueError):
    """The request itself is wrong; the message names the field."""


class UnsupportedLanguage(InvalidSpec):
    def __init__(self, language: str, supported: list[str]) -> None:
        super().__init__(f"language {language!r} is not supported; supported: {', '.join(supported)}")
        self.language = language


class SourceTooLarge(InvalidSpec):
    def __init__(self, field: str, size: int, limit: int) -> None:
        super().__init__(f"{field}: {size} bytes is over the cap of {limit} bytes")
        self.field = field


class LimitTooHigh(InvalidSpec):
    def __init__(self, field: str, value: int, maximum: int) -> None:
        super().__init__(f"{field}: {value} is over the server maximum {maximum} (or below 1)")
        self.field = field


class SessionNotFound(KeyError):
    def __init__(self, session_id: str, why: str = "no such session") -> None:
        super().__init__(session_id)
        self.session_id, self.why = session_id, why

    def __str__(self) -> str:
        return f"session {self.session_id!r}: {self.why}"


class TooManySessions(Exception):
    """The server holds `sandbox.max_sessions` sessions: close one, or retry later."""
