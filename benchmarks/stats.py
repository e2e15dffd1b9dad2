"""Summary statistics the benchmarks print."""

from __future__ import annotations


def percentile(xs: list[float], q: float) -> float:
    """The q-quantile of `xs` (nearest rank); NaN when there are none."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")
