"""A referee session as a verl (0.9.1) tool: `RefereeSessionTool(BaseTool)`.

Tool config (verl's `initialize_tools_from_config` YAML):

    tools:
      - class_name: trainer.verl_tool.RefereeSessionTool
        config: {type: native, referee: {target: "127.0.0.1:50051", token_file: /run/token},
                 timeout_ms: 5000, memory_mb: 512, idle_ttl_s: 300}
        tool_schema: {type: function, function: {name: python, description: "Run Python; state persists",
                      parameters: {type: object, properties: {code: {type: string}}, required: [code]}}}

One referee session per trajectory. verl 0.9.1's ToolAgentLoop creates and releases a tool
instance around *every* call (tool_agent_loop.py, `_call_tool`) and passes the trajectory's
`AgentData` to execute(); a session per instance would forget `x = 1` before the next call. So
execute() keys the session by `agent_data.request_id` and opens it on the trajectory's first call;
it is closed when that AgentData is garbage-collected (the trajectory is over), with the server's
idle TTL as the backstop. A caller that drives the lifecycle itself (create / execute / release,
as BaseTool documents) and passes no agent_data gets a session per instance, closed by release().
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from typing import Any
from uuid import uuid4

from pydantic import BaseModel, ConfigDict
from verl.tools.base_tool import BaseTool
from verl.tools.schemas import OpenAIFunctionToolSchema, ToolResponse

from referee.client import AsyncRefereeClient, AsyncSession, ClientSettings, RefereeError, SessionNotFound
from sandbox.types import CellResult, RunStatus

__all__ = ["RefereeSessionTool", "RefereeToolConfig", "format_cell"]

log = logging.getLogger("trainer.verl_tool")


class RefereeToolConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = "native"
    referee: ClientSettings = ClientSettings()
    language: str = "python"
    timeout_ms: int = 0  # per cell; 0 = server default
    memory_mb: int = 0
    idle_ttl_s: int = 0
    max_stderr_chars: int = 2000


def format_cell(r: CellResult, max_stderr_chars: int = 2000) -> str:
    parts = []
    if r.stdout:
        parts.append(r.stdout.rstrip("\n"))
    if r.value:
        parts.append(f"Out[{r.execution_count}]: {r.value}")
    if r.stderr:
        parts.append("stderr:\n" + r.stderr[-max_stderr_chars:].rstrip("\n"))
    if r.status is not RunStatus.OK:
        parts.append(f"Error ({r.status.value}){': ' + r.detail if r.detail else ''}")
    if r.state_lost:
        parts.append("Note: the interpreter was restarted; earlier variables and imports are gone.")
    return "\n".join(parts) or "(no output)"


class RefereeSessionTool(BaseTool):
    def __init__(self, config: dict, tool_schema: OpenAIFunctionToolSchema) -> None:
        super().__init__(config, tool_schema)
        self.settings = RefereeToolConfig.model_validate(config)
        self._client: AsyncRefereeClient | None = None
        self._instances: set[str] = set()  # created and not yet released
        # key ("instance:<id>" or "trajectory:<request_id>") -> the session, opening or open; a
        # future, so that concurrent first calls of one trajectory share one session
        self._sessions: dict[str, asyncio.Future[AsyncSession]] = {}
        self._used: dict[str, float] = {}
        self._closing: set[asyncio.Task[None]] = set()  # held so the loop does not drop them

    def _get_client(self) -> AsyncRefereeClient:
        if self._client is None:  # its channel belongs to the running loop
            self._client = self.settings.referee.async_client()
        return self._client

    async def _open(self) -> AsyncSession:
        c = self.settings
        s = self._get_client().session(
            c.language, timeout_ms=c.timeout_ms, memory_mb=c.memory_mb, idle_ttl_s=c.idle_ttl_s
        )
        await s.start()
        return s

    async def _session(self, key: str) -> AsyncSession:
        opening = self._sessions.get(key)
        if opening is None:
            opening = self._sessions[key] = asyncio.ensure_future(self._open())
        try:
            session = await asyncio.shield(opening)
        except BaseException:
            if opening.done() and self._sessions.get(key) is opening:
                del self._sessions[key]  # a failed open is not cached: the next call tries again
            raise
        self._used[key] = time.monotonic()
        return session

    async def _close(self, key: str) -> None:
        opening = self._sessions.pop(key, None)
        self._used.pop(key, None)
        if opening is None:
            return
        try:
            await (await opening).close()
        except (RefereeError, asyncio.CancelledError) as exc:
            log.warning("closing referee session failed: %s", exc)

    def _close_later(self, loop: asyncio.AbstractEventLoop, key: str) -> None:
        """The trajectory's AgentData is gone (any thread, any time): close its session on `loop`."""

        def schedule() -> None:
            task = loop.create_task(self._close(key))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

        with contextlib.suppress(RuntimeError):  # the loop is closed: the server's TTL closes it
            loop.call_soon_threadsafe(schedule)

    async def _sweep(self) -> None:
        ttl = self.settings.idle_ttl_s
        if ttl <= 0:
            return
        now = time.monotonic()
        for key, used in list(self._used.items()):
            if now - used > 2 * ttl:  # the server has expired it long ago
                await self._close(key)

    def _key(self, instance_id: str, agent_data: Any) -> str | None:
        request_id = getattr(agent_data, "request_id", None)
        if isinstance(request_id, str) and request_id:
            key = f"trajectory:{request_id}"
            if key not in self._sessions:
                weakref.finalize(agent_data, self._close_later, asyncio.get_running_loop(), key)
            return key
        return f"instance:{instance_id}" if instance_id in self._instances else None

    async def create(self, instance_id: str | None = None, **kwargs: Any) -> tuple[str, ToolResponse]:
        await self._sweep()
        iid = instance_id or str(uuid4())
        self._instances.add(iid)
        return iid, ToolResponse()

    async def execute(
        self, instance_id: str, parameters: dict[str, Any], **kwargs: Any
    ) -> tuple[ToolResponse, float, dict]:
        key = self._key(instance_id, kwargs.get("agent_data"))
        if key is None:
            text = "Error: no Python session for this call (released or never created)."
            return ToolResponse(text=text), 0.0, {"session_lost": 1}
        code = parameters.get("code")
        if not isinstance(code, str):
            return ToolResponse(text="Error: the tool needs a string argument `code`."), 0.0, {}
        try:
            r = await (await self._session(key)).run(code)
        except SessionNotFound:
            await self._close(key)  # the next call opens a new one
            text = "Error: the Python session expired or was closed; its state is gone."
            return ToolResponse(text=text), 0.0, {"session_lost": 1}
        except RefereeError as exc:
            log.warning("referee session call failed: %s", exc)
            text = f"Error: the sandbox could not run the cell ({exc})."
            return ToolResponse(text=text), 0.0, {"referee_error": 1}
        metrics = {
            "status": r.status.value,
            "ok": int(r.ok),
            "wall_ms": r.wall_ms,
            "cpu_ms": r.cpu_ms,
            "state_lost": int(r.state_lost),
            "execution_count": r.execution_count,
        }
        return ToolResponse(text=format_cell(r, self.settings.max_stderr_chars)), 0.0, metrics

    async def calc_reward(self, instance_id: str, **kwargs: Any) -> float:
        return 0.0  # rewards score the final answer elsewhere

    async def release(self, instance_id: str, **kwargs: Any) -> None:
        """Ends an instance; a trajectory's session outlives it (see the module doc)."""
        self._instances.discard(instance_id)
        await self._close(f"instance:{instance_id}")
