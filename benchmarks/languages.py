"""Per language: a trivial stdin program through the warm sandbox pool, against the same toolchain
run bare on the host (chroot into the image's rootfs: same binaries, no container), same run.

    PYTHONPATH=. .venv/bin/python benchmarks/languages.py [--repeat 3]

Each figure is the median of --repeat runs of compile (if any) + run of the sum program of
tests/sandbox/test_languages.py. Referee's is the whole `Sandbox.execute` call (a pooled
container is leased, files written, compiled, run, reset); bare is `chroot rootfs sh -c
'compile && run'` in a fresh directory. Needs root (chroot) and the rootfs `referee sandbox
build` made.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from sandbox import ExecuteSpec, Sandbox, SandboxConfig, image
from sandbox.image_version import GUEST_DIR
from sandbox.languages import LANGUAGES, RUN_DIR
from tests.sandbox.test_languages import PROGRAMS

CHROOT = shutil.which("chroot") or "/usr/sbin/chroot"


def bare_ms(rootfs: Path, lang_name: str, repeat: int) -> tuple[float, float]:
    """(compile ms, run ms), medians, with the toolchain straight from the rootfs."""
    lang = next(x for x in LANGUAGES if x.name == lang_name)
    compiles, runs = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(dir=rootfs / "tmp", prefix="bench-") as tmp:
            inside = "/" + str(Path(tmp).relative_to(rootfs))
            (Path(tmp) / lang.filename).write_text(PROGRAMS[lang_name][0])
            (Path(tmp) / "in.txt").write_text("40 2\n")
            env = {"PATH": "/usr/bin:/bin", "HOME": inside, "LANG": "C.UTF-8", "MPLBACKEND": "Agg"}
            shutil.copy(
                GUEST_DIR / "node-globals.d.ts", tmp
            )  # the image's /opt/referee files the build names
            build = [a.replace("/opt/referee/", f"{inside}/") for a in lang.compile]
            if lang.compile:
                t0 = time.perf_counter()
                subprocess.run([CHROOT, str(rootfs), "/bin/sh", "-c", f"cd {inside} && exec \"$@\"", "sh",
                                *build], check=True, capture_output=True, env=env)  # fmt: skip
                compiles.append((time.perf_counter() - t0) * 1000)
            run = [a.replace(RUN_DIR, inside) for a in lang.run]
            t0 = time.perf_counter()
            done = subprocess.run([CHROOT, str(rootfs), "/bin/sh", "-c", f"cd {inside} && exec \"$@\" < in.txt",
                                   "sh", *run], capture_output=True, env=env)  # fmt: skip
            runs.append((time.perf_counter() - t0) * 1000)
            assert done.stdout.strip() == b"42", (lang_name, done)
    return (statistics.median(compiles) if compiles else 0.0), statistics.median(runs)


async def referee_ms(sb: Sandbox, lang: str, repeat: int) -> float:
    walls = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = await sb.execute(ExecuteSpec(lang, PROGRAMS[lang][0], stdin="40 2\n", timeout_ms=10_000))
        walls.append((time.perf_counter() - t0) * 1000)
        assert r.stdout.strip() == "42", (lang, r)
    return statistics.median(walls)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    config = SandboxConfig(pool_size=2)
    image.build(config)
    rootfs = Path(config.rootfs_dir)
    assert shutil.which("chroot") and rootfs.exists(), "needs root and the rootfs"
    print("| language | kind | referee ms (compile + run) | bare compile ms | bare run ms | × bare |")
    print("|---|---|---:|---:|---:|---:|")
    subprocess.run(["mount", "-t", "proc", "proc", str(rootfs / "proc")], check=True)  # the JVM reads it
    try:
        async with Sandbox(config) as sb:
            for lang in LANGUAGES:
                ours = await referee_ms(sb, lang.name, args.repeat)
                compile_ms, run_ms = bare_ms(rootfs, lang.name, args.repeat)
                compiled = f"{compile_ms:.0f}" if lang.compile else "—"
                ratio = ours / (compile_ms + run_ms)
                print(
                    f"| {lang.name} | {lang.kind} | {ours:.0f} | {compiled} | {run_ms:.0f} | {ratio:.2f} |",
                    flush=True,
                )
    finally:
        subprocess.run(["umount", "-l", str(rootfs / "proc")], check=False)


if __name__ == "__main__":
    asyncio.run(main())
