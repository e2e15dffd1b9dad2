"""Cold start: supervised fine-tuning on worked examples before RL (DeepSeek-R1 §2.3.1).

R1 fine-tunes on a few thousand curated long chain-of-thought examples so that RL
starts from a model that already writes readable `<think>…</think><answer>…</answer>`.
Here: next-token cross-entropy on the completion only (prompt tokens and tool turns are
masked out), each example ended with EOS so the model learns to stop.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import torch
from transformers import PreTrainedTokenizerBase

from trainer.config import SFTConfig, ToolConfig
from trainer.models import build_model
from trainer.rollout import render_prompt
from trainer.tasks import read_jsonl, worked_examples
from trainer.tokenizer import load_tokenizer

__all__ = ["encode_examples", "sft"]

IGNORE = -100  # label value that cross-entropy skips


def _completion_tokens(
    tokenizer: PreTrainedTokenizerBase, text: str, tool: ToolConfig
) -> tuple[list[int], list[int]]:
    """A completion's tokens and labels: a tool turn (`output_start`…`output_end`) is the tool's
    text, not the model's, so it gets no labels, as in tool rollouts (Rollout.loss_mask). Each
    turn is encoded on its own, as the rollout appends it."""
    ids: list[int] = []
    labels: list[int] = []

    def add(piece: str, learn: bool) -> None:
        t = tokenizer.encode(piece, add_special_tokens=False) if piece else []
        ids.extend(t)
        labels.extend(t if learn else [IGNORE] * len(t))

    rest = text
    while (start := rest.find(tool.output_start)) >= 0:
        end = rest.find(tool.output_end, start + len(tool.output_start))
        if end < 0:
            break  # an unclosed turn is the model's own text
        end += len(tool.output_end)
        add(rest[:start], learn=True)
        add(rest[start:end], learn=False)
        rest = rest[end:]
    add(rest, learn=True)
    return ids, labels


def encode_examples(
    tokenizer: PreTrainedTokenizerBase, rows: Sequence[dict[str, Any]], tool: ToolConfig | None = None
) -> list[tuple[list[int], list[int]]]:
    """Rows {prompt, completion} -> (input_ids, labels) with the prompt's and the tool turns'
    labels masked (tool markers: `tool`, default ToolConfig())."""
    tool = tool or ToolConfig()
    out = []
    for i, r in enumerate(rows, 1):
        if not isinstance(r.get("prompt"), str) or not isinstance(r.get("completion"), str):
            raise ValueError(f"SFT row {i}: needs string 'prompt' and 'completion'")
        p = tokenizer.encode(render_prompt(tokenizer, r["prompt"]), add_special_tokens=False)
        c, labels = _completion_tokens(tokenizer, r["completion"], tool)
        out.append((p + c + [tokenizer.eos_token_id], [IGNORE] * len(p) + labels + [tokenizer.eos_token_id]))
    return out


def _collate(batch: Sequence[tuple[list[int], list[int]]], pad_id: int) -> dict[str, torch.Tensor]:
    # Right padding: positions start at 0 for every row, as in generation with left padding.
    L = max(len(ids) for ids, _ in batch)
    return {
        "input_ids": torch.tensor([ids + [pad_id] * (L - len(ids)) for ids, _ in batch]),  # (B, L)
        "attention_mask": torch.tensor([[1] * len(ids) + [0] * (L - len(ids)) for ids, _ in batch]),  # (B, L)
        "labels": torch.tensor([lab + [IGNORE] * (L - len(lab)) for _, lab in batch]),  # (B, L)
    }


def sft(cfg: SFTConfig, log: Callable[[str], None] = print) -> Path:
    """Fine-tune and save the model and tokenizer to `cfg.out_dir`; returns that path."""
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    tokenizer = load_tokenizer(cfg.model.path)
    model = build_model(cfg.model, tokenizer).train()
    rows = (
        read_jsonl(cfg.data)
        if cfg.data
        else worked_examples(cfg.examples, cfg.task.digits, cfg.task.seed, cfg.slip_rate)
    )
    examples = encode_examples(tokenizer, rows, cfg.tools)
    longest = max(len(ids) for ids, _ in examples)
    # cast: the left side (Any | None) is the type context of the right, so mypy types that getattr
    # by typeshed's `default: None` overload; both are the model's int position limits
    limit = cast(
        int,
        getattr(model.config, "n_positions", None)
        or getattr(model.config, "max_position_embeddings", longest),
    )
    if longest > limit:
        raise ValueError(f"an SFT example has {longest} tokens, more than the model's {limit} positions")
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr)
    # Linear decay to 10%: a tiny model trained for a few hundred steps needs no warm-up.
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 1 - 0.9 * s / cfg.steps)
    rng = random.Random(cfg.seed)
    t0 = time.perf_counter()
    for step in range(1, cfg.steps + 1):
        batch = _collate(rng.sample(examples, min(cfg.batch_size, len(examples))), tokenizer.pad_token_id)
        loss = model(**batch).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        if step % 50 == 0 or step == cfg.steps:
            log(f"sft step {step:4d} | loss {loss.item():.4f} | {time.perf_counter() - t0:.0f}s")
    cfg.out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(cfg.out_dir)
    tokenizer.save_pretrained(cfg.out_dir)
    return cfg.out_dir
