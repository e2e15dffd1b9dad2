"""Sessions: a stateful Python interpreter per session, each in a sandbox container of its own.

    info = await sandbox.sessions.create(SessionSpec(timeout_ms=2000))
    r = await sandbox.sessions.run(info.id, "x = 6 * 7\\nx")   # r.value == "42"
    await sandbox.sessions.close(info.id)

A session's container is hardened like a one-shot run's (no network, no capabilities for the
program, read-only root, pids/memory/CPU/output caps) for its whole life, and never serves
anything else: nothing of one session is readable by another. Inside, the supervisor keeps one
interpreter (guest/kernel.py) across cells, stopped between them, and kills whatever else a cell
started when it ends (guest/supervisor.py, "sessions"). A cell past a limit is interrupted; if
that does not stop it, or it killed its interpreter, the session starts over empty and the
result says so (`state_lost`). Sessions close on `close`, after their idle TTL, at their
maximum lifetime, and with the sandbox; each takes its container with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sandbox.config import SandboxConfig
from sandbox.container import Container, ContainerGone, HostDeadline, limit_fields
from sandbox.errors import InvalidSpec, LimitTooHigh, SandboxError, SessionNotFound, TooManySessions
from sandbox.guest.clock import wall_backstop_s
from sandbox.languages import GUEST, language
from sandbox.limits import resolve_limits
from sandbox.types import CellResult, RunStatus, SessionInfo, SessionSpec

__all__ = ["Sessions"]

log = logging.getLogger(__name__)

SESSION_LANGUAGE = "python"
KERNEL = f"{GUEST}/kernel.py"
_INTERRUPT_GRACE_MS = 1_000  # guest/supervisor.py's INTERRUPT_GRACE_S
_FORGET_AFTER = 4096  # closed ids remembered, so NOT_FOUND can say "closed" or "expired"


@dataclass(eq=False)
class _Session:
    info: SessionInfo
    container: Container
    created: float
    last_used: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    closed: bool = False


class Sessions:
    """The sandbox's open sessions; at most `config.max_sessions`, never a queue."""

    def __init__(self, config: SandboxConfig, pool_id: str) -> None:
        self.config = config
        self.pool_id = pool_id  # its containers carry the pool's label: the pool's close removes leftovers
        self._open: dict[str, _Session] = {}
        self._starting = 0
        self._gone: OrderedDict[str, str] = OrderedDict()  # closed id -> why
        self._reaper: asyncio.Task[None] | None = None
        self._closing = False
        self._argv = [*language(SESSION_LANGUAGE).run[:-1], KERNEL, str(config.output_cap_bytes)]

    def __len__(self) -> int:
        return len(self._open)

    # ---------------------------------------------------------------- the calls

    async def create(self, spec: SessionSpec) -> SessionInfo:
        """A new session; InvalidSpec for a bad request, TooManySessions at the maximum,
        SandboxError when its container cannot start."""
        if language(spec.language).name != SESSION_LANGUAGE:
            raise InvalidSpec(f"language: sessions run {SESSION_LANGUAGE}, not {spec.language!r}")
        timeout_ms, memory_mb = resolve_limits(self.config, spec.timeout_ms, spec.memory_mb)
        ttl_s = spec.idle_ttl_s or self.config.session_idle_ttl_s
        if not 1 <= ttl_s <= self.config.max_session_idle_ttl_s:
            raise LimitTooHigh("idle_ttl_s", ttl_s, self.config.max_session_idle_ttl_s)
        if self._closing:
            raise SandboxError("the sandbox is closing")
        if len(self._open) + self._starting >= self.config.max_sessions:
            raise TooManySessions(
                f"{len(self._open) + self._starting} sessions open, the server's maximum "
                f"(sandbox.max_sessions={self.config.max_sessions}): close one, or retry later"
            )
        self._starting += 1
        try:
            container = await self._container(memory_mb)
        finally:
            self._starting -= 1
        info = SessionInfo(
            "s-" + secrets.token_hex(12),  # an id is a capability: unguessable
            SESSION_LANGUAGE,
            timeout_ms,
            memory_mb,
            ttl_s,
            self.config.max_session_lifetime_s,
        )
        now = time.monotonic()
        self._open[info.id] = _Session(info, container, now, now)
        if self._reaper is None or self._reaper.done():
            self._reaper = asyncio.get_running_loop().create_task(self._expire_loop())
        return info

    async def run(self, session_id: str, code: str, timeout_ms: int | None = None) -> CellResult:
        """Run one cell; cells of one session run one at a time. A cancelled caller does not
        cancel the cell: it runs to its own limits, so the session stays consistent."""
        session = self._get(session_id)
        if len(code.encode()) > self.config.max_source_bytes:
            raise LimitTooHigh("code bytes", len(code.encode()), self.config.max_source_bytes)
        timeout_ms, _ = resolve_limits(self.config, timeout_ms or session.info.timeout_ms, None)
        task = asyncio.ensure_future(self._run(session, code, timeout_ms))
        return await asyncio.shield(task)

    async def close(self, session_id: str) -> None:
        await self._close(self._get(session_id), "closed")

    async def close_all(self) -> None:
        """Close every session (the sandbox is closing): none may be made after this."""
        self._closing = True
        if self._reaper is not None:
            self._reaper.cancel()
        await asyncio.gather(
            *(self._close(s, "the server shut down", wait=False) for s in list(self._open.values())),
            return_exceptions=True,
        )

    # ---------------------------------------------------------------- inside

    def _get(self, session_id: str) -> _Session:
        session = self._open.get(session_id)
        if session is None or session.closed:
            raise SessionNotFound(session_id, self._gone.get(session_id, "no such session"))
        return session

    async def _container(self, memory_mb: int) -> Container:
        """A new container with the session's interpreter started in it."""
        try:
            c = await asyncio.wait_for(
                Container.create(self.config, self.pool_id, memory_mb, warm=False),
                self.config.start_timeout_s,
            )
        except (TimeoutError, OSError) as exc:
            raise SandboxError(f"cannot start a session's container: {exc!r}") from exc
        try:
            await c.call(self._request("start_kernel", memory_mb), self.config.start_timeout_s)
        except BaseException as exc:
            await c.destroy(self.config)
            if isinstance(exc, HostDeadline | ContainerGone):
                raise SandboxError(f"the session's interpreter did not start: {exc}") from exc
            raise
        return c

    def _request(self, op: str, memory_mb: int, **fields: Any) -> dict[str, Any]:
        return {
            "op": op,
            "argv": self._argv,
            "kernel_cpu_s": int(self.config.max_session_lifetime_s * self.config.cpus) + 1,
            **limit_fields(self.config, memory_mb),
            **fields,
        }

    async def _run(self, session: _Session, code: str, timeout_ms: int) -> CellResult:
        async with session.lock:
            if session.closed:
                raise SessionNotFound(session.info.id, self._gone.get(session.info.id, "closed"))
            session.last_used = time.monotonic()
            req = self._request(
                "cell", session.info.memory_mb, code=code, nonce=secrets.token_hex(8), timeout_ms=timeout_ms
            )
            wait_s = (wall_backstop_s(timeout_ms / 1000) * 1000 + _INTERRUPT_GRACE_MS) / 1000
            t0 = time.monotonic()
            try:
                reply = await session.container.call(req, wait_s + self.config.host_grace_ms / 1000)
                result = cell_result(reply, timeout_ms)
            except (HostDeadline, ContainerGone, SandboxError) as exc:
                # The supervisor did not answer: the container goes, the session starts over in a new one.
                status = RunStatus.TIMEOUT if isinstance(exc, HostDeadline) else RunStatus.SANDBOX_ERROR
                result = CellResult(
                    status,
                    wall_ms=(time.monotonic() - t0) * 1000,
                    detail=f"{exc}; the session was restarted: state lost",
                    state_lost=True,
                )
                await self._replace_container(session)
            session.last_used = time.monotonic()
            return result

    async def _replace_container(self, session: _Session) -> None:
        old = session.container
        await old.destroy(self.config)
        try:
            session.container = await self._container(session.info.memory_mb)
        except SandboxError as exc:
            log.warning("sandbox: session %s lost its container: %s", session.info.id, exc)
            await self._close(session, f"its container failed: {exc}", wait=False)

    async def _close(self, session: _Session, why: str, *, wait: bool = True) -> None:
        """Forget the session and remove its container; `wait`: after its running cell ends."""
        if session.closed:
            return
        session.closed = True
        self._open.pop(session.info.id, None)
        self._gone[session.info.id] = why
        while len(self._gone) > _FORGET_AFTER:
            self._gone.popitem(last=False)
        async with session.lock if wait else contextlib.nullcontext():
            await session.container.destroy(self.config)

    async def _expire_loop(self) -> None:
        """Close sessions idle past their TTL or older than the maximum lifetime."""
        while self._open:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            for s in list(self._open.values()):
                idle_s = now - s.last_used
                if not s.lock.locked() and idle_s >= s.info.idle_ttl_s:
                    why = f"expired after {s.info.idle_ttl_s} s without a cell"
                elif now - s.created >= s.info.max_lifetime_s:
                    why = f"expired at the maximum lifetime of {s.info.max_lifetime_s} s"
                else:
                    continue
                log.info("sandbox: session %s %s", s.info.id, why)
                await self._close(s, why)


def cell_result(reply: dict[str, Any], timeout_ms: int) -> CellResult:
    """A cell's result from the supervisor's reply (guest/supervisor.py, Kernel.run)."""
    answer = reply.get("answer") or {}
    died = reply["state_lost"]
    if reply.get("starved"):  # runnable, but the machine gave it no CPU: nobody's verdict
        status, detail = RunStatus.SANDBOX_ERROR, reply["time_detail"]
    elif reply["timed_out"]:
        status, detail = RunStatus.TIMEOUT, reply.get("time_detail") or f"over {timeout_ms} ms"
    elif reply["oom_killed"] or answer.get("error_type") == "MemoryError":
        status, detail = RunStatus.MEMORY_LIMIT, "out of memory (the session's memory limit)"
    elif reply["output_limited"]:
        status, detail = RunStatus.OUTPUT_LIMIT, "output over the cap: cut, the cell interrupted"
    elif reply.get("files_limited"):
        status, detail = RunStatus.OUTPUT_LIMIT, "created more files than the sandbox allows"
    elif not answer:
        code = reply["exit_code"]
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        status, detail = RunStatus.RUNTIME_ERROR, f"the interpreter died ({how})"
    elif not answer["ok"]:
        status, detail = RunStatus.RUNTIME_ERROR, answer["error"]
    else:
        status, detail = RunStatus.OK, ""
    notes = [detail] if detail else []
    if status is not RunStatus.OK and status is not RunStatus.RUNTIME_ERROR and not died:
        notes.append("interrupted: state kept")
    if died:
        notes.append("the interpreter was restarted: state lost")
    if reply.get("leftovers"):
        notes.append(f"{reply['leftovers']} process(es) it started were ended with the cell")
    return CellResult(
        status,
        reply["stdout"],
        reply["stderr"],
        answer.get("value", ""),
        reply["wall_ms"],
        reply.get("cpu_ms", 0.0),
        "; ".join(notes),
        died,
        answer.get("count", 0),
    )
