"""trainer/verl_tool.py through verl 0.9.1's own tool-config loader, against a real referee."""

from __future__ import annotations

import asyncio
import gc
import json
from pathlib import Path

import pytest
from verl.experimental.agent_loop.tool_agent_loop import AgentData, ToolAgentLoop
from verl.experimental.agent_loop.tool_parser import FunctionCall
from verl.tools.base_tool import BaseTool
from verl.tools.tool_registry import initialize_tools_from_config

from referee.client import SessionNotFound
from tests.clients.conftest import Referee
from trainer.verl_tool import RefereeSessionTool

pytestmark = [pytest.mark.docker, pytest.mark.slow]

YAML = """
tools:
  - class_name: trainer.verl_tool.RefereeSessionTool
    config: {{type: native, referee: {{target: "{target}", token_file: "{token}"}}, timeout_ms: 1000}}
    tool_schema:
      type: function
      function:
        name: python
        description: Run Python; state persists
        parameters: {{type: object, properties: {{code: {{type: string}}}}, required: [code]}}
"""


@pytest.fixture
def tool(referee: Referee, tmp_path: Path) -> RefereeSessionTool:
    path = tmp_path / "tools.yaml"
    path.write_text(YAML.format(target=referee.grpc, token=referee.token_file))
    [t] = initialize_tools_from_config(str(path))
    assert isinstance(t, BaseTool) and isinstance(t, RefereeSessionTool) and t.name == "python"
    return t


async def test_state_isolation_release_errors(tool: RefereeSessionTool) -> None:
    a, _ = await tool.create()
    b, _ = await tool.create()
    await tool.execute(a, {"code": "x = 6 * 7"})
    r, reward, m = await tool.execute(a, {"code": "print('hi'); x"})
    assert "hi" in (r.text or "") and "42" in (r.text or "") and reward == 0.0 and m["ok"] == 1
    r, _, _ = await tool.execute(b, {"code": "x"})
    assert "NameError" in (r.text or "")
    r, _, m = await tool.execute(a, {"code": "while True: pass"})
    assert "TIMEOUT" in (r.text or "") and m["ok"] == 0
    assert await tool.calc_reward(a) == 0.0
    session = tool._sessions[f"instance:{a}"].result()
    await tool.release(a)
    with pytest.raises(SessionNotFound):
        await session.run("1")
    r, _, m = await tool.execute(a, {"code": "1"})
    assert "no Python session" in (r.text or "") and m["session_lost"] == 1
    await tool.release(b)


def _trajectory(request_id: str) -> AgentData:
    return AgentData(
        messages=[],
        image_data=[],
        video_data=[],
        audio_data=None,
        mm_processor_kwargs=None,
        metrics={},
        request_id=request_id,
        tools_kwargs={},
    )


async def test_state_lasts_a_trajectory_through_verls_own_tool_loop(tool: RefereeSessionTool) -> None:
    # verl's ToolAgentLoop._call_tool as it runs in training: create, execute(agent_data=...),
    # release around every single call. Only its tool table and truncation settings are set here.
    loop = ToolAgentLoop.__new__(ToolAgentLoop)
    loop.tools = {"python": tool}
    loop.max_tool_response_length, loop.tool_response_truncate_side = 4096, "middle"

    async def call(agent: AgentData, code: str) -> str:
        fc = FunctionCall(name="python", arguments=json.dumps({"code": code}))
        response, _, _ = await loop._call_tool(fc, {}, agent)
        return response.text or ""

    first, second = _trajectory("traj-1"), _trajectory("traj-2")
    assert "(no output)" in await call(first, "x = 6 * 7")
    assert "Out[2]: 42" in await call(first, "x")  # the instance was released in between
    assert "NameError" in await call(second, "x")  # another trajectory, another session
    assert all(await asyncio.gather(*(call(first, "x + 1") for _ in range(3))))  # one turn, 3 calls
    assert len(tool._sessions) == 2 and not tool._instances
    session = tool._sessions["trajectory:traj-1"].result()
    del first
    gc.collect()  # the trajectory is over: its session is closed
    for _ in range(100):
        if "trajectory:traj-1" not in tool._sessions and not tool._closing:
            break
        await asyncio.sleep(0.05)
    with pytest.raises(SessionNotFound):
        await session.run("1")
    assert "Out[2]: 0" in await call(second, "x = 0\nx")
    assert list(tool._sessions) == ["trajectory:traj-2"]
