"""A referee session as a verl (0.9.1) tool: `RefereeSessionTool(BaseTool)`.

Tool config (verl's `initialize_tools_from_config` YAML):

    tools:
      - class_name: trainer.verl_tool.RefereeSessionTool
        config: {type: native, referee: {target: "127.0.0.1:50051", token_file: /run/token},
                 timeout_ms: 5000, memory_mb: 512, idle_ttl_s: 300}
        tool_schema: {type: function, function: {name: python, description: "Run Python; state persists",
                      parameters: {type: object, properties: {code: {type: string}}, required: [code]}}}

create() opens a session per instance, execute() runs parameters["code"] as a cell, release() closes
it. Note: verl 0.9.1's ToolAgentLoop._call_tool creates and releases an instance around *each* call
(tool_agent_loop.py:486-496), so state lasts one call there unless the loop reuses instance ids.
"""

from __future__ import annotations

import contextlib
import logging
import time
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
        self._sessions: dict[str, tuple[AsyncSession, float]] = {}

    def _get_client(self) -> AsyncRefereeClient:
        if self._client is None:  # its channel belongs to the running loop
            self._client = self.settings.referee.async_client()
        return self._client

    async def _sweep(self) -> None:
        ttl = self.settings.idle_ttl_s
        if ttl <= 0:
            return
        now = time.monotonic()
        for iid, (s, used) in list(self._sessions.items()):
            if now - used > 2 * ttl:
                self._sessions.pop(iid, None)
                with contextlib.suppress(RefereeError):
                    await s.close()

    async def create(self, instance_id: str | None = None, **kwargs: Any) -> tuple[str, ToolResponse]:
        await self._sweep()
        iid = instance_id or str(uuid4())
        c = self.settings
        s = self._get_client().session(
            c.language, timeout_ms=c.timeout_ms, memory_mb=c.memory_mb, idle_ttl_s=c.idle_ttl_s
        )
        await s.start()
        self._sessions[iid] = (s, time.monotonic())
        return iid, ToolResponse()

    async def execute(
        self, instance_id: str, parameters: dict[str, Any], **kwargs: Any
    ) -> tuple[ToolResponse, float, dict]:
        entry = self._sessions.get(instance_id)
        if entry is None:
            return (
                ToolResponse(text="Error: no Python session for this call (closed or expired)."),
                0.0,
                {"session_lost": 1},
            )
        s = entry[0]
        code = parameters.get("code")
        if not isinstance(code, str):
            return ToolResponse(text="Error: the tool needs a string argument `code`."), 0.0, {}
        try:
            r = await s.run(code)
        except SessionNotFound:
            self._sessions.pop(instance_id, None)
            text = "Error: the Python session expired or was closed; its state is gone."
            return ToolResponse(text=text), 0.0, {"session_lost": 1}
        except RefereeError as exc:
            log.warning("referee session call failed: %s", exc)
            return (
                ToolResponse(text=f"Error: the sandbox could not run the cell ({exc})."),
                0.0,
                {"referee_error": 1},
            )
        self._sessions[instance_id] = (s, time.monotonic())
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
        entry = self._sessions.pop(instance_id, None)
        if entry is not None:
            try:
                await entry[0].close()
            except RefereeError as exc:
                log.warning("closing referee session failed: %s", exc)
