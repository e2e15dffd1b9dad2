"""trainer/verl_tool.py through verl 0.9.1's own tool-config loader, against a real referee."""

from __future__ import annotations

from pathlib import Path

import pytest
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
    session = tool._sessions[a][0]
    await tool.release(a)
    with pytest.raises(SessionNotFound):
        await session.run("1")
    r, _, m = await tool.execute(a, {"code": "1"})
    assert "no Python session" in (r.text or "") and m["session_lost"] == 1
    await tool.release(b)
