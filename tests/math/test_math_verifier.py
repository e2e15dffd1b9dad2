"""The worker pool: hard deadlines from outside, recovery, concurrency. Real processes, real math-verify."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from rewards.math import MathConfig, MathVerifier, PoolClosed
from rewards.types import Status
from tests.conftest import started_verifier

TIMEOUT_MS = 1000
SLACK_S = 2.0  # a shared 2-core machine: killing and forking take a moment under load

# each runs past any deadline in sympy (math-verify's signal timeout is off in threads)
HANGERS = ["$10^{10^{10^{10}}}$", "$(10^{10})!$", "$2^{2^{40}}$"]
# refused or answered before the deadline without running sympy for long
BOMBS = [
    "5^{5^{5^{5^5}}}",
    "x^{" * 40 + "x" + "}" * 40,
    "$" + "\\underbrace{" * 25 + "1+1" + "}_{1}" * 25 + "$",
    "1+" * 50_000 + "1",
    "{" * 5000 + "1" + "}" * 5000,
    "\x00\xff" * 1000,
]


@pytest.fixture(scope="module")
def verifier() -> Iterator[MathVerifier]:
    with started_verifier(timeout_ms=TIMEOUT_MS) as v:
        yield v


async def test_verify(verifier: MathVerifier) -> None:
    assert (await verifier.verify("\\frac{1}{2}", "0.5")).equal
    no = await verifier.verify("\\frac{1}{2}", "0.6")
    assert (no.equal, no.status) == (False, Status.OK)
    assert "0.6" in no.detail


@pytest.mark.parametrize("bomb", HANGERS)
async def test_hanging_answer_is_killed_at_the_deadline(verifier: MathVerifier, bomb: str) -> None:
    kills = verifier.pool.kills
    started = time.monotonic()
    verdict = await verifier.verify("1", bomb)
    assert time.monotonic() - started < TIMEOUT_MS / 1000 + SLACK_S
    assert (verdict.equal, verdict.status) == (False, Status.TIMEOUT)
    assert verifier.pool.kills == kills + 1
    assert (await verifier.verify("2", "2.0")).equal  # the replacement worker serves


@pytest.mark.parametrize("bomb", BOMBS, ids=["tower5", "xtower", "underbrace", "100kB", "braces", "binary"])
async def test_pathological_answers_return_within_the_deadline(verifier: MathVerifier, bomb: str) -> None:
    started = time.monotonic()
    as_pred, as_gold = await asyncio.gather(verifier.verify("1", bomb), verifier.verify(bomb, "1"))
    assert time.monotonic() - started < TIMEOUT_MS / 1000 + SLACK_S
    assert not as_pred.equal and not as_gold.equal
    assert as_pred.detail and as_gold.detail


async def test_normal_requests_are_answered_while_a_worker_hangs(verifier: MathVerifier) -> None:
    hang = asyncio.ensure_future(verifier.verify("1", HANGERS[0]))
    await asyncio.sleep(0.05)
    ok = await verifier.verify("\\frac{2}{4}", "\\frac{1}{2}")
    assert ok.equal and not hang.done()  # answered by the other worker while the first still hangs
    assert (await hang).status == Status.TIMEOUT


async def test_a_group_with_one_hanging_completion_scores_the_others(verifier: MathVerifier) -> None:
    completions = ["\\boxed{4}", f"\\boxed{{{HANGERS[1][1:-1]}}}", "\\boxed{5}", "<answer>4</answer>"]
    results = await verifier.score_group("4", completions)
    assert [r.value for r in results] == [1.0, 0.0, 0.0, 1.0]
    assert [r.status for r in results] == [Status.OK, Status.TIMEOUT, Status.OK, Status.OK]


async def test_score_group_keeps_order_and_gives_reasons(verifier: MathVerifier) -> None:
    completions = [
        "<think>\\boxed{1/2}</think> so \\boxed{0.5}",
        "\\boxed{1/2} or \\boxed{1/3}",
        "<think>\\boxed{1/2}",
        "",
        "The final answer is 1/2.",
        "x" * 2_000_000,
    ]
    results = await verifier.score_group("\\frac{1}{2}", completions)
    assert [r.value for r in results] == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert results[5].status == Status.OK  # no answer in it; the server refuses such lengths first
    assert all(r.detail for r in results)


def test_calls_from_many_threads_and_event_loops(verifier: MathVerifier) -> None:
    results: list[bool] = []

    def client(i: int) -> None:
        v = asyncio.run(verifier.verify(f"\\frac{{{i}}}{{{2 * i}}}", "0.5"))
        results.append(v.equal)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [True] * 8


async def test_closed_verifier_says_what_to_do() -> None:
    v = MathVerifier(MathConfig(workers=1))
    with pytest.raises(PoolClosed, match="start"):
        await v.verify("1", "1")
    async with v:
        assert (await v.verify("1", "1.0")).equal
    with pytest.raises(PoolClosed):
        await v.verify("1", "1")


async def test_a_gold_too_big_to_compare_costs_two_deadlines_then_none(verifier: MathVerifier) -> None:
    gold = "$(10^{12})!$"
    started = time.monotonic()
    first = await verifier.score_group(gold, ["\\boxed{1}"] * 6)
    assert time.monotonic() - started < 2 * TIMEOUT_MS / 1000 + SLACK_S
    assert [r.status for r in first] == [Status.TIMEOUT] * 6
    started = time.monotonic()
    again = await verifier.verify(gold, "1")
    assert again.status == Status.TIMEOUT and "gold" in again.detail
    assert time.monotonic() - started < 0.5


async def test_one_slow_answer_does_not_blame_the_gold(verifier: MathVerifier) -> None:
    results = await verifier.score_group(
        "1", ["\\boxed{1}", "\\boxed{2^{2^{40}}}", "\\boxed{1}", "\\boxed{1.0}"]
    )
    assert [r.value for r in results] == [1.0, 0.0, 1.0, 1.0]


async def test_several_boxed_answers_count_only_for_a_multi_part_gold(verifier: MathVerifier) -> None:
    hedge = "It is \\boxed{(2, 2)} or maybe \\boxed{(6, 2)}."
    single, multi = await asyncio.gather(
        verifier.score_group("(2, 2)", [hedge]), verifier.score_group("(2, 2), (6, 2)", [hedge])
    )
    assert single[0].value == 0.0 and "several" in single[0].detail
    assert multi[0].value == 1.0


async def test_closing_while_a_worker_hangs_ends_the_call() -> None:
    v = MathVerifier(MathConfig(workers=1, timeout_ms=30_000))
    await v.start()
    hang = asyncio.ensure_future(v.verify("1", HANGERS[0]))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await v.close()
    with pytest.raises(PoolClosed):
        await hang
    assert time.monotonic() - started < 5


async def test_one_answer_boxed_twice_in_different_spellings_is_one_answer(verifier: MathVerifier) -> None:
    results = await verifier.score_group(
        "12", ["\\boxed{12} (or \\boxed{12.0})", "\\boxed{12} or \\boxed{13}"]
    )
    assert [r.value for r in results] == [1.0, 0.0]


def test_workers_that_cannot_start_fail_start_with_advice() -> None:
    # `python -` has the main module "<stdin>", which a forked worker cannot import again
    code = (
        "import asyncio\n"
        "from rewards.math import MathConfig, MathVerifier, PoolClosed\n"
        "try:\n"
        "    asyncio.run(MathVerifier(MathConfig(workers=1)).start())\n"
        "except PoolClosed as exc:\n"
        "    print('refused:', exc)\n"
    )
    done = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, timeout=120)
    assert "refused: math worker processes died at start" in done.stdout
