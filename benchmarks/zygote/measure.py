"""The zygote prototype (zygote.py) against today's cold start, inside the sandbox image.

    .venv/bin/python benchmarks/zygote/measure.py [--runs 200]

Runs in one container with the supervisor's own isolation flags (one CPU, the supervisor's
capabilities, no-new-privileges): per `print(1)` run, the wall time and the CPU of every
process involved, for a child of the zygote and for `runas ... /usr/bin/python3 -E main.py`
(what the supervisor starts per run with warm interpreters off). Then a set of programs run
both ways, their exit codes, stdout and stderr compared. Also the bare fork costs that decide
the design (a child that finalizes the interpreter normally vs one that exits as zygote.py's
`shut_down` does).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.config import SandboxConfig  # noqa: E402
from sandbox.container import SUPERVISOR_CAPS  # noqa: E402

INSIDE = r"""
import os, re, resource, sys, time
sys.path.insert(0, "/z")
import zygote_client
zygote_client.ZYGOTE = "/z/zygote.py"
RUNS = int(sys.argv[1])
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/work/run", "LANG": "C.UTF-8", "TMPDIR": "/tmp",
       "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"}
os.makedirs("/work/run", exist_ok=True); os.chown("/work/run", 0, 10001); os.chmod("/work/run", 0o770)
os.chdir("/work/run")
z = zygote_client.Zygote(["-E"], ENV)

def run(how, source, stdin=b""):
    with open("main.py", "w") as f:
        f.write(source)
    r_in, w_in = os.pipe(); r_out, w_out = os.pipe(); r_err, w_err = os.pipe()
    if how == "zygote":
        pid = z.fork([r_in, w_out, w_err], 10001, 10001, 5, "main.py", [])
    else:
        pid = os.posix_spawn("/opt/referee/runas", ["/opt/referee/runas", "10001", "10001", "5",
              "/usr/bin/python3", "-E", "main.py"], ENV, setsid=True,
              file_actions=[(os.POSIX_SPAWN_DUP2, fd, i) for i, fd in enumerate((r_in, w_out, w_err))])
    for fd in (r_in, w_out, w_err):
        os.close(fd)
    os.write(w_in, stdin); os.close(w_in)
    out = b"".join(iter(lambda: os.read(r_out, 65536), b"")); err = b"".join(iter(lambda: os.read(r_err, 65536), b""))
    os.close(r_out); os.close(r_err)
    status = z.wait(pid, 10) if how == "zygote" else os.waitpid(pid, 0)[1]
    addr = re.compile(rb"0x[0-9a-f]+")
    return os.waitstatus_to_exitcode(status), addr.sub(b"0x", out).decode(), addr.sub(b"0x", err).decode()

def cpu_s(pid):
    f = open(f"/proc/{pid}/stat").read().rpartition(")")[2].split()
    return sum(int(t) for t in f[11:15]) / os.sysconf("SC_CLK_TCK")

run("zygote", "pass\n")
print(f"{'per print(1) run':24} {'wall ms':>8} {'CPU ms':>8}")
for how in ("zygote", "cold"):
    me0, z0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_s(z.pid), time.perf_counter()
    for _ in range(RUNS):
        assert run(how, "print(1)\n")[:2] == (0, "1\n")
    me1, z1, wall = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_s(z.pid), time.perf_counter() - t0
    cpu = (me1.ru_utime + me1.ru_stime - me0.ru_utime - me0.ru_stime) + (z1 - z0)
    print(f"{how:24} {wall / RUNS * 1000:8.2f} {cpu / RUNS * 1000:8.2f}")

PROGRAMS = __PROGRAMS__
same = 0
for name, source in PROGRAMS.items():
    got, want = run("zygote", source, b"hello\n1 2 3\n"), run("cold", source, b"hello\n1 2 3\n")
    if got == want:
        same += 1
    else:
        print(f"DIFFERS: {name}\n  zygote {got!r}\n  cold   {want!r}")
print(f"behaviour: {same}/{len(PROGRAMS)} programs identical (exit code, stdout, stderr)")
"""

FORKS = r"""
import gc, os, resource, sys, time
mode, runs = sys.argv[1], 200
import atexit, ctypes, select, socket, types
if mode != "normal exit":
    gc.freeze()
c0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
child = False
for _ in range(runs):
    if (pid := os.fork()) == 0:
        child = True
        break
    os.waitpid(pid, 0)
if child:
    print(1, file=open(os.devnull, "w"))
    if mode == "shut_down":
        atexit._run_exitfuncs(); gc.collect(); sys.stdout.flush(); os._exit(0)
    if mode == "_exit":
        os._exit(0)
else:
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime
    print(f"fork + print + {mode:24} {(time.perf_counter() - t0) / runs * 1000:8.2f} {cpu / runs * 1000:8.2f}")
"""


def main(runs: int = 200) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "sandbox"))
    from test_warm import PROGRAMS  # the warm-interpreter tests' programs: every observable

    flags = [
        "--rm",
        "--cpus",
        "1",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--tmpfs",
        "/work",
    ]
    for cap in SUPERVISOR_CAPS:
        flags += ["--cap-add", cap]
    docker = [
        "docker",
        "run",
        *flags,
        "-v",
        f"{HERE}:/z:ro",
        "--entrypoint",
        "/usr/bin/python3",
        SandboxConfig().image,
    ]
    inside = INSIDE.replace("__PROGRAMS__", repr(PROGRAMS))
    subprocess.run([*docker, "-c", inside, str(runs)], check=True)
    print(f"\n{'bare fork costs':24} {'wall ms':>8} {'CPU ms':>8}   (gc.freeze() first, except normal exit)")
    for mode in ("normal exit", "shut_down", "_exit"):
        subprocess.run([*docker, "-E", "-c", FORKS, mode], check=True)


if __name__ == "__main__":
    typer.run(main)
