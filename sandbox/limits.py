"""Request limits checked against the server's maxima before anything runs."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sandbox.config import SandboxConfig
from sandbox.errors import InvalidSpec, LimitTooHigh, SourceTooLarge

__all__ = ["check_files", "check_sizes", "compile_limit", "resolve_limits"]

_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}")


def resolve_limits(config: SandboxConfig, timeout_ms: int | None, memory_mb: int | None) -> tuple[int, int]:
    """(timeout_ms, memory_mb) with defaults applied; LimitTooHigh naming the field if out of range."""
    timeout_ms = config.default_timeout_ms if timeout_ms is None else timeout_ms
    memory_mb = config.default_memory_mb if memory_mb is None else memory_mb
    if not 1 <= timeout_ms <= config.max_timeout_ms:
        raise LimitTooHigh("timeout_ms", timeout_ms, config.max_timeout_ms)
    if not 16 <= memory_mb <= config.max_memory_mb:
        raise LimitTooHigh("memory_mb", memory_mb, config.max_memory_mb)
    return timeout_ms, memory_mb


def check_sizes(
    config: SandboxConfig, source: str, stdin: str = "", files: dict[str, str] | None = None
) -> None:
    if len(source.encode()) > config.max_source_bytes:
        raise SourceTooLarge("source", len(source.encode()), config.max_source_bytes)
    data = len(stdin.encode()) + sum(len(v.encode()) for v in (files or {}).values())
    if data > config.max_stdin_bytes:
        raise SourceTooLarge("stdin+files", data, config.max_stdin_bytes)
    check_files(files or {})


def check_files(names: Iterable[str], field: str = "files") -> None:
    for name in names:
        if not _FILE_NAME.fullmatch(name):
            raise InvalidSpec(f"{field}: bad name {name!r}: plain names of [A-Za-z0-9_.-], no paths")


def compile_limit(config: SandboxConfig, compile_timeout_ms: int | None) -> int:
    """A compiler's CPU time limit: the request's, never above the server's (both scaled alike under
    gVisor, see SandboxConfig.compile_limit_ms)."""
    if compile_timeout_ms is None or compile_timeout_ms >= config.compile_timeout_ms:
        return config.compile_limit_ms
    if compile_timeout_ms < 1:
        raise InvalidSpec(f"compile_timeout_ms: {compile_timeout_ms} is not a positive number of ms")
    return config.compile_limit_ms * compile_timeout_ms // config.compile_timeout_ms
