"""The error mapping: only the domain's own request errors are the caller's fault."""

from __future__ import annotations

import grpc
import pytest

from referee.server import _status_of
from rewards import InvalidRequest
from sandbox import InvalidSpec, LimitTooHigh, UnsupportedLanguage


@pytest.mark.parametrize(
    "exc",
    [
        InvalidRequest("samples[0].id: required"),
        InvalidSpec("files: bad name"),
        UnsupportedLanguage("cobol", ["c"]),
        LimitTooHigh("timeout_ms", 10**9, 30_000),
    ],
)
def test_request_errors_are_invalid_argument(exc: Exception) -> None:
    assert _status_of("Score", exc) == (grpc.StatusCode.INVALID_ARGUMENT, str(exc))


@pytest.mark.parametrize(
    "exc", [ValueError("a pydantic error inside the engine"), KeyError("x"), RuntimeError("boom")]
)
def test_anything_else_is_internal_with_an_id_the_log_carries(
    exc: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    code, message = _status_of("Score", exc)
    assert code is grpc.StatusCode.INTERNAL and "internal error" in message and str(exc) not in message
    error_id = message.split()[2].rstrip(":")
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
