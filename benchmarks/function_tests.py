"""Per language: one MultiPL-E row with its own tests (tests/sandbox/data/multipl_e.json), judged
through the warm sandbox pool, against the same build and run commands bare on the host (chroot
into the image's rootfs: same binaries and harness, no container), same run.

    PYTHONPATH=. .venv/bin/python benchmarks/function_tests.py [--repeat 3]

Referee's figure is the whole `Sandbox.judge` call (lease, write, compile with the trusted end of
the tests, run, reset); bare is `chroot rootfs sh -c 'compile && run'` in a fresh directory with
the token on stdin, as the supervisor gives it. Needs root (chroot) and the rootfs `referee
sandbox build` made.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from sandbox import JudgeSpec, Sandbox, SandboxConfig, image
from sandbox.image_version import GUEST_DIR, GUEST_FILES
from sandbox.languages import GUEST, RUN_DIR, language
from tests.sandbox.test_function_tests import ROWS

CHROOT = shutil.which("chroot") or "/usr/sbin/chroot"
TOKEN = "referee_end_000000000000 0123456789abcdef0123456789abcdef"


def _command(argv: tuple[str, ...], inside: str) -> str:
    """`argv` as a shell command run from `inside`, the guest files copied there."""
    return " ".join(shlex.quote(a.replace(GUEST, f"{inside}/guest").replace(RUN_DIR, inside)) for a in argv)


def bare_ms(rootfs: Path, lang_name: str, repeat: int) -> float:
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


async def referee_ms(sb: Sandbox, lang: str, repeat: int) -> float:
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


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    config = SandboxConfig(pool_size=2)
    image.build(config)
    rootfs = Path(config.rootfs_dir)
    assert shutil.which("chroot") and rootfs.exists(), "needs root and the rootfs"
    print("| language | MultiPL-E row | referee ms (build + run with its tests) | bare ms | × bare |")
    print("|---|---|---:|---:|---:|")
    subprocess.run(["mount", "-t", "proc", "proc", str(rootfs / "proc")], check=True)  # the JVM reads it
    try:
        async with Sandbox(config) as sb:
            for lang in sorted(ROWS):
                ours = await referee_ms(sb, lang, args.repeat)
                bare = bare_ms(rootfs, lang, args.repeat)
                print(
                    f"| {lang} | {ROWS[lang]['name']} | {ours:.0f} | {bare:.0f} | {ours / bare:.2f} |",
                    flush=True,
                )
    finally:
        subprocess.run(["umount", "-l", str(rootfs / "proc")], check=False)


if __name__ == "__main__":
    asyncio.run(main())
