"""Run metrics: one JSON line per step, and a PNG of the curves that show the R1 phenomena.

DeepSeek-R1's RL stage is read off a few curves: accuracy and format rewards rising,
completion length growing, reflection words ("wait", "let me re-check") appearing,
and KL / clip fraction staying in check. Each is one key in the JSONL.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["MetricsLog", "plot_metrics", "reflection_rate", "tool_metrics"]

REFLECTION = re.compile(
    r"\b(wait|re-?check|re-?examine|verify|double[- ]check|let me (?:check|reconsider)|hmm)\b", re.IGNORECASE
)


def reflection_rate(completions: Sequence[str]) -> float:
    """Share of completions with at least one reflection word (R1's 'aha moment' signal)."""
    if not completions:
        return 0.0
    return sum(bool(REFLECTION.search(c)) for c in completions) / len(completions)


def tool_metrics(accuracy: Sequence[float], calls: Sequence[int], errors: Sequence[int]) -> dict[str, float]:
    """Tool use of a step's scored completions: calls per completion, share of calls that failed,
    and accuracy over the completions that used the tool and those that did not (NaN if none)."""
    used = [a for a, c in zip(accuracy, calls, strict=True) if c > 0]
    unused = [a for a, c in zip(accuracy, calls, strict=True) if c == 0]
    n_calls = sum(calls)
    return {
        "tool/calls_per_completion": n_calls / max(1, len(calls)),
        "tool/error_rate": sum(errors) / n_calls if n_calls else 0.0,
        "tool/accuracy_with": sum(used) / len(used) if used else math.nan,
        "tool/accuracy_without": sum(unused) / len(unused) if unused else math.nan,
    }


def _finite(v: float) -> float | None:
    return round(v, 6) if math.isfinite(v) else None


class MetricsLog:
    """Append-only JSONL; each `log` call is one line, flushed so a crashed run keeps its history."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._f: IO[str] = path.open("w")

    def log(self, row: dict[str, Any]) -> None:
        # NaN (no completion to average over) is null: JSON has no NaN, and readers choke on it
        clean = {k: (_finite(v) if isinstance(v, float) else v) for k, v in row.items()}
        self._f.write(json.dumps(clean, allow_nan=False) + "\n")
        self._f.flush()

    def close(self) -> None:
        self._f.close()

    def __enter__(self) -> MetricsLog:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


# (title, keys) per panel; keys missing from a run are left out of its plot.
PANELS = (
    (
        "rewards (mean per step; bold: 10-step average)",
        ("reward/accuracy", "reward/format", "reward/language_consistency"),
    ),
    ("completion length (tokens)", ("completion_length",)),
    ("reflection rate", ("reflection_rate",)),
    (
        "tool use: calls per completion, error rate; accuracy with / without a call",
        ("tool/calls_per_completion", "tool/error_rate", "tool/accuracy_with", "tool/accuracy_without"),
    ),
    ("loss", ("loss",)),
    ("KL to reference (k3)", ("kl",)),
    ("clip fraction", ("clipfrac",)),
)


def plot_metrics(rows: Sequence[dict[str, Any]], png: Path, title: str = "GRPO") -> Path:
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 4, figsize=(18, 7), constrained_layout=True)
    steps = [r["step"] for r in rows]
    for ax in axes.flat[len(PANELS) :]:
        ax.set_visible(False)
    for ax, (panel, keys) in zip(axes.flat, PANELS, strict=False):
        for key in keys:
            ys = [r.get(key) for r in rows]
            if any(y is not None for y in ys):
                vals: list[float] = [math.nan if y is None else y for y in ys]
                if key.startswith("reward/") or key.startswith(
                    "tool/accuracy"
                ):  # noisy per step: show the trend over it
                    (raw,) = ax.plot(steps, vals, alpha=0.3, linewidth=0.8)
                    ax.plot(
                        steps,
                        _moving_average(vals, 10),
                        color=raw.get_color(),
                        label=key.removeprefix("reward/").removeprefix("tool/"),
                    )
                else:
                    ax.plot(steps, vals, label=key.removeprefix("tool/") if key.startswith("tool/") else None)
        ax.set_title(panel)
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.suptitle(title)
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=90)
    plt.close(fig)
    return png


def _moving_average(ys: Sequence[float], window: int) -> list[float]:
    out = []
    for i in range(len(ys)):
        seen = [y for y in ys[max(0, i - window + 1) : i + 1] if not math.isnan(y)]
        out.append(sum(seen) / len(seen) if seen else math.nan)
    return out
