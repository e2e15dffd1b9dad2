"""How close is `language_consistency` to the true share of target-language words, and how fast?

Passages are built from the sentence-aligned Debian message catalogs of
`benchmarks/data/language/parallel.jsonl` (see `benchmarks/language_data.py`): each passage
strings 6-14 messages together with spaces (no line breaks, so language switches happen
mid-line as in real mixed reasoning); each message is in the target language or in another
one, drawn with a per-passage mixing rate, and some passages carry LaTeX and numbers that
must not count. The true share counts each message's words (same word rules as the reward:
`rewards.text.words`) under the message's known language, so the error measured is the
language identification's alone.

    .venv/bin/python benchmarks/language_consistency.py [--passages 200] [--seed 0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from rewards import RewardSpec, language, score
from rewards.language import LanguageParams, identifier, language_consistency, parse_language
from rewards.text import words
from rewards.types import Sample

DATA = Path(__file__).parent / "data" / "language" / "parallel.jsonl"
NOISE = ("$x^2 + 1 = 10$", "42", "\\frac{3}{4}", "`len(xs)`", "3.14", "$$\\sum_{i=1}^n i$$")
EUROPEAN = ("en", "fr", "de", "es")


@dataclass(frozen=True)
class Passage:
    target: str
    text: str
    truth: float


def make_passage(
    rows: list[dict[str, str]], target: str, others: tuple[str, ...], rng: random.Random
) -> Passage:
    rate = rng.random()  # share of messages in another language
    parts: list[str] = []
    hit = total = 0
    for row in rng.sample(rows, rng.randint(6, 14)):
        lang = rng.choice(others) if rng.random() < rate else target
        n = len(words(row[lang]))
        hit += n if lang == target else 0
        total += n
        parts.append(row[lang])
        if rng.random() < 0.2:
            parts.append(rng.choice(NOISE))
    return Passage(target, " ".join(parts), hit / total if total else 1.0)


def run(passages: list[Passage], params: LanguageParams) -> tuple[list[float], float]:
    """Absolute errors, and seconds for the whole list."""
    errors = []
    start = time.perf_counter()
    for i, p in enumerate(passages):
        got = language_consistency(Sample(str(i), "", p.text, language=p.target), params)
        errors.append(abs(got.value - p.truth))
    return errors, time.perf_counter() - start


def group_latency(passages: list[Passage], group: int = 16, cot_words: int = 1000) -> str:
    """Wall time of one GRPO group through the in-process API (`rewards.score`), warm."""
    samples: list[Sample] = []
    text, i = "", 0
    while len(samples) < group:
        text += " " + passages[i % len(passages)].text
        i += 1
        if len(words(text)) >= cot_words:
            samples.append(
                Sample(str(len(samples)), "", f"<think>{text}</think><answer>4</answer>", language="en")
            )
            text = ""
    specs = [RewardSpec("language_consistency")]
    asyncio.run(score(samples, specs))  # warm the caches
    start = time.perf_counter()
    asyncio.run(score(samples, specs))
    ms = 1000 * (time.perf_counter() - start)
    return f"one group of {group} CoTs of ~{cot_words} words through rewards.score: {ms:.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=200, help="passages per mix")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--no-smoothing",
        action="store_true",
        help="ablation: each word's own best language (switching is free)",
    )
    args = ap.parse_args()
    if args.no_smoothing:
        language._SWITCH_COST = dict.fromkeys(language._SWITCH_COST, 0.0)
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(args.seed)
    mixes = {
        "en target, zh mixed in": [make_passage(rows, "en", ("zh",), rng) for _ in range(args.passages)],
        "zh target, en mixed in": [make_passage(rows, "zh", ("en",), rng) for _ in range(args.passages)],
        "en/fr/de/es pairs": [
            make_passage(rows, t, (o,), rng)
            for _ in range(args.passages // 12 + 1)
            for t in EUROPEAN
            for o in EUROPEAN
            if o != t
        ],
        "en/fr/de/es, 3 others": [
            make_passage(rows, t, tuple(o for o in EUROPEAN if o != t), rng)
            for _ in range(args.passages // 4)
            for t in EUROPEAN
        ],
    }
    default = LanguageParams()
    start = time.perf_counter()
    language_consistency(Sample("w", "", "warm up", language="en"), default)
    print(
        f"model loading ({len(default.languages)} candidate languages): {time.perf_counter() - start:.2f} s"
    )
    print(
        f"{'mix':30} {'langs':>5} {'passages':>8} {'words':>7} {'MAE':>6} {'max err':>7} {'cold w/s':>9} {'warm w/s':>9}"
    )
    for params in (default, LanguageParams(languages=("en", "zh", "fr", "de", "es"))):
        ident = identifier([parse_language(c) for c in params.languages])
        for name, passages in mixes.items():
            n_words = sum(len(words(p.text)) for p in passages)
            ident.clear_cache()  # cold: every word scored by lingua for the first time
            errors, cold = run(passages, params)
            _, warm = run(passages, params)  # warm: word scores cached, as in a long training run
            print(
                f"{name:30} {len(params.languages):>5} {len(passages):>8} {n_words:>7} {statistics.mean(errors):>6.3f} "
                f"{max(errors):>7.3f} {n_words / cold:>9,.0f} {n_words / warm:>9,.0f}"
            )
    print(group_latency(mixes["en/fr/de/es pairs"]))


if __name__ == "__main__":
    main()
