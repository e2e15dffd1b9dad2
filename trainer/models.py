"""The policy: a local checkpoint, or a tiny GPT-2 built from a config (random init, no download)."""

from __future__ import annotations

import torch
from transformers import (
    AutoModelForCausalLM,
    GPT2Config,
    GPT2LMHeadModel,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from trainer.config import ModelConfig

__all__ = ["build_model"]


def build_model(cfg: ModelConfig, tokenizer: PreTrainedTokenizerBase) -> PreTrainedModel:
    if cfg.path is not None:
        if not cfg.path.is_dir():
            raise FileNotFoundError(f"model.path: {cfg.path} is not a directory (run `referee sft` first?)")
        return AutoModelForCausalLM.from_pretrained(cfg.path)
    torch.manual_seed(cfg.seed)
    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=cfg.n_positions,
        n_embd=cfg.n_embd,
        n_layer=cfg.n_layer,
        n_head=cfg.n_head,
        bos_token_id=tokenizer.eos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        # No dropout: the loss's ratio must compare the same function that sampled the tokens.
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
    )
    return GPT2LMHeadModel(config)
