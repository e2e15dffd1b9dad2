"""Multi-turn tool rollouts: the model writes a code block, the referee runs it, the output is a turn.

    prompt   "123*456="
    model    "```python\\nprint(123*456)\\n```"        generation stops at the closing fence
    tool     "\\n```output\\n56088\\n```\\n"             the cell's output, run in the episode's session
    model    "\\boxed{56088}<eos>"                      generation continues, up to max_tool_calls blocks

One referee session per episode (completion), created at its first block and closed when
the rollout ends, whatever happens. A failed cell or session is an error tool turn, never
a failed step. Tool tokens get loss mask 0 (the model did not sample them); the reward
scores the model's tokens only, so a printed `\\boxed{}` in tool output cannot earn credit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase, StoppingCriteria, StoppingCriteriaList

from referee.client import AsyncSession
from trainer.background import BackgroundClient
from trainer.config import GenerationConfig, RefereeConfig, ToolConfig
from trainer.rollout import Rollout, render_prompt

if TYPE_CHECKING:
    from transformers import GenerationMixin

__all__ = ["RefereeTools", "ToolResult", "Tools", "closed_block", "generate_with_tools"]


@dataclass(frozen=True, slots=True)
class ToolResult:
    text: str  # what the model sees inside the tool turn
    error: bool = False


class Tools(Protocol):
    def run_cells(self, calls: Sequence[tuple[int, str]]) -> list[ToolResult]: ...
    def close_sessions(self) -> None: ...


def closed_block(text: str, tool: ToolConfig) -> tuple[str, int] | None:
    """(code, end offset) of the first code block that is opened and closed in `text`, or None."""
    start = text.find(tool.code_start)
    if start < 0:
        return None
    end = text.find(tool.code_end, start + len(tool.code_start))
    if end < 0:
        return None
    return text[start + len(tool.code_start) : end], end + len(tool.code_end)


class RefereeTools(BackgroundClient):
    """Cells run in referee sessions, one per episode; a round's cells run concurrently."""

    def __init__(self, cfg: RefereeConfig, tool: ToolConfig) -> None:
        self.tool = tool
        self._sessions: dict[int, AsyncSession] = {}
        super().__init__(cfg, "referee-tools")

    async def _cell(self, episode: int, code: str) -> ToolResult:
        try:
            if episode not in self._sessions:
                self._sessions[episode] = self._client.session(
                    self.tool.language, timeout_ms=self.tool.timeout_ms, memory_mb=self.tool.memory_mb
                )
            r = await self._sessions[episode].run(code)
        except Exception as exc:  # any failure is the tool's answer, never the step's end
            return ToolResult(f"error: {type(exc).__name__}: {exc}"[: self.tool.max_output_chars], True)
        text = r.stdout + (r.value if r.value else "")
        if not r.ok:
            text += (r.stderr.strip().splitlines() or [r.detail or r.status])[-1]
        return ToolResult(text.strip()[: self.tool.max_output_chars], not r.ok)

    async def _cells(self, calls: Sequence[tuple[int, str]]) -> list[ToolResult]:
        return list(await asyncio.gather(*(self._cell(e, c) for e, c in calls)))

    def run_cells(self, calls: Sequence[tuple[int, str]]) -> list[ToolResult]:
        return self._run(self._cells(calls))

    async def _close_all(self) -> None:
        sessions, self._sessions = list(self._sessions.values()), {}
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)

    def close_sessions(self) -> None:
        self._run(self._close_all())

    def close(self) -> None:
        self.close_sessions()
        super().close()


def _text(tokenizer: PreTrainedTokenizerBase, ids: list[int]) -> str:
    return cast(str, tokenizer.decode(ids, skip_special_tokens=True))  # one row decodes to one str


class _StopAtBlock(StoppingCriteria):
    """Stops each row at the end of its first closed code block; remembers where (new-token count)."""

    def __init__(self, tokenizer: PreTrainedTokenizerBase, start: int, tool: ToolConfig) -> None:
        self.tokenizer, self.start, self.tool = tokenizer, start, tool
        self.stop_at: dict[int, int] = {}

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kw: object) -> torch.BoolTensor:
        new = input_ids[:, self.start :]
        done = torch.zeros(input_ids.shape[0], dtype=torch.bool)
        for i in range(new.shape[0]):
            if i in self.stop_at:
                done[i] = True
            elif closed_block(_text(self.tokenizer, new[i].tolist()), self.tool):
                self.stop_at[i] = new.shape[1]
                done[i] = True
        return cast(torch.BoolTensor, done)


@dataclass
class _Episode:
    prompt: list[int]
    tokens: list[int]
    model: list[int]  # 1 = sampled by the model, 0 = tool output
    calls: int = 0
    errors: int = 0
    done: bool = False


@torch.no_grad()
def generate_with_tools(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompts: list[str],
    gen: GenerationConfig,
    tool: ToolConfig,
    tools: Tools,
) -> Rollout:
    """`gen.num_generations` episodes per prompt, each up to `tool.max_tool_calls` code runs;
    `gen.max_new_tokens` bounds the whole completion (model and tool tokens). Sessions are closed
    before returning, on any exit."""
    G, eos = gen.num_generations, tokenizer.eos_token_id
    eps = [
        _Episode(tokenizer.encode(render_prompt(tokenizer, p), add_special_tokens=False), [], [])
        for p in prompts
        for _ in range(G)
    ]
    was_training = model.training
    model.eval()
    try:
        for round_ in range(tool.max_tool_calls + 1):
            active = [i for i, e in enumerate(eps) if not e.done]
            if not active:
                break
            calls = _generate_round(model, tokenizer, [eps[i] for i in active], gen, tool, round_)
            results = tools.run_cells([(active[j], code) for j, code in calls]) if calls else []
            for (j, _), res in zip(calls, results, strict=True):
                e = eps[active[j]]
                turn = tokenizer.encode(
                    tool.output_start + res.text + tool.output_end, add_special_tokens=False
                )
                turn = turn[: gen.max_new_tokens - len(e.tokens)]
                e.tokens += turn
                e.model += [0] * len(turn)
                e.calls += 1
                e.errors += res.error
                e.done = len(e.tokens) >= gen.max_new_tokens
    finally:
        tools.close_sessions()
        model.train(was_training)
    return _assemble(tokenizer, prompts, G, eps, eos)


def _generate_round(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    eps: list[_Episode],
    gen: GenerationConfig,
    tool: ToolConfig,
    round_: int,
) -> list[tuple[int, str]]:
    """Extend every episode by one model turn; returns (index in eps, code) of the blocks to run."""
    contexts = [e.prompt + e.tokens for e in eps]
    L = max(len(c) for c in contexts)
    pad = tokenizer.pad_token_id
    ids = torch.tensor([[pad] * (L - len(c)) + c for c in contexts])
    attn = torch.tensor([[0] * (L - len(c)) + [1] * len(c) for c in contexts])
    budget = max(gen.max_new_tokens - len(e.tokens) for e in eps)
    last = round_ == tool.max_tool_calls  # no more runs: let the model finish its answer
    stop = _StopAtBlock(tokenizer, L, tool)
    out = cast(
        torch.Tensor,
        cast("GenerationMixin", model).generate(
            input_ids=ids,
            attention_mask=attn,
            do_sample=True,
            temperature=gen.temperature,
            top_p=gen.top_p,
            top_k=0,
            max_new_tokens=budget,
            pad_token_id=pad,
            eos_token_id=tokenizer.eos_token_id,
            stopping_criteria=StoppingCriteriaList([] if last else [stop]),
        ),
    )[:, L:]
    calls = []
    for j, e in enumerate(eps):
        new = out[j].tolist()[: gen.max_new_tokens - len(e.tokens)]
        if j in stop.stop_at:
            new = new[: stop.stop_at[j]]
        if tokenizer.eos_token_id in new:
            new = new[: new.index(tokenizer.eos_token_id) + 1]
            e.done = True
        e.tokens += new
        e.model += [1] * len(new)
        block = None if e.done else closed_block(_text(tokenizer, new), tool)
        if block is not None and not last:
            calls.append((j, block[0]))
        elif not e.done:
            e.done = True  # out of budget (or the last round ended without EOS)
        if len(e.tokens) >= gen.max_new_tokens:
            e.done = True
    return [(j, c) for j, c in calls if not eps[j].done]


def _assemble(
    tokenizer: PreTrainedTokenizerBase, prompts: list[str], G: int, eps: list[_Episode], eos: int
) -> Rollout:
    """Left-padded prompts, right-padded completions; the loss mask is 0 on tool tokens."""
    pad = tokenizer.pad_token_id
    P = max(len(e.prompt) for e in eps)
    T = max(1, max(len(e.tokens) for e in eps))
    ids, attn, comp, loss = [], [], [], []
    for e in eps:
        n = len(e.tokens)
        ids.append([pad] * (P - len(e.prompt)) + e.prompt + e.tokens + [pad] * (T - n))
        attn.append([0] * (P - len(e.prompt)) + [1] * (len(e.prompt) + n) + [0] * (T - n))
        comp.append([1] * n + [0] * (T - n))
        loss.append(e.model + [0] * (T - n))
    scored = [_text(tokenizer, [t for t, m in zip(e.tokens, e.model, strict=True) if m]) for e in eps]
    return Rollout(
        prompts=[p for p in prompts for _ in range(G)],
        completions=scored,
        input_ids=torch.tensor(ids),
        attention_mask=torch.tensor(attn),
        completion_mask=torch.tensor(comp),
        loss_mask=torch.tensor(loss),
        transcripts=[_text(tokenizer, e.tokens) for e in eps],
        tool_calls=[e.calls for e in eps],
        tool_errors=[e.errors for e in eps],
    )
