"""runc vs runsc (gVisor): cold start and per-run cost of the same supervisor and programs.

    sudo .venv/bin/python benchmarks/sandbox_runtimes.py [--runs 30]

runc goes through docker (the production path). runsc is driven directly (`runsc
--network=none run` on an OCI bundle exported from the same image) because this host's
dockerd starts runsc without `--network=none`, which runsc 2022-12 refuses here; with
`"runtimeArgs": ["--network=none"]` on the runsc entry of /etc/docker/daemon.json, the
docker path (`SandboxConfig(runtime="runsc")`) is the same thing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from sandbox import SandboxConfig, image

PROGRAMS = {
    "python print(1)": ["/usr/bin/python3", "-E", "-S", "-c", "print(1)"],
    "python import json,re,collections": [
        "/usr/bin/python3",
        "-E",
        "-S",
        "-c",
        "import json, re, collections",
    ],
    "sh true": ["/bin/sh", "-c", "true"],
}


def requests(runs: int) -> bytes:
    lines = [
        {
            "op": "exec",
            "argv": argv,
            "timeout_ms": 5_000,
            "output_cap_bytes": 10_000,
            "file_cap_bytes": 1 << 20,
            "reset": True,
        }
        for argv in PROGRAMS.values()
        for _ in range(runs)
    ]
    return b"".join(json.dumps(x).encode() + b"\n" for x in lines)


def medians(stdout: bytes, runs: int) -> list[float]:
    walls = [json.loads(line)["wall_ms"] for line in stdout.splitlines() if line.startswith(b"{")]
    return [statistics.median(walls[i * runs : (i + 1) * runs]) for i in range(len(PROGRAMS))]


def runc(config: SandboxConfig, runs: int) -> tuple[float, list[float]]:
    argv = [
        "docker",
        "run",
        "--rm",
        "-i",
        "--network",
        "none",
        "--read-only",
        "--cap-drop",
        "ALL",
        "--tmpfs",
        "/work:size=64m,uid=10001,gid=10001,mode=0700",
        "--tmpfs",
        "/tmp:size=16m",
        config.image,
    ]
    t0 = time.perf_counter()
    subprocess.run([*argv[:-1], config.image, "/bin/true"], check=True)
    cold = (time.perf_counter() - t0) * 1000
    out = subprocess.run(argv, input=requests(runs), capture_output=True, check=True).stdout
    return cold, medians(out, runs)


def runsc(config: SandboxConfig, runs: int) -> tuple[float, list[float]]:
    with tempfile.TemporaryDirectory(prefix="referee-gvisor-") as tmp:
        bundle = Path(tmp)
        (bundle / "rootfs").mkdir()
        cid = subprocess.run(
            ["docker", "create", config.image], capture_output=True, text=True, check=True
        ).stdout.strip()
        try:
            export = subprocess.Popen(["docker", "export", cid], stdout=subprocess.PIPE)
            subprocess.run(["tar", "-x", "-C", str(bundle / "rootfs")], stdin=export.stdout, check=True)
            export.wait()
        finally:
            subprocess.run(["docker", "rm", cid], capture_output=True)
        subprocess.run(["runsc", "spec"], cwd=bundle, check=True)
        spec = json.loads((bundle / "config.json").read_text())
        proc = spec["process"]
        proc.update(
            terminal=False,
            user={"uid": 10001, "gid": 10001},
            cwd="/work",
            noNewPrivileges=True,
            env=["PATH=/usr/bin:/bin", "LANG=C.UTF-8"],
            capabilities={k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")},
        )
        spec["root"] = {"path": "rootfs", "readonly": True}
        spec["mounts"] += [
            {"destination": d, "type": "tmpfs", "source": "tmpfs", "options": ["size=64m", "mode=1777"]}
            for d in ("/work", "/tmp")
        ]

        def run(args: list[str], stdin: bytes = b"") -> bytes:
            proc["args"] = args
            (bundle / "config.json").write_text(json.dumps(spec))
            name = f"referee-bench-{time.monotonic_ns()}"
            return subprocess.run(
                ["runsc", "--network=none", "run", "-bundle", str(bundle), name],
                input=stdin,
                capture_output=True,
                check=True,
            ).stdout

        t0 = time.perf_counter()
        run(["/bin/true"])
        cold = (time.perf_counter() - t0) * 1000
        return cold, medians(
            run(["/usr/bin/python3", "-I", "/opt/referee/supervisor.py"], requests(runs)), runs
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    config = SandboxConfig()
    image.build(config)
    rows = {"runc (docker)": runc(config, args.runs)}
    if shutil.which("runsc"):
        rows["runsc (gVisor)"] = runsc(config, args.runs)
    names = list(PROGRAMS)
    print(f"median ms per run inside a warm container ({args.runs} runs each), and one cold container start")
    print(f"| runtime         | cold start ms | {' | '.join(names)} |")
    print(f"|-----------------|--------------:|{'|'.join('-' * (len(n) + 1) + ':' for n in names)}|")
    for name, (cold, meds) in rows.items():
        print(
            f"| {name:15} | {cold:13.0f} | "
            + " | ".join(f"{m:>{len(n)}.1f}" for m, n in zip(meds, names, strict=True))
            + " |"
        )


if __name__ == "__main__":
    main()
