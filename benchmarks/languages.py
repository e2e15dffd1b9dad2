"""Per language, through the warm sandbox pool, against the same toolchain run bare on the host
(chroot into the image's rootfs: same binaries, no container), same run.

    PYTHONPATH=. .venv/bin/python benchmarks/languages.py [--repeat 3]              # stdin programs
    PYTHONPATH=. .venv/bin/python benchmarks/languages.py --own-tests [--repeat 3]  # MultiPL-E rows

Each figure is the median of --repeat runs. Default: compile (if any) + run of the sum program of
tests/sandbox/test_languages.py; referee's is the whole `Sandbox.execute` call (a pooled
container is leased, files written, compiled, run, reset); bare is `chroot rootfs sh -c
'compile && run'` in a fresh directory. `--own-tests`: one MultiPL-E row per language with its own
tests (tests/sandbox/data/multipl_e.json) through `Sandbox.judge` (build with the trusted end of
the tests, run, reset), against the same build and run commands bare with the token on stdin, as
the supervisor gives it. Needs root (chroot) and the rootfs `referee sandbox build` made.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

from sandbox import ExecuteSpec, JudgeSpec, Sandbox, SandboxConfig, image
from sandbox.image import compile_guest
from sandbox.image_version import BUILT, GUEST_DIR, GUEST_FILES
from sandbox.languages import GUEST, LANGUAGES, RUN_DIR, language
from tests.sandbox.test_function_tests import ROWS
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


TOKEN = "referee_end_000000000000 0123456789abcdef0123456789abcdef"


def _command(argv: tuple[str, ...], inside: str) -> str:
    """`argv` as a shell command run from `inside`, the guest files copied there."""
    return " ".join(shlex.quote(a.replace(GUEST, f"{inside}/guest").replace(RUN_DIR, inside)) for a in argv)


def bare_tests_ms(rootfs: Path, lang_name: str, repeat: int) -> float:
    lang, row = language(lang_name), ROWS[lang_name]
    built = lang.with_tests()
    program = lang.assemble(row["prompt"] + row["completion"], row["tests"], TOKEN.split()[0])
    walls = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(dir=rootfs / "tmp", prefix="bench-") as tmp:
            inside = "/" + str(Path(tmp).relative_to(rootfs))
            guest = Path(tmp) / "guest"
            guest.mkdir()
            for name in GUEST_FILES:  # the image's /opt/referee files the commands name
                shutil.copy(GUEST_DIR / name, guest)
            for _, output, _, command in BUILT:  # and what the image build compiles from them
                compile_guest(rootfs, f"{inside}/guest", output, command)
            (Path(tmp) / built.filename).write_text(program)

            script = f"cd {inside} && " + (f"{_command(built.compile, inside)} && " if built.compile else "")
            script += f"echo {shlex.quote(TOKEN)} | {_command(built.run, inside)}"
            env = {"PATH": "/usr/bin:/bin", "HOME": inside, "LANG": "C.UTF-8"}
            t0 = time.perf_counter()
            done = subprocess.run(
                [CHROOT, str(rootfs), "/bin/sh", "-c", script], capture_output=True, env=env
            )
            walls.append((time.perf_counter() - t0) * 1000)
            assert TOKEN.split()[1].encode() in done.stdout, (
                lang_name,
                done.stdout[-500:],
                done.stderr[-500:],
            )
    return statistics.median(walls)


async def referee_tests_ms(sb: Sandbox, lang: str, repeat: int) -> float:
    row, walls = ROWS[lang], []
    for _ in range(repeat):
        spec = JudgeSpec(
            lang, row["completion"], prelude=row["prompt"], test_code=row["tests"], timeout_ms=20_000
        )
        t0 = time.perf_counter()
        r = await sb.judge(spec)
        walls.append((time.perf_counter() - t0) * 1000)
        assert r.tests[0].passed, (lang, r)
    return statistics.median(walls)


@contextlib.asynccontextmanager
async def pool_and_rootfs() -> AsyncIterator[tuple[Sandbox, Path]]:
    config = SandboxConfig(pool_size=2)
    image.build(config)
    rootfs = Path(config.rootfs_dir)
    assert shutil.which("chroot") and rootfs.exists(), "needs root and the rootfs"
    subprocess.run(["mount", "-t", "proc", "proc", str(rootfs / "proc")], check=True)  # the JVM reads it
    try:
        async with Sandbox(config) as sb:
            yield sb, rootfs
    finally:
        subprocess.run(["umount", "-l", str(rootfs / "proc")], check=False)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--own-tests", action="store_true", help="MultiPL-E rows with their own tests")
    args = ap.parse_args()
    async with pool_and_rootfs() as (sb, rootfs):
        if args.own_tests:
            print("| language | MultiPL-E row | referee ms (build + run with its tests) | bare ms | × bare |")
            print("|---|---|---:|---:|---:|")
            for name in sorted(ROWS):
                ours, bare = (
                    await referee_tests_ms(sb, name, args.repeat),
                    bare_tests_ms(rootfs, name, args.repeat),
                )
                print(
                    f"| {name} | {ROWS[name]['name']} | {ours:.0f} | {bare:.0f} | {ours / bare:.2f} |",
                    flush=True,
                )
            return
        print("| language | kind | referee ms (compile + run) | bare compile ms | bare run ms | × bare |")
        print("|---|---|---:|---:|---:|---:|")
        for lang in LANGUAGES:
            ours = await referee_ms(sb, lang.name, args.repeat)
            compile_ms, run_ms = bare_ms(rootfs, lang.name, args.repeat)
            compiled = f"{compile_ms:.0f}" if lang.compile else "—"
            ratio = ours / (compile_ms + run_ms)
            print(
                f"| {lang.name} | {lang.kind} | {ours:.0f} | {compiled} | {run_ms:.0f} | {ratio:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    asyncio.run(main())
