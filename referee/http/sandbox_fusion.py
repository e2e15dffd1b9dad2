"""`POST /run_code`, as SandboxFusion serves it, so verl's `reward.sandbox_fusion.url` (and
anything else written against SandboxFusion) works by changing the URL.

SandboxFusion's shapes (its sandbox/server/sandbox_api.py): the request
`{code, language, compile_timeout, run_timeout, memory_limit_MB, stdin, files, fetch_files}`,
timeouts in float seconds, files base64; the response
`{status: Success|Failed|SandboxError, message, compile_result, run_result,
executor_pod_name, files}`, each result `{status: Finished|Error|TimeLimitExceeded,
execution_time, return_code, stdout, stderr}`. Its `parse_run_status` decides the top status:
any `Error` -> SandboxError; any TimeLimitExceeded or non-zero return code -> Failed; else
Success. Here "Success" means exactly RunStatus.OK: every other outcome of ours (memory and
output limits included) is a non-zero return code, so no client reading either field can take a
failed run for a passed one.

Limits above the server's maxima are clamped to them, and `message` says so (verl sends 10 s /
10 s / 1024 MB whatever the server allows). Timeouts here are CPU time (the wall clock is a
backstop), so a loaded machine never turns a correct program into a timeout.
"""

from __future__ import annotations

import base64
import binascii
import os
import socket
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from referee.http.common import SERVICE, http_error, read_json
from referee.service import Overloaded
from sandbox import ExecuteResult, ExecuteSpec, RunStatus, SandboxConfig
from sandbox.errors import UnsupportedLanguage
from sandbox.languages import language

__all__ = ["SANDBOX_FUSION_LANGUAGES", "run_code"]

# SandboxFusion's language names that are plain "run this program" languages here (its other
# modes, pytest, jest, junit, go_test, D_ut…, run test frameworks: use the judge's tests instead).
SANDBOX_FUSION_LANGUAGES = (
    "python", "cpp", "nodejs", "go", "java", "php", "csharp", "bash", "typescript", "rust",
    "lua", "R", "perl", "ruby", "scala", "racket",
)  # fmt: skip
MIN_MEMORY_MB = 16


class RunCodeRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")  # SandboxFusion's `args` (pytest's) and the like

    code: str
    language: str
    compile_timeout: float = Field(10.0, gt=0)  # SandboxFusion's defaults
    run_timeout: float = Field(10.0, gt=0)
    memory_limit_MB: int = -1  # SandboxFusion's "no limit": the server's default here
    stdin: str | None = None
    files: dict[str, str | None] = Field(default_factory=dict)
    fetch_files: list[str] = Field(default_factory=list)

    @field_validator(
        "compile_timeout", "run_timeout", "memory_limit_MB", "files", "fetch_files", mode="before"
    )
    @classmethod
    def _null_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        # verl sends `"memory_limit_MB": null` when its caller passed none (default_compute_score).
        if value is None:
            return cls.model_fields[info.field_name or ""].get_default(call_default_factory=True)
        return value


class Limits:
    """The request's limits in ms/MiB within the server's maxima, and notes on what was clamped."""

    def __init__(self, req: RunCodeRequest, config: SandboxConfig) -> None:
        self.notes: list[str] = []
        self.run_ms = self._clamp("run_timeout", round(req.run_timeout * 1000), 1, config.max_timeout_ms)
        self.compile_ms = self._clamp(
            "compile_timeout", round(req.compile_timeout * 1000), 1, config.compile_timeout_ms
        )
        memory = config.default_memory_mb if req.memory_limit_MB <= 0 else req.memory_limit_MB
        self.memory_mb = self._clamp("memory_limit_MB", memory, MIN_MEMORY_MB, config.max_memory_mb, scale=1)

    def _clamp(self, name: str, value: int, low: int, high: int, scale: int = 1000) -> int:
        clamped = min(max(value, low), high)
        if clamped != value:
            unit = "s" if scale == 1000 else " MB"
            self.notes.append(
                f"{name} {value / scale:g}{unit} clamped to the server's {clamped / scale:g}{unit}"
            )
        return clamped


def _files(files: dict[str, str | None]) -> dict[str, str]:
    out = {}
    for name, data in files.items():
        try:
            raw = base64.b64decode(data or "", validate=True)
        except (binascii.Error, ValueError):
            raise http_error(422, f"files.{name}: not base64") from None
        try:
            out[name] = raw.decode()
        except UnicodeDecodeError:
            raise http_error(422, f"files.{name}: not UTF-8 text (binary files are not supported)") from None
    return out


# Our run statuses as SandboxFusion's, per run (else "Finished") and for the whole (else "Failed").
_RUN_STATUS = {RunStatus.SANDBOX_ERROR: "Error", RunStatus.TIMEOUT: "TimeLimitExceeded"}
_STATUS = {RunStatus.OK: "Success", RunStatus.SANDBOX_ERROR: "SandboxError"}


def _command(r: ExecuteResult) -> dict[str, Any]:
    """One of our runs as SandboxFusion's CommandRunResult."""
    # A run that did not pass never reads as return code 0, whatever ended it.
    code = 0 if r.status is RunStatus.OK else (r.exit_code or 1)
    return {
        "status": _RUN_STATUS.get(r.status, "Finished"),
        "execution_time": round(r.wall_ms / 1000, 6),
        "return_code": code,
        "stdout": r.stdout,
        "stderr": r.stderr,
    }


def _body(status: str, message: str, **results: Any) -> dict[str, Any]:
    """A RunCodeResponse; `results`: compile_result, run_result, files."""
    return {
        "status": status,
        "message": message,
        "compile_result": results.get("compile_result"),
        "run_result": results.get("run_result"),
        "executor_pod_name": os.environ.get("MY_POD_NAME") or socket.gethostname(),
        "files": results.get("files", {}),
    }


def response(r: ExecuteResult, notes: list[str]) -> dict[str, Any]:
    """SandboxFusion's RunCodeResponse for our result `r`."""
    return _body(
        _STATUS.get(r.status, "Failed"),
        "; ".join([*notes, *([f"{r.status.value}: {r.detail}"] if r.detail else [])]),
        compile_result=_command(r.compiled) if r.compiled is not None else None,
        run_result=None if r.status is RunStatus.COMPILE_ERROR else _command(r),
        files={name: base64.b64encode(data).decode() for name, data in r.files.items()},
    )


def _unsupported(name: str) -> dict[str, Any]:
    return _body(
        "SandboxError",
        f"language {name!r} is not supported here; supported: {', '.join(SANDBOX_FUSION_LANGUAGES)} "
        "(and referee's own names: see ListLanguages)",
    )


async def run_code(request: web.Request) -> web.Response:
    service = request.app[SERVICE]
    req = await read_json(request, RunCodeRequest)
    try:
        language(req.language)
    except UnsupportedLanguage:
        return web.json_response(_unsupported(req.language))
    limits = Limits(req, service.settings.sandbox)
    spec = ExecuteSpec(
        language=req.language,
        source=req.code,
        stdin=req.stdin or "",
        files=_files(req.files),
        timeout_ms=limits.run_ms,
        memory_mb=limits.memory_mb,
        compile_timeout_ms=limits.compile_ms,
        fetch_files=tuple(req.fetch_files),
    )
    try:
        result = await service.execute(spec, wait_s=service.limits.http_queue_wait_s)
    except Overloaded as exc:
        # verl's call_sandbox_api retries a 504 (with backoff) and nothing else: a 429 would
        # become its "api error" and score a correct program 0.
        raise http_error(504, str(exc)) from None
    return web.json_response(response(result, limits.notes))
