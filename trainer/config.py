"""Typed configs for `referee train` and `referee sft`, loaded from YAML.

One pydantic model per entry point, every field one line with its meaning and
default; unknown or misspelt fields are refused, so a bad config fails at start-up
with an error that names the field (`loss.loss_type: Input should be 'grpo', …`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from referee.client import ClientSettings
from rewards.types import UNSCORABLE

__all__ = [
    "GenerationConfig",
    "LossConfig",
    "ModelConfig",
    "RefereeConfig",
    "RewardConfig",
    "SFTConfig",
    "TaskConfig",
    "ToolConfig",
    "TrainConfig",
    "load_config",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelConfig(_Strict):
    path: Path | None = Field(
        None, description="local checkpoint dir (from `referee sft`); None = a new tiny GPT-2"
    )
    n_layer: int = Field(2, ge=1, description="tiny model: transformer blocks")
    n_embd: int = Field(128, ge=8, description="tiny model: width")
    n_head: int = Field(4, ge=1, description="tiny model: attention heads")
    n_positions: int = Field(128, ge=16, description="tiny model: longest prompt + completion in tokens")
    seed: int = Field(0, description="seed of the random initialisation")


class TaskConfig(_Strict):
    data: Path | None = Field(
        None, description="JSONL of {prompt, math: {gold}[, language]}; None = generated addition"
    )
    digits: int = Field(2, ge=1, le=9, description="generated addition: digits per operand")
    seed: int = Field(0, description="seed of the generated problems")


class RewardConfig(_Strict):
    name: str = Field(description="reward name on the server (see `ListRewards`)")
    weight: float = Field(1.0, description="weight in the total; 0 = only logged")
    params: dict[str, object] = Field(default_factory=dict, description="reward parameters")


class RefereeConfig(ClientSettings):  # the connection settings, then what to score with
    rewards: list[RewardConfig] = Field(
        default_factory=lambda: [RewardConfig(name="accuracy"), RewardConfig(name="format", weight=0.0)],
        min_length=1,
        description="rewards whose weighted total is the RL reward",
    )
    unscorable: list[str] = Field(
        sorted(UNSCORABLE),
        description="statuses meaning 'cannot score' (TIMEOUT is a verdict: no credit); the group is skipped",
    )


class GenerationConfig(_Strict):
    num_generations: int = Field(16, ge=2, description="G: completions per prompt (one group)")
    max_new_tokens: int = Field(48, ge=1, description="longest completion in tokens")
    temperature: float = Field(
        1.0, gt=0, description="sampling temperature (also divides the logits in the loss)"
    )
    top_p: float = Field(1.0, gt=0, le=1, description="nucleus sampling")


class ToolConfig(_Strict):
    """Multi-turn tool rollouts: a closed code block runs in the episode's referee session."""

    max_tool_calls: int = Field(0, ge=0, description="code blocks run per completion; 0 = no tool (off)")
    language: str = Field("python", description="session language")
    code_start: str = Field("```python\n", description="opens a code block the tool runs")
    code_end: str = Field("\n```", description="closes it: generation stops here and the block runs")
    output_start: str = Field("\n```output\n", description="opens the tool turn appended after a block")
    output_end: str = Field("\n```\n", description="closes the tool turn")
    max_output_chars: int = Field(200, ge=1, description="tool output longer than this is cut")
    timeout_ms: int = Field(0, ge=0, description="per-cell time limit; 0 = the server's default")
    memory_mb: int = Field(0, ge=0, description="session memory limit; 0 = the server's default")


class LossConfig(_Strict):
    loss_type: Literal["grpo", "dr_grpo", "dapo"] = Field(
        "dapo",
        description="aggregation: per-sequence mean (grpo), sum / (N*T_max) (dr_grpo), per-token mean (dapo)",
    )
    scale_rewards: Literal["group", "batch", "none"] = Field(
        "group", description="divide advantages by the group's std, the batch's std, or not at all (Dr. GRPO)"
    )
    epsilon_low: float = Field(0.2, ge=0, lt=1, description="clip ratio below 1 - epsilon_low")
    epsilon_high: float = Field(
        0.28, ge=0, description="clip ratio above 1 + epsilon_high (DAPO clip-higher)"
    )
    beta: float = Field(
        0.0, ge=0, description="KL coefficient to the reference model (k3 estimator); 0 = no ref model"
    )


class TrainConfig(_Strict):
    """`referee train CONFIG.yaml`: GRPO against a referee server."""

    model: ModelConfig = Field(default_factory=ModelConfig, description="policy to train")
    task: TaskConfig = Field(default_factory=TaskConfig, description="where prompts come from")
    referee: RefereeConfig = Field(default_factory=RefereeConfig, description="the reward server")
    generation: GenerationConfig = Field(default_factory=GenerationConfig, description="rollout sampling")
    loss: LossConfig = Field(default_factory=LossConfig, description="GRPO objective")
    tools: ToolConfig = Field(default_factory=ToolConfig, description="code tool calls (off by default)")
    steps: int = Field(100, ge=1, description="optimizer steps (one batch of rollouts each)")
    prompts_per_step: int = Field(8, ge=1, description="B: prompts (groups) per step")
    num_iterations: int = Field(1, ge=1, description="mu: optimizer passes over each batch of rollouts")
    lr: float = Field(1e-4, gt=0, description="AdamW learning rate")
    warmup_steps: int = Field(
        0, ge=0, description="linear learning-rate warm-up (Adam's first steps are large)"
    )
    weight_decay: float = Field(0.0, ge=0, description="AdamW weight decay")
    max_grad_norm: float = Field(1.0, gt=0, description="gradient clipping")
    seed: int = Field(0, description="torch seed for sampling")
    out_dir: Path = Field(
        Path("runs/grpo"), description="metrics.jsonl, metrics.png and the final model go here"
    )
    save_model: bool = Field(True, description="save the trained model and tokenizer to out_dir/model")
    threads: int = Field(0, ge=0, description="torch CPU threads; 0 = torch's default")


class SFTConfig(_Strict):
    """`referee sft CONFIG.yaml`: cold-start fine-tuning on worked examples."""

    model: ModelConfig = Field(default_factory=ModelConfig, description="model to fine-tune (or build)")
    data: Path | None = Field(
        None, description="JSONL of {prompt, completion}; None = generated worked additions"
    )
    task: TaskConfig = Field(default_factory=TaskConfig, description="generated examples when `data` is None")
    examples: int = Field(2000, ge=1, description="generated examples when `data` is None")
    slip_rate: float = Field(
        0.0, ge=0, le=1, description="generated examples: chance that each column sum is off by one"
    )
    steps: int = Field(300, ge=1, description="optimizer steps")
    batch_size: int = Field(32, ge=1, description="examples per step")
    lr: float = Field(1e-3, gt=0, description="AdamW learning rate")
    seed: int = Field(0, description="seed of batch sampling")
    out_dir: Path = Field(Path("runs/sft"), description="the fine-tuned model and tokenizer go here")
    threads: int = Field(0, ge=0, description="torch CPU threads; 0 = torch's default")
    tools: ToolConfig = Field(
        default_factory=ToolConfig, description="tool-turn markers: a completion's tool turns get no loss"
    )

    @model_validator(mode="after")
    def _data_exists(self) -> SFTConfig:
        if self.data is not None and not self.data.is_file():
            raise ValueError(f"data: {self.data} is not a file")
        return self


C = TypeVar("C", bound=BaseModel)


def load_config(path: Path, cls: type[C]) -> C:
    """Parse a YAML file into `cls`; raises `pydantic.ValidationError` naming the bad field."""
    raw = yaml.safe_load(path.read_text()) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping at the top level, got {type(raw).__name__}")
    return cls.model_validate(raw)
