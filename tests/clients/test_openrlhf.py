"""OpenRLHF 0.11.2's own reward client against `referee serve --http-port`: its single-turn
agent executor (`--reward.remote_url http://HOST:PORT/get_reward`) after a generation, and its
HTTP sharding over several endpoints for a batch of queries.

Only the model is stood in for: `llm_engine.generate` returns the tokens of a fixed response,
as vLLM would; the executor tokenizes, stitches prompt and response, decodes the query with
its special tokens left in, and posts it exactly as in training.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from openrlhf.utils.agent import SingleTurnAgentExecutor

from tests.clients.conftest import Referee
from trainer.tokenizer import CharTokenizer

pytestmark = [pytest.mark.docker, pytest.mark.slow]

TEMPLATE = "<|im_start|>user\n{q}<|im_end|>\n<|im_start|>assistant\n"  # ChatML, as Qwen models use


class CannedEngine:
    """vLLM's `generate` in shape: one output whose token ids are a fixed response."""

    def __init__(self, tokenizer: CharTokenizer, response: str) -> None:
        self.ids = tokenizer.encode(response, add_special_tokens=False)

    async def generate(self, prompt_token_ids: list[int], params: Any, multi_modal_data: Any = None) -> Any:
        return SimpleNamespace(
            outputs=[SimpleNamespace(token_ids=self.ids, finish_reason="stop", logprobs=None)]
        )


def rollout(url: str, question: str, response: str, label: str) -> dict[str, Any]:
    tok = CharTokenizer()
    params = SimpleNamespace(max_tokens=512, logprobs=None)
    executor = SingleTurnAgentExecutor(url)
    prompt = TEMPLATE.format(q=question)
    return asyncio.run(executor.execute(prompt, label, params, 4096, tok, CannedEngine(tok, response)))


def test_single_turn_rollout_gets_its_reward(referee: Referee) -> None:
    url = referee.http + "/get_reward"
    reasoning = "Let me think. " * 400  # a long R1-style response: the answer is at its end
    right = rollout(
        url, "What is 1/2 + 1/3?", f"{reasoning}So the sum is $\\boxed{{\\frac{{5}}{{6}}}}$.<|im_end|>", "5/6"
    )
    wrong = rollout(
        url, "What is 1/2 + 1/3?", f"{reasoning}So the sum is $\\boxed{{\\frac{{2}}{{5}}}}$.<|im_end|>", "5/6"
    )
    assert right["reward"] == [1.0] and right["scores"] == [1.0], right["extra_logs"]
    assert wrong["reward"] == [0.0]
    assert right["extra_logs"]["accuracy"] == [1.0] and right["extra_logs"]["unscorable"] == [0.0]


def test_batch_sharded_over_endpoints_keeps_order(referee: Referee) -> None:
    url = referee.http + "/get_reward"
    executor = SingleTurnAgentExecutor([url, url, url])  # OpenRLHF shards a batch over its endpoints
    golds = ["3", "\\sqrt{2}", "x^2 + 2x + 1", "(1, 2]", "-7"]
    answers = ["3", "\\sqrt{2}", "(x+1)^2", "[1, 2]", "7"]
    prompts = [TEMPLATE.format(q=f"question {i}") for i in range(len(golds))]
    queries = [
        p + f"The answer is $\\boxed{{{a}}}$.<|im_end|>" for p, a in zip(prompts, answers, strict=True)
    ]
    shards = asyncio.run(executor._fetch_rewards_via_http(queries, prompts, golds))
    rewards = [r for shard in shards for r in shard["rewards"]]
    assert rewards == [1.0, 1.0, 1.0, 0.0, 0.0]


def test_without_the_token_the_client_is_refused(referee: Referee) -> None:
    executor = SingleTurnAgentExecutor(referee.bare_http + "/get_reward")
    with pytest.raises(RuntimeError, match="Request error"):
        asyncio.run(executor._fetch_rewards_via_http(["q"], ["q"], ["1"]))
