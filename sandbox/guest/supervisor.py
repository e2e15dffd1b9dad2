"""PID 1 of a sandbox container: runs one program at a time as a fresh process, reports how it ended.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout (the host
talks to it over `docker attach`, so it works under runc and gVisor alike, with no network).

Why PID 1 and not `docker exec`: exec costs tens of milliseconds; a fork here costs one.

Two uids. We run as root with a handful of capabilities (the host drops the rest); every
program runs as the unprivileged sandbox uid with none, switched to by runas.c right before
its exec. So the program can neither signal us nor ptrace us nor read /proc/1/mem or
/proc/1/fd: the kernel's uid checks say no, under runc and gVisor alike (gVisor, unlike Linux,
lets a same-uid process SIGKILL a namespace's init). After every run `kill(-1, SIGKILL)`
removes every process the run left behind: it reaches all processes but init.

Under gVisor two limits move inside: the host's pids and memory cgroups see the gVisor kernel,
not the program, so hitting them takes the whole sandbox down. There the program gets
RLIMIT_NPROC (counted per sandbox uid, per gVisor kernel), and we watch the sandbox's memory
and kill the run past the request's limit (`memory_limit_bytes`, the budget the cgroup has
under runc), well before the host cgroup's.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import json
import os
import resource
import selectors
import shutil
import signal
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyjudge
from clock import Deadline, RunClock
from hardening import RUNAS, Settings, make_oom_victim, set_dumpable, unprivileged_argv

WORK = "/work"
RUN_DIR = "/work/run"
# Trusted programs of the request (a checker): root's, readable by programs, writable by none, so
# a program cannot replace the checker that judges its later cases.
JUDGE_DIR = "/work/judge"
SCRATCH_DIRS = ("/tmp", "/dev/shm", "/dev/mqueue")  # writable by programs; /dev/mqueue: POSIX queues
# Reset to these after every visit, so a directory's times carry nothing from one sample to the next.
QUIET_DIRS = (WORK, RUN_DIR, "/tmp", "/dev/shm")
OOM_CONTROL = "/sys/fs/cgroup/memory/memory.oom_control"
PROGRAM_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": RUN_DIR,
    "LANG": "C.UTF-8",
    "TMPDIR": "/tmp",
    "PYTHONDONTWRITEBYTECODE": "1",
    "MPLBACKEND": "Agg",  # matplotlib without a display
}
MAX_FD = 256
MEMORY_POLL_S = 0.005  # gVisor only: how often the sandbox's memory in use is read
FILES_POLL_S = 0.1  # gVisor only: how often the program's files are counted (it has no nr_inodes)
VERDICT_CAP_BYTES = 8 << 20  # the judge's verdict channel: bounded lines (pyjudge), never the program's

_wake_r, _wake_w = os.pipe()


def harden_self(settings: dict) -> None:
    Settings.uid, Settings.gid = settings.get("uid", 10001), settings.get("gid", 10001)
    Settings.nproc = settings.get("nproc")
    Settings.cpus = settings.get("cpus", 1.0)
    Settings.max_files = settings.get("max_files")
    Settings.warm = bool(settings.get("warm_argv"))
    Warm.argv = settings.get("warm_argv") or None
    set_dumpable(False)
    # Inherited by every program we spawn (RLIMIT_CORE is 0 from docker already).
    file_cap_bytes = settings.get("file_cap_bytes", 64 << 20)
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_cap_bytes, file_cap_bytes))
    if Settings.nproc:  # counts the sandbox uid's processes only: we, root, are not limited by it
        resource.setrlimit(resource.RLIMIT_NPROC, (Settings.nproc, Settings.nproc))
    # Python's default SIGINT handler would make us receive SIGINT; default = ignored as init.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.set_blocking(_wake_w, False)
    os.set_blocking(_wake_r, False)
    signal.set_wakeup_fd(_wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # the wakeup fd turns child exits into select events


def oom_kills() -> int:
    try:
        with open(OOM_CONTROL) as f:
            for line in f:
                if line.startswith("oom_kill "):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def memory_limit_hits() -> int:
    """How often the container's memory use reached its limit (v1 failcnt, v2 `max` events);
    -1 where unknown (gVisor). A run that used up its CPU time while hitting the limit was
    thrashing in reclaim: a memory verdict, not a time one."""
    for path, key in (
        (OOM_CONTROL.replace("oom_control", "failcnt"), None),
        ("/sys/fs/cgroup/memory.events", "max"),
    ):
        try:
            with open(path) as f:
                if key is None:
                    return int(f.read())
                return next(int(ln.split()[1]) for ln in f if ln.split()[0] == key)
        except (OSError, ValueError, StopIteration, IndexError):
            continue
    return -1


def other_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and p != "1"]


def memory_used_bytes() -> int:
    """The sandbox's memory in use as gVisor accounts it (its MemTotal is the container's limit).
    Not a sum of the processes' RSS: gVisor counts shared and reserved pages in each one, and
    a forked interpreter's copy-on-write pages are not its own."""
    fields = {}
    with open("/proc/meminfo") as f:
        for line in f:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0]) << 10
    return fields["MemTotal"] - fields["MemFree"]


def kill_all_and_reap() -> None:
    """SIGKILL every process but us (kill -1 skips init), reap, and repeat until /proc shows
    nobody else. Under Linux one kill(-1) is atomic against fork; under gVisor a fork bomb
    outruns it, so we sweep again, and never wait blocking: a child forked during a sweep
    would hold a blocking wait forever."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGSTOP)  # a stopped process cannot fork: the kill sweeps then converge
    while True:
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)
        reap_exited()
        if not other_pids():
            return
        time.sleep(0.001)  # the killed are still dying


def child_setup(
    stdin_fd: int, stdout_fd: int, stderr_fd: int, cwd: str, cpu_s: int, fsize_bytes: int
) -> None:
    """In the forked child before it becomes the program: own session, fds, limits, OOM victim first."""
    os.setsid()
    os.dup2(stdin_fd, 0)
    os.dup2(stdout_fd, 1)
    os.dup2(stderr_fd, 2)
    os.closerange(3, MAX_FD)
    for sig in (signal.SIGPIPE, signal.SIGCHLD, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)
    signal.set_wakeup_fd(-1)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_bytes, fsize_bytes))
    make_oom_victim()
    os.chdir(cwd)


def spawn(
    argv: list[str],
    stdin_fd: int,
    stdout_fd: int,
    stderr_fd: int,
    cpu_s: int,
    uid: int | None = None,
    fd3: int | None = None,
) -> int:
    """Start a program as the sandbox uid with posix_spawn (vfork: no copy of our page tables,
    ~3 ms less than fork here), in its own session, signals at their defaults, in our cwd (the
    run dir). File size, core and process limits are ours, inherited; the OOM score is set from
    outside right after (raising it needs no privilege). `fd3`: passed on as its fd 3."""
    ends = [stdin_fd, stdout_fd, stderr_fd] + ([fd3] if fd3 is not None else [])
    pid = os.posix_spawn(  # runas reports a program it cannot start, and exits 127 like a shell
        RUNAS,
        unprivileged_argv(argv, cpu_s, uid),
        PROGRAM_ENV,
        setsid=True,
        setsigdef=(signal.SIGPIPE, signal.SIGCHLD, signal.SIGINT),
        file_actions=[(os.POSIX_SPAWN_DUP2, fd, i) for i, fd in enumerate(ends)],
    )
    with contextlib.suppress(OSError), open(f"/proc/{pid}/oom_score_adj", "w") as f:  # it may be gone already
        f.write("1000")
    return pid


class Pipes:
    """A run's stdin (fed from the request), stdout and stderr (kept up to their caps), and the
    wakeup fd that turns child exits into events. Made before the child that gets their other
    ends (`child_ends`), which may be started before its run (`Warm`)."""

    def __init__(self) -> None:
        self.stdin, self.written = b"", 0
        self.r_in, self.w_in = os.pipe()
        self.r_out, self.w_out = os.pipe()
        self.r_err, self.w_err = os.pipe()
        self.data = {self.r_out: bytearray(), self.r_err: bytearray()}
        self.caps = {self.r_out: 0, self.r_err: 0}
        self.output_limited = False
        self.sel = selectors.DefaultSelector()
        self.handed_over = False

    def child_ends(self) -> tuple[int, int, int]:
        return self.r_in, self.w_out, self.w_err

    def hand_over(self) -> None:
        """The child holds its ends now: close ours."""
        for fd in self.child_ends():
            os.close(fd)
        self.handed_over = True

    def started(self, stdin: bytes, out_cap: int, err_cap: int) -> None:
        """The run has begun: feed it `stdin`, keep its output up to the caps."""
        if not self.handed_over:
            self.hand_over()
        self.stdin = stdin
        self.caps = {self.r_out: out_cap, self.r_err: err_cap}
        self.sel.register(_wake_r, selectors.EVENT_READ)
        for fd in self.data:
            os.set_blocking(fd, False)
            self.sel.register(fd, selectors.EVENT_READ)
        if self.stdin:
            os.set_blocking(self.w_in, False)
            self.sel.register(self.w_in, selectors.EVENT_WRITE)
        else:
            self._close_stdin()

    def drained(self) -> bool:
        return len(self.sel.get_map()) == 1  # only the wakeup fd is left

    def pump(self, timeout_s: float) -> list[tuple[int, int]]:
        """Move data for up to timeout_s; the (pid, wait status) of children that exited."""
        exited = []
        for key, _ in self.sel.select(max(timeout_s, 0)):
            fd = key.fd
            if fd == _wake_r:
                with contextlib.suppress(BlockingIOError):
                    os.read(_wake_r, 512)
                exited += reap_exited()
            elif fd == self.w_in:
                try:
                    self.written += os.write(fd, self.stdin[self.written : self.written + 65536])
                except BlockingIOError:
                    pass
                except BrokenPipeError:  # the program stopped reading: fine, drop the rest
                    self.written = len(self.stdin)
                if self.written >= len(self.stdin):
                    self._close_stdin()
            else:
                chunk = os.read(fd, 65536)
                if not chunk:
                    self.sel.unregister(fd)
                    continue
                self.data[fd] += chunk
                if len(self.data[fd]) > self.caps[fd]:
                    del self.data[fd][self.caps[fd] :]
                    self.output_limited = True
        return exited

    def _close_stdin(self) -> None:
        if self.w_in in self.sel.get_map():
            self.sel.unregister(self.w_in)
        os.close(self.w_in)
        self.w_in = -1

    def close(self) -> tuple[str, str]:
        """Close everything; the run's stdout and stderr."""
        self.sel.close()
        for fd in (self.r_out, self.r_err, self.w_in):
            if fd >= 0:
                os.close(fd)
        return self.data[self.r_out].decode(errors="replace"), self.data[self.r_err].decode(errors="replace")

    def close_all(self) -> None:
        """The run never started: close both ends of everything."""
        self.sel.close()
        for fd in (*(() if self.handed_over else self.child_ends()), self.w_in, self.r_out, self.r_err):
            os.close(fd)


# ------------------------------------------------------------------ warm interpreters

WARM_SCRIPT = "/opt/referee/warm.py"
# The flags a warm interpreter can be started with for a `python3 FLAGS script.py` run: those
# that leave sys.path[0] the script's dir (-I and -P do not).
WARM_FLAGS = frozenset({"-E", "-s", "-S", "-u", "-B", "-O", "-OO"})
WARM_CPU_S = 3600  # its CPU limit until its run's request lowers it (it can lower it, never raise it)


class Warm:
    """The next Python run's interpreter, started (guest/warm.py) before the run's request comes,
    so that the request does not wait for CPython's start-up.

    One interpreter serves one run, and is started only in a container as the run will find it:
    after the last run ended (every process of it killed) and, at a visit's end, after the reset;
    within a visit, between two runs of the same sample, it sees only what that sample's later
    runs see anyway. It never outlives its visit: every request but the exec it serves discards
    it first, and every reset makes a new one after. Until its request it runs nothing but the
    standard library's start-up, as the program's uid, like the program itself."""

    current: Warm | None = None
    argv: list[str] | None = None  # the run to keep one ready for: the last Python exec's argv

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.pipes = Pipes()
        go_r, self.go_w = os.pipe()
        try:
            self.pid = spawn([*argv[:-1], WARM_SCRIPT], *self.pipes.child_ends(), WARM_CPU_S, fd3=go_r)
        except OSError:
            os.close(self.go_w)
            self.pipes.close_all()
            raise
        finally:
            os.close(go_r)
        self.pipes.hand_over()

    @staticmethod
    def serves(argv: list[str]) -> bool:
        """Whether a warm interpreter can run `argv` exactly as its own exec would."""
        script = argv[-1] if len(argv) >= 2 else ""
        plain = "/" not in script and script.endswith(".py") and " " not in script
        return argv[0] == "/usr/bin/python3" and set(argv[1:-1]) <= WARM_FLAGS and plain

    @classmethod
    def prepare(cls) -> None:
        """After a reply: start the next run's interpreter while the host reads it."""
        if cls.current is None and cls.argv is not None:
            with contextlib.suppress(OSError):
                cls.current = Warm(cls.argv)

    @classmethod
    def take(cls, argv: list[str], cpu_s: int) -> tuple[int, Pipes] | None:
        """The ready interpreter, told to run `argv` under a CPU limit of `cpu_s`: its pid and
        pipes. None when there is none for exactly this argv (and then none is kept)."""
        warm, cls.current = cls.current, None
        if warm is None:
            return None
        if warm.argv != argv:
            warm.discard()
            return None
        try:
            os.write(warm.go_w, f"{cpu_s} {argv[-1]}\n".encode())
        except OSError:  # it died waiting
            warm.discard()
            return None
        os.close(warm.go_w)
        return warm.pid, warm.pipes

    @classmethod
    def drop(cls) -> None:
        if cls.current is not None:
            cls.current.discard()
            cls.current = None

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.go_w)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.pipes.close_all()


def tests_ended(stdout: str, token: str) -> tuple[bool, str]:
    """Whether a run with its own tests printed the token's secret (their trusted end ran), and
    its stdout without that line. The token ("<end function> <secret>") is such a run's whole
    stdin, which the trusted end (guest/tests*) reads to its end before the program's own code
    runs: nothing else holds the secret, not the environment, argv or a file."""
    secret = token.split()[-1]
    if secret not in stdout:
        return False, stdout
    return True, stdout.replace(f"\n{secret}\n", "", 1).replace(secret, "", 1)


def reap_exited() -> list[tuple[int, int]]:
    """Reap every child that has exited, without blocking: their (pid, wait status)."""
    exited = []
    try:
        while (reaped := os.waitpid(-1, os.WNOHANG))[0]:
            exited.append(reaped)
    except ChildProcessError:
        pass
    return exited


class Watch:
    """What ends a run from outside, besides its output cap: its time limit (a program's CPU time
    with a wall backstop, clock.py; the judge's wall budget) and, under gVisor, the sandbox's
    memory in use and the files the run made (see the module doc)."""

    def __init__(self, req: dict, judge: bool) -> None:
        now, limit_s = time.monotonic(), req["timeout_ms"] / 1000
        self.deadline = None if judge else Deadline(RunClock((1,)), limit_s, Settings.cpus)
        self.wall_end = now + limit_s if judge else float("inf")  # the judge times its own tests
        self.memory_limit: int = req.get("memory_limit_bytes") or 0  # gVisor only
        self.next_memory = now + MEMORY_POLL_S if self.memory_limit else float("inf")
        self.next_files = now + FILES_POLL_S if Settings.max_files else float("inf")

    def next_wake(self) -> float:
        time_limit = self.deadline.next_wake() if self.deadline else self.wall_end
        return min(time_limit, self.next_memory, self.next_files)

    def over(self) -> str:
        """Why the run must end now: "cpu", "idle", "starved" (clock.py), "wall", "memory",
        "files"; "" while it may go on."""
        now = time.monotonic()
        if now >= self.wall_end:
            return "wall"
        if self.deadline and (why := self.deadline.check()):
            return why
        if now >= self.next_memory:
            if memory_used_bytes() > self.memory_limit:
                return "memory"
            self.next_memory = now + MEMORY_POLL_S
        if now >= self.next_files:
            if count_files(Settings.max_files or 0) > (Settings.max_files or 0):
                return "files"
            self.next_files = now + FILES_POLL_S
        return ""


def run(req: dict, target, uid: int | None = None) -> dict:
    """Run `target` under the request's limits: an argv list (a program: `timeout_ms` is its CPU
    time, see clock.py), or a callable run in a forked child (the judge: `timeout_ms` is its wall
    budget, its tests' CPU limits are its own business; its stdout is the verdict channel)."""
    judge = callable(target)
    cap = req["output_cap_bytes"]
    token = req.get("end_token", "")
    stdin = f"{token}\n" if token else req.get("stdin", "")
    oom_before, hits_before = oom_kills(), memory_limit_hits()
    cpu_s = int(req["timeout_ms"] / 1000) + 1  # RLIMIT_CPU, a last resort behind the Watch
    t0 = time.monotonic()
    started = None if judge or uid is not None else Warm.take(target, cpu_s)
    pipes = started[1] if started else Pipes()
    try:
        if started:
            pid = started[0]
        else:
            pid = os.fork() if judge else spawn(target, *pipes.child_ends(), cpu_s, uid=uid)
    except OSError:
        pipes.close_all()
        raise
    if pid == 0:
        try:
            child_setup(*pipes.child_ends(), RUN_DIR, cpu_s, req["file_cap_bytes"])
            set_dumpable(False)  # the judge keeps its memory and fds from the candidate
            target()
            os._exit(0)
        except BaseException as exc:
            os.write(2, f"sandbox: cannot start the judge: {exc!r}\n".encode())
        os._exit(127)
    pipes.started(stdin.encode(), VERDICT_CAP_BYTES if judge else cap, cap)
    watch = Watch(req, judge)
    status: int | None = None
    end_ms = None
    stop = ""  # why we ended it: Watch.over()'s reasons, or "output"
    drain_until = float("inf")  # after the exit, grandchildren may hold the pipes: only briefly
    while True:
        if status is not None and (pipes.drained() or time.monotonic() >= drain_until):
            break
        if status is None and (stop := watch.over()):
            break
        for p, st in pipes.pump(min(watch.next_wake(), drain_until) - time.monotonic()):
            if p == pid:
                status, end_ms = st, (time.monotonic() - t0) * 1000
                drain_until = time.monotonic() + 0.05
        if pipes.output_limited:
            stop = "output"
            break
    cpu_ms = watch.deadline.used_s() * 1000 if watch.deadline else 0.0
    if stop == "cpu" and hits_before >= 0 and memory_limit_hits() > hits_before:
        stop = "memory"  # it spent its CPU time in reclaim at the memory limit
    leftovers = bool(other_pids()) if status is not None else False
    kill_all_and_reap()  # also reaps `pid` when we stopped it
    if status is None:
        try:
            _, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            status = 9  # reaped by kill_all_and_reap: it died of our SIGKILL
    stdout, stderr = pipes.close()
    ended, stdout = tests_ended(stdout, token) if token else (False, stdout)
    return {
        "exit_code": os.waitstatus_to_exitcode(status) if status else 0,
        "tests_ended": ended,
        **stopped(stop, watch, oom_before),
        "leftovers": leftovers,
        "stdout": stdout,
        "stderr": stderr,
        "wall_ms": round(end_ms if end_ms is not None else (time.monotonic() - t0) * 1000, 3),
        "cpu_ms": round(cpu_ms, 3),
    }


def stopped(stop: str, watch: Watch, oom_before: int) -> dict:
    """A reply's account of why a run ended, from `stop` (Watch.over()'s reasons, "output", or ""
    when it ended by itself)."""
    timed_out = stop in ("cpu", "idle", "wall")
    return {
        "timed_out": timed_out,
        "starved": stop == "starved",  # the machine's fault, not the program's: cannot score
        "time_over": stop,
        "time_detail": watch.deadline.why(stop)
        if watch.deadline and (timed_out or stop == "starved")
        else "",
        "output_limited": stop == "output",
        "files_limited": stop == "files",
        "oom_killed": stop == "memory" or (oom_before >= 0 and oom_kills() > oom_before),
    }


def interact(req: dict) -> dict:
    """Run the program against an interactor: each one's stdout is the other's stdin (testlib's
    interactive protocol). The interactor runs as another uid (the program's + 1), from a
    directory only it can read: the program can neither read the test's input and answer nor
    signal the interactor. The program's CPU limit and wall backstop hold for both."""
    private = write_private_files(req["interactor_files"])
    cap = req["output_cap_bytes"]
    pipes = Pipes()  # its "stdout" carries the interactor's stderr, "stderr" the program's
    to_interactor, to_program = os.pipe(), os.pipe()
    cpu_s = int(req["timeout_ms"] / 1000) + 1
    oom_before = oom_kills()
    t0 = time.monotonic()
    try:
        program = spawn(req["argv"], to_program[0], to_interactor[1], pipes.w_err, cpu_s)
        argv = [a.replace("{private}", private) for a in req["interactor_argv"]]
        interactor = spawn(argv, to_interactor[0], to_program[1], pipes.w_out, cpu_s, uid=Settings.uid + 1)
    except OSError:
        pipes.close_all()
        raise
    finally:
        for fd in (*to_interactor, *to_program):
            os.close(fd)
    pipes.started(b"", cap, cap)
    watch = Watch(req, judge=False)
    exits: dict[int, int] = {}
    stop = ""
    drain_until = float("inf")
    while True:
        if len(exits) == 2 and (pipes.drained() or time.monotonic() >= drain_until):
            break
        if len(exits) < 2 and (stop := watch.over()):
            break
        for p, st in pipes.pump(min(watch.next_wake(), drain_until) - time.monotonic()):
            exits[p] = st
            if program in exits and interactor in exits:
                drain_until = time.monotonic() + 0.05
        if pipes.output_limited:
            stop = "output"
            break
    kill_all_and_reap()
    judge_said, stderr = pipes.close()
    code = {p: os.waitstatus_to_exitcode(exits[p]) if p in exits else -9 for p in (program, interactor)}
    return {
        "exit_code": code[program],
        "interactor_exit": code[interactor],
        "interactor_said": judge_said[-2000:],
        **stopped(stop, watch, oom_before),
        "leftovers": False,
        "stdout": "",
        "stderr": stderr,
        "wall_ms": round((time.monotonic() - t0) * 1000, 3),
    }


def build_judge(req: dict) -> dict:
    """Compile a trusted judge program (a C++ checker) once per visit. It is built from the judge
    uid's private directory, which the program's uid cannot enter, as that uid; the binary is then
    installed root-owned in JUDGE_DIR, where programs may run it but never replace it."""
    private = write_private_files({req["source_name"]: req["source"]})
    argv = [a.replace("{private}", private) for a in req["argv"]]
    result = run(req, argv, uid=Settings.uid + 1)
    built = os.path.join(private, req["output"])
    result["installed"] = False
    if result["exit_code"] == 0 and os.path.isfile(built) and not os.path.islink(built):
        target = os.path.join(JUDGE_DIR, req["output"])
        if os.path.lexists(target):
            remove_tree(target)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o755)
        with open(built, "rb") as src, open(fd, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.chmod(target, 0o755)
        result["installed"] = True
    remove_tree(private)
    return result


def in_dir(directory: str, name: str) -> str:
    """The path of `name` directly in `directory`; ValueError for anything but a plain name."""
    if "/" in name or name in ("", ".", ".."):
        raise ValueError(f"bad file name {name!r}")
    return os.path.join(directory, name)


def write_private_files(files: dict[str, str]) -> str:
    """The interactor's own directory: its uid's, mode 0700; the program's uid cannot enter."""
    private = os.path.join(JUDGE_DIR, "private")
    owner = Settings.uid + 1
    os.makedirs(private, exist_ok=True)
    os.chmod(JUDGE_DIR, 0o755)
    os.chown(private, owner, owner)
    os.chmod(private, 0o700)
    for name, content in files.items():
        path = in_dir(private, name)
        if os.path.lexists(path):
            remove_tree(path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with open(fd, "w") as f:
            f.write(content)
            os.fchown(fd, owner, owner)
    return private


def count_files(cap: int) -> int:
    """Entries under the writable dirs, counted up to just past `cap` (then it stops looking)."""
    n, stack = 0, [RUN_DIR, *SCRATCH_DIRS]
    while stack and n <= cap:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    n += 1
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
        except OSError:
            pass
    return n


def write_files(files: dict[str, str]) -> None:
    for name, content in files.items():
        path = in_dir(RUN_DIR, name)
        if os.path.lexists(path):  # an earlier run of this visit may have left a link there
            remove_tree(path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with open(fd, "w") as f:
            f.write(content)
            os.fchown(fd, Settings.uid, Settings.gid)  # the program may rewrite its inputs


def write_judge_files(files: dict[str, str]) -> None:
    if not files:
        return
    os.makedirs(JUDGE_DIR, 0o755, exist_ok=True)
    os.chmod(JUDGE_DIR, 0o755)
    for name, content in files.items():
        path = in_dir(JUDGE_DIR, name)
        with open(path, "w") as f:
            f.write(content)
        os.chmod(path, 0o644)


def read_back(names: list[str], cap: int) -> dict[str, str]:
    """The named work-dir files the run left, base64, up to `cap` bytes in all. Only regular files
    directly in the work dir: a link is not followed and a FIFO never blocks us (O_NONBLOCK); a
    file that is missing, not regular, or past the cap is left out."""
    fetched, left = {}, cap
    for name in names:
        try:
            fd = os.open(in_dir(RUN_DIR, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        with open(fd, "rb") as f:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > left:
                continue
            data = f.read(left + 1)
        if len(data) <= left:
            fetched[name] = base64.b64encode(data).decode()
            left -= len(data)
    return fetched


def remove_files(names: list[str]) -> None:
    """Files we wrote for one run only (a checker's answer file): gone before the next run."""
    for name in names:
        path = os.path.join(RUN_DIR, name)
        with contextlib.suppress(OSError):
            if os.path.lexists(path):
                remove_tree(path)


def remove_tree(path: str) -> None:
    """Remove `path`, whatever the program made of it: links are removed, never followed; any
    depth, with no recursion and no long paths (each nested directory's entries are moved up to
    the top before it is removed, so two fds suffice); any modes (we hold DAC_OVERRIDE)."""
    if not stat.S_ISDIR(os.lstat(path).st_mode):
        os.unlink(path)
        return
    top = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        serial = 0
        while names := os.listdir(top):
            taken = set(names)
            for name in names:
                if not stat.S_ISDIR(os.stat(name, dir_fd=top, follow_symlinks=False).st_mode):
                    os.unlink(name, dir_fd=top)
                    continue
                sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
                try:
                    for child in os.listdir(sub):
                        while f".{serial}" in taken:
                            serial += 1
                        taken.add(f".{serial}")
                        os.rename(child, f".{serial}", src_dir_fd=sub, dst_dir_fd=top)
                finally:
                    os.close(sub)
                os.rmdir(name, dir_fd=top)
    finally:
        os.close(top)
    os.rmdir(path)


_libc = ctypes.CDLL(None, use_errno=True)
# (name, ctl call, its *_INFO command, index of the "in use" count in the struct it fills)
_IPC_KINDS = (
    ("SysV shared memory", "shmctl", 14, 0),
    ("SysV message queue", "msgctl", 12, 0),
    ("SysV semaphore", "semctl", 19, 7),
)


def ipc_objects() -> list[str]:
    """SysV IPC objects alive in our IPC namespace: they outlive the run that made them (memory,
    data for the next sample), and only their creator may remove them, so the container goes."""
    found = []
    for kind, call, info_cmd, in_use in _IPC_KINDS:
        buf = (ctypes.c_int * 32)()
        ctl = getattr(_libc, call)
        done = ctl(0, 0, info_cmd, buf) if call == "semctl" else ctl(0, info_cmd, buf)
        if done < 0 or buf[in_use]:
            found.append(f"{kind} left behind" if done >= 0 else f"cannot count {kind}s")
    return found


def reset() -> dict:
    """Make the container as a fresh one would be for the next visit, whatever the program did.
    Never raises: a failure is a reason, and any reason makes the host replace this container
    (`usable: False` also means the run dir could not be made again)."""
    reasons = []
    for d in SCRATCH_DIRS:
        try:
            names = os.listdir(d)
        except OSError:
            names = []  # not mounted here (gVisor has no /dev/mqueue)
        for name in names:
            reasons.append(f"{d}/{name} written")
            try:
                remove_tree(os.path.join(d, name))
            except Exception as exc:
                reasons.append(f"cannot remove {d}/{name}: {exc}")
    with contextlib.suppress(OSError):
        if os.path.lexists(JUDGE_DIR):
            remove_tree(JUDGE_DIR)  # ours; made again by the next visit that needs it
    try:
        extra = [n for n in os.listdir(WORK) if n != "run"]
    except OSError as exc:
        extra = [f"(unreadable: {exc})"]
    reasons += [f"{WORK}/{n} written" for n in extra]  # /work is ours: only we write there
    usable = True
    for path in [*(os.path.join(WORK, n) for n in extra if not n.startswith("(")), RUN_DIR]:
        try:
            if os.path.lexists(path):
                remove_tree(path)
        except Exception as exc:
            reasons.append(f"cannot remove {path}: {exc}")
    try:
        os.chmod(WORK, 0o711)
        os.mkdir(RUN_DIR)
        os.chown(RUN_DIR, 0, Settings.gid)
        os.chmod(RUN_DIR, 0o770)  # root's, group-writable: the program can fill it, not chmod it
        os.chdir(RUN_DIR)  # spawned programs start in our cwd
    except Exception as exc:
        reasons.append(f"cannot make {RUN_DIR} again: {exc}")
        usable = False
    reasons += ipc_objects()
    for d in QUIET_DIRS:
        with contextlib.suppress(OSError):
            os.utime(d, (0, 0), follow_symlinks=False)
    return {"clean": not reasons, "usable": usable, "reasons": reasons}


# ------------------------------------------------------------------ sessions
#
# A session container holds one long-lived interpreter (guest/kernel.py) instead of one process
# per run. Between cells it is stopped (SIGSTOP): a thread it left running gets no CPU until the
# next cell, whose time it then counts against. After every cell every other process is killed:
# nothing a cell starts outlives it. When the interpreter dies, or cannot be interrupted at a
# limit, the session starts over: every process killed, the work dir wiped, a new interpreter.

INTERRUPT_GRACE_S = 1.0  # an interrupted cell has this long to unwind before its interpreter is killed
# gVisor: a cell stopped at the memory limit keeps its session only if, once interrupted, the
# interpreter holds less than this share of the limit. What it still holds is whatever the cell
# kept (a list it filled, say); just under the limit it would fail again at once, and "just
# under" depends on when the interrupt landed: a margin keeps the verdict off that race.
MEMORY_RESUME_FRACTION = 0.75
ANSWER_CAP_BYTES = 4 << 20  # the interpreter's answer line (fd 4): a repr capped at the output cap
_kernel = None


class Kernel:
    """The session's interpreter and its pipes: fd 1/2 (output), fd 3 (cells in), fd 4 (answers)."""

    def __init__(self, argv: list[str], cpu_s: int) -> None:
        self.r_out, w_out = os.pipe()
        self.r_err, w_err = os.pipe()
        cells_r, self.cells_w = os.pipe()
        self.answers_r, answers_w = os.pipe()
        devnull = os.open("/dev/null", os.O_RDONLY)
        ends = (devnull, w_out, w_err, cells_r, answers_w)
        try:
            self.pid = os.posix_spawn(
                RUNAS,
                unprivileged_argv(argv, cpu_s),
                PROGRAM_ENV,
                setsid=True,
                setsigdef=(signal.SIGPIPE, signal.SIGCHLD, signal.SIGINT),
                file_actions=[(os.POSIX_SPAWN_DUP2, fd, i) for i, fd in enumerate(ends)],
            )
        finally:
            for fd in ends:
                os.close(fd)
        with contextlib.suppress(OSError), open(f"/proc/{self.pid}/oom_score_adj", "w") as f:
            f.write("1000")  # the OOM killer takes the interpreter, never us
        for fd in (self.r_out, self.r_err, self.cells_w, self.answers_r):
            os.set_blocking(fd, False)
        self.status: int | None = None  # its wait status once it has exited
        self.count = 0  # cells answered

    def close(self) -> None:
        for fd in (self.r_out, self.r_err, self.cells_w, self.answers_r):
            with contextlib.suppress(OSError):
                os.close(fd)

    def run(self, req: dict) -> dict:
        """One cell, under the request's limits; the reply says how it ended (see `cell`)."""
        nonce, cap = req["nonce"], req["output_cap_bytes"]
        pending = (json.dumps({"nonce": nonce, "code": req["code"]}) + "\n").encode()
        out, err, answers = bytearray(), bytearray(), bytearray()
        answer, stop, interrupted_at = None, "", None
        sel = selectors.DefaultSelector()
        sel.register(_wake_r, selectors.EVENT_READ)
        for fd in (self.r_out, self.r_err, self.answers_r):
            sel.register(fd, selectors.EVENT_READ)
        sel.register(self.cells_w, selectors.EVENT_WRITE)
        oom_before = oom_kills()
        t0 = time.monotonic()
        watch = Watch(req, judge=False)
        try:
            while answer is None and self.status is None:
                now = time.monotonic()
                if interrupted_at is None and (stop := stop or watch.over()):
                    os.kill(self.pid, signal.SIGINT)  # it may unwind and keep its state
                    interrupted_at = now
                if interrupted_at is not None and now >= interrupted_at + INTERRUPT_GRACE_S:
                    os.kill(self.pid, signal.SIGKILL)  # it would not stop: the session starts over
                    self.status = os.waitpid(self.pid, 0)[1]
                    break
                wake = interrupted_at + INTERRUPT_GRACE_S if interrupted_at is not None else watch.next_wake()
                for key, _ in sel.select(max(wake - time.monotonic(), 0)):
                    if key.fd == _wake_r:
                        with contextlib.suppress(BlockingIOError):
                            os.read(_wake_r, 512)
                        for pid, status in reap_exited():
                            if pid == self.pid:
                                self.status = status
                    elif key.fd == self.cells_w:
                        with contextlib.suppress(BlockingIOError, BrokenPipeError):
                            pending = pending[os.write(self.cells_w, pending) :]
                        if not pending:
                            sel.unregister(self.cells_w)
                    else:
                        buf = {self.r_out: out, self.r_err: err, self.answers_r: answers}[key.fd]
                        if not _read_into(key.fd, buf, ANSWER_CAP_BYTES if key.fd == self.answers_r else cap):
                            sel.unregister(key.fd)
                        if key.fd == self.answers_r:
                            answer = _answer_for(nonce, answers)
                        elif len(buf) > cap and not stop:
                            stop = "output"
            held = MEMORY_RESUME_FRACTION * watch.memory_limit
            if stop == "memory" and self.status is None and memory_used_bytes() > held:
                # Interrupted, but it still holds about the limit (gVisor): start over.
                os.kill(self.pid, signal.SIGKILL)
                self.status = os.waitpid(self.pid, 0)[1]
            cpu_ms = watch.deadline.used_s() * 1000 if watch.deadline else 0.0
            wall_ms = (time.monotonic() - t0) * 1000
            if self.status is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGSTOP)  # idle until the next cell
            leftovers = kill_others(self.pid if self.status is None else None)
            for fd, buf in ((self.r_out, out), (self.r_err, err)):
                _read_into(fd, buf, cap)
        finally:
            sel.close()
        if self.status is None:
            for pid, exited in reap_exited():
                if pid == self.pid:
                    self.status = exited
        if answer is not None:
            self.count = answer["count"]
        final = self.status
        died = final is not None
        return {
            "answer": answer,
            **stopped(stop, watch, oom_before),
            "interrupted": interrupted_at is not None and answer is not None,
            "state_lost": died,
            "exit_code": os.waitstatus_to_exitcode(final) if final is not None else 0,
            "leftovers": leftovers,
            "stdout": bytes(out[:cap]).decode(errors="replace"),
            "stderr": bytes(err[:cap]).decode(errors="replace"),
            "wall_ms": round(wall_ms, 3),
            "cpu_ms": round(cpu_ms, 3),
        }


def _read_into(fd: int, buf: bytearray, cap: int) -> bool:
    """Read what `fd` has now, keeping `buf` to a little past `cap`; False at end of file."""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not chunk:
            return False
        buf += chunk[: max(cap + 1 - len(buf), 0)]


def _answer_for(nonce: str, answers: bytearray) -> dict | None:
    """The interpreter's answer to this cell, if a whole line of it has come; lines with another
    nonce (a cell's own writes to fd 4, a late answer to an earlier cell) are dropped."""
    while b"\n" in answers:
        line, _, rest = bytes(answers).partition(b"\n")
        answers[:] = rest
        try:
            answer = json.loads(line)
        except ValueError:
            continue
        if isinstance(answer, dict) and answer.get("nonce") == nonce:
            return answer
    return None


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return "gone"


def kill_others(keep: int | None) -> int:
    """Kill every process but us and `keep` (a stopped interpreter), as kill_all_and_reap does
    for everyone: stop each found, then kill it, sweep until none is left. Zombies are dead
    already (their parent, the stopped interpreter, reaps them at its next cell). The count."""
    killed: set[int] = set()
    while True:
        alive = [p for p in other_pids() if p != keep and _state(p) not in ("Z", "X", "gone")]
        if not alive:
            return len(killed)
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for p in alive:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(p, sig)
        killed.update(alive)
        reap_exited()
        time.sleep(0.001)


def start_kernel(req: dict) -> dict:
    """A new, empty interpreter (the session's first, or after one died): the work dir as a new
    container's, nobody else alive."""
    global _kernel
    if _kernel is not None:
        _kernel.close()
        _kernel = None
    kill_all_and_reap()
    cleaned = reset()
    _kernel = Kernel(req["argv"], req["kernel_cpu_s"])
    os.kill(_kernel.pid, signal.SIGSTOP)
    return {"started": True, "reset": cleaned}


def cell(req: dict) -> dict:
    """Run one cell in the session's interpreter (starting one if there is none)."""
    fresh = _kernel is None or _kernel.status is not None
    if fresh:
        start_kernel(req)
    assert _kernel is not None
    os.kill(_kernel.pid, signal.SIGCONT)
    reply = _kernel.run(req)
    reply["fresh"] = fresh
    if reply["state_lost"]:
        start_kernel(req)  # the next cell finds an empty session, as the reply says
    return reply


def verdict_lines(channel: str) -> list[dict]:
    """The judge's JSON lines, up to the first that does not decode (a run cut short)."""
    lines = []
    for line in channel.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            break
    return lines


def handle(req: dict) -> dict:
    op = req["op"]
    if op != "exec":
        Warm.drop()  # every other request runs something else, or ends the visit
    elif Settings.warm:
        Warm.argv = req["argv"] if Warm.serves(req["argv"]) else None
    if op == "exec":
        write_judge_files(req.get("judge_files", {}))
        write_files(req.get("files", {}))
        result = run(req, req["argv"])
        if req.get("fetch"):
            result["fetched"] = read_back(req["fetch"], req["output_cap_bytes"])
        remove_files(req.get("remove_after", []))
    elif op == "pyjudge":
        result = run(req, lambda: pyjudge.main(req))
        result["tests"] = verdict_lines(result.pop("stdout"))
    elif op == "interact":
        write_files(req.get("files", {}))
        result = interact(req)
    elif op == "build":
        result = build_judge(req)
    if op in ("exec", "pyjudge", "interact", "build"):
        if req.get("reset"):  # end of the visit: saves a round trip
            result["reset"] = reset()
        return result
    if op == "reset":
        return {"reset": reset()} if req.get("reset") else {}
    if op == "cell":
        return cell(req)
    if op == "start_kernel":
        return start_kernel(req)
    raise ValueError(f"unknown op {op!r}")


def main() -> None:
    harden_self(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})
    reset()
    Warm.prepare()
    for line in sys.stdin.buffer:
        req: dict = {}
        try:
            req = json.loads(line)
            reply = handle(req)
        except Exception as exc:  # a bad request must not take the container down
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
        if req.get("op") in ("exec", "reset"):
            Warm.prepare()


if __name__ == "__main__":
    main()
