"""`referee train`, `referee sft` and `referee filter`: typer commands registered on the main app.

    referee sft examples/sft_addition.yaml
    referee train examples/grpo_addition.yaml
    referee filter IN.jsonl -o OUT.jsonl --min-accuracy 1 --min-language 0.95 [--server HOST:PORT]

Importing this module is cheap (torch is imported inside the commands), but it raises
ImportError when the `trainer` extra is missing, so the main CLI can say what to install.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated, Any

import typer

from referee.client import DEFAULT_TARGET

__all__ = ["filter_cmd", "sft", "train"]

for _dep in ("torch", "transformers", "matplotlib"):
    if importlib.util.find_spec(_dep) is None:
        raise ImportError(f"No module named '{_dep}'")

ConfigArg = Annotated[Path, typer.Argument(help="YAML config file", exists=True, dir_okay=False)]


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _load(path: Path, cls: Any) -> Any:
    from pydantic import ValidationError

    from trainer.config import load_config

    try:
        return load_config(path, cls)
    except (ValidationError, ValueError) as exc:
        raise _fail(f"bad config {path}: {exc}") from None


def train(config: ConfigArg) -> None:
    """GRPO against a referee server, as configured in CONFIG (see examples/grpo_addition.yaml)."""
    from referee.client import RefereeError
    from trainer.config import TrainConfig
    from trainer.grpo import train as run

    cfg = _load(config, TrainConfig)
    try:
        rows = run(cfg)
    except RefereeError as exc:
        raise _fail(str(exc), 1) from None
    except (ValueError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(
        f"{len(rows)} steps; metrics in {cfg.out_dir / 'metrics.jsonl'}, plot {cfg.out_dir / 'metrics.png'}"
    )


def sft(config: ConfigArg) -> None:
    """Cold-start fine-tuning on worked examples, as configured in CONFIG (see examples/sft_addition.yaml)."""
    from trainer.config import SFTConfig
    from trainer.sft import sft as run

    cfg = _load(config, SFTConfig)
    try:
        out = run(cfg)
    except (ValueError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"saved the fine-tuned model and tokenizer to {out}")


def filter_cmd(
    input: Annotated[
        Path, typer.Argument(help="JSONL: {prompt, completion, math: {gold}[, language]}", exists=True)
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL of the kept lines, unchanged")],
    min_accuracy: Annotated[float, typer.Option(help="keep accuracy >= this (0 = don't check)")] = 1.0,
    min_format: Annotated[float, typer.Option(help="keep format >= this (0 = don't check)")] = 1.0,
    min_language: Annotated[
        float, typer.Option(help="keep language_consistency >= this (0 = don't check)")
    ] = 0.95,
    language: Annotated[str, typer.Option(help="target language for lines without one")] = "en",
    server: Annotated[str, typer.Option(help="HOST:PORT of the referee server")] = DEFAULT_TARGET,
    batch_size: Annotated[int, typer.Option(help="lines per Score request")] = 64,
    timeout: Annotated[float, typer.Option(help="deadline of one request, seconds")] = 120.0,
    token_file: Annotated[Path | None, typer.Option(help="file holding the server's bearer token")] = None,
    tls_ca_file: Annotated[Path | None, typer.Option(help="CA certificate of a TLS server")] = None,
) -> None:
    """Keep the completions the server scores right, well-formed and language-consistent (R1's rejection sampling).

    Prints how many lines were kept and, per failed check, how many were dropped."""
    from referee.client import ClientSettings, RefereeError
    from trainer.filter import filter_jsonl

    try:
        with input.open() as src, output.open("w") as dst:
            client = ClientSettings(
                target=server, timeout_s=timeout, token_file=token_file, tls_ca_file=tls_ca_file
            )
            report = filter_jsonl(
                src,
                dst,
                client,
                min_accuracy=min_accuracy,
                min_format=min_format,
                min_language=min_language,
                language=language,
                batch_size=batch_size,
            )
    except RefereeError as exc:
        raise _fail(str(exc), 1) from None
    except ValueError as exc:
        raise _fail(str(exc)) from None
    for line in report.lines():
        typer.echo(line, err=True)
