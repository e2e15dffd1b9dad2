"""Fixtures for the trainer tests: a real referee server in-process, tiny models, one CPU thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="the trainer tests need the `trainer` extra")
pytest.importorskip("transformers")

from trainer.config import ModelConfig, SFTConfig, TaskConfig  # noqa: E402
from trainer.local_server import local_referee  # noqa: E402
from trainer.sft import sft  # noqa: E402

torch.set_num_threads(1)  # the machine is shared; these models are tiny


@pytest.fixture(scope="session")
def referee_target() -> Iterator[str]:
    """HOST:PORT of a real referee server (math only, one worker) on localhost."""
    with local_referee(math={"workers": 1}) as target:
        yield target


@pytest.fixture(scope="session")
def tiny_sft_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few SFT steps of a very small GPT-2 on worked additions (seconds, not a good model)."""
    cfg = SFTConfig(
        model=ModelConfig(n_layer=1, n_embd=32, n_head=2, n_positions=64),
        task=TaskConfig(digits=1),
        examples=200,
        steps=20,
        batch_size=16,
        out_dir=tmp_path_factory.mktemp("sft"),
    )
    return sft(cfg, log=lambda _: None)
