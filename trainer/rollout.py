"""Rollouts: G sampled completions per prompt, and the per-token log-probs the loss needs.

Prompts are left-padded (decoder-only generation), completions right-padded after
their end-of-sequence token. Position ids follow the attention mask, so a padded
prompt scores exactly as `generate` sampled it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from trainer.config import GenerationConfig

if TYPE_CHECKING:
    from transformers import GenerationMixin

__all__ = ["Rollout", "completion_mask", "generate", "render_prompt", "token_logps"]


@dataclass
class Rollout:
    prompts: list[str]  # N = B*G, each prompt repeated G times
    completions: list[str]  # N, decoded without special tokens
    input_ids: torch.Tensor  # (N, P+T) prompt then completion
    attention_mask: torch.Tensor  # (N, P+T)
    completion_mask: torch.Tensor  # (N, T) 1 for completion tokens up to and including EOS
    # Tool rollouts (trainer.tools): 0 on tool-output tokens too; None = completion_mask.
    loss_mask: torch.Tensor | None = None
    transcripts: list[str] | None = None  # N, with tool turns (completions hold the model's text only)
    tool_calls: list[int] = field(default_factory=list)  # N, code blocks run per completion
    tool_errors: list[int] = field(default_factory=list)  # N, of which failed

    @property
    def gradient_mask(self) -> torch.Tensor:
        """(N, T) tokens the loss counts: the model's own samples."""
        return self.completion_mask if self.loss_mask is None else self.loss_mask

    @property
    def lengths(self) -> torch.Tensor:
        return self.completion_mask.sum(dim=1)  # (N,)


def render_prompt(tokenizer: PreTrainedTokenizerBase, prompt: str) -> str:
    """The user turn through the tokenizer's chat template when it has one, else the raw text."""
    if getattr(tokenizer, "chat_template", None):
        messages = [{"role": "user", "content": prompt}]
        # tokenize=False gives the text; transformers types every return shape in one union
        return cast(str, tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))
    return prompt


def completion_mask(completion_ids: torch.Tensor, eos_token_id: int) -> torch.Tensor:
    """(N, T) ids -> (N, T) mask: 1 up to and including the first EOS, 0 after (all 1 if none)."""
    is_eos = completion_ids == eos_token_id  # (N, T)
    T = completion_ids.shape[1]
    first_eos = torch.where(is_eos.any(dim=1), is_eos.int().argmax(dim=1), T)  # (N,)
    return (torch.arange(T).unsqueeze(0) <= first_eos.unsqueeze(1)).long()


@torch.no_grad()
def generate(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, prompts: list[str], gen: GenerationConfig
) -> Rollout:
    """Sample `gen.num_generations` completions for each prompt; rows are grouped prompt by prompt."""
    G = gen.num_generations
    texts = [render_prompt(tokenizer, p) for p in prompts]
    enc = tokenizer(texts, padding=True, padding_side="left", return_tensors="pt", add_special_tokens=False)
    was_training = model.training
    model.eval()
    # PreTrainedModel no longer derives from GenerationMixin (causal-LM heads mix it in), and
    # without return_dict_in_generate `generate` returns the ids tensor, not a GenerateOutput
    out = cast(
        torch.Tensor,
        cast("GenerationMixin", model).generate(
            **enc,
            do_sample=True,
            temperature=gen.temperature,
            top_p=gen.top_p,
            top_k=0,  # sample from the whole distribution, as the loss assumes
            max_new_tokens=gen.max_new_tokens,
            num_return_sequences=G,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
        ),
    )  # (B*G, P+T)
    model.train(was_training)
    P = enc["input_ids"].shape[1]
    comp_mask = completion_mask(out[:, P:], tokenizer.eos_token_id)  # (B*G, T)
    prompt_mask = enc["attention_mask"].repeat_interleave(G, dim=0)  # (B*G, P)
    return Rollout(
        prompts=[p for p in prompts for _ in range(G)],
        completions=tokenizer.batch_decode(
            [ids[m.bool()] for ids, m in zip(out[:, P:], comp_mask, strict=True)], skip_special_tokens=True
        ),
        input_ids=out,
        attention_mask=torch.cat([prompt_mask, comp_mask], dim=1),
        completion_mask=comp_mask,
    )


def token_logps(
    model: PreTrainedModel,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    n_completion: int,
    temperature: float = 1.0,
) -> torch.Tensor:
    """log pi(token) of the last `n_completion` tokens of each row: (N, P+T) -> (N, T).

    Logits are divided by the sampling temperature so the ratio compares the policy that
    actually sampled the tokens."""
    position_ids = (attention_mask.cumsum(dim=1) - 1).clamp(min=0)  # (N, P+T) skips the left padding
    logits = model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids).logits
    logits = logits[:, -n_completion - 1 : -1] / temperature  # (N, T, V): position t predicts token t+1
    targets = input_ids[:, -n_completion:]  # (N, T)
    return logits.log_softmax(dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
