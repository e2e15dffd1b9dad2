"""A clean Python interpreter that forks one child per run; each child becomes the run's program.

PROTOTYPE for issue #15, not yet used by the sandbox: `benchmarks/zygote/measure.py` runs it in
the sandbox image against today's cold start (runas + `python3 -E`), on cost and on behaviour.
What wiring it into the supervisor needs is in docs/SANDBOX.md ("Next: a zygote").

Starting CPython is most of what a trivial Python run costs (25-30 ms of CPU in a one-CPU
container), and a GRPO step starts hundreds. A fork of an interpreter that has already started
costs a few: so the supervisor keeps one of these per flag set (`python3 -E` for programs,
`python3 -I` for the judge's candidates), started at the container's start, and asks it for a
child per run (zygote_client.py).

It is root's (started by the root supervisor, without runas), so a program, as the sandbox uid,
can neither signal, ptrace, prlimit nor renice it: nothing a run does reaches the next run's
child through it. It never runs untrusted code, and nothing of a request reaches it but the
uid, the CPU limit, a script's name and the run's file descriptors. Its capability bounding
set is emptied at start, so its children, like runas's, can never gain a capability.

Each child, before any of the program's code: its own session; the run's fds as 0, 1, 2 (3);
every other fd closed; RLIMIT_CPU; no groups, the sandbox gid and uid (which clears every
capability); dumpable again, and the OOM killer's first victim, as an exec'ed program is; the
run dir as cwd; `sys.modules` as a fresh interpreter has it (what we imported to serve is
removed). Then it runs the script as `python3 <flags> <script>` would: as `__main__`, with the
same argv, sys.path[0], `__file__`, exit codes, tracebacks and (see `shut_down`) shutdown.
Differences left: every child of a zygote has the same str hash seed; the zygote's objects are
frozen (gc.freeze); `__del__` of objects held outside `__main__` does not run at exit.

Protocol (SOCK_SEQPACKET on fd 3, one message each): we send "ready" once started; then per
request "fork TOKEN UID GID CPU_S SCRIPT [ARG...]" with the child's fds attached (SCM_RIGHTS),
answered by "forked TOKEN PID" (or "failed TOKEN WHY"), and "exited PID STATUS" once it has
exited. One child at a time: a request that comes while a child lives waits until it exits.
"""

import sys

FRESH_MODULES = frozenset(sys.modules)  # what `python3 <our flags> script.py` has at its first line

import atexit  # noqa: E402  (after FRESH_MODULES: every import below is ours, not the program's)
import ctypes  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import types  # noqa: E402

RUN_DIR = "/work/run"
CONTROL_FD = 3
MAX_FDS = 4  # stdin, stdout, stderr and one more (the candidate's socket)
PR_CAPBSET_DROP, PR_SET_DUMPABLE = 24, 4
_libc = ctypes.CDLL(None, use_errno=True)


def drop_bounding_set() -> None:
    """No capability in the bounding set (as runas does per program): no child can ever gain one."""
    cap = 0
    while (
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0 or ctypes.get_errno() != 22
    ):  # EINVAL: past the last
        cap += 1


def become_program(fds: list[int], uid: int, gid: int, cpu_s: int) -> None:
    """In the forked child: the run's process, before any of the program's code."""
    os.setsid()
    for i, fd in enumerate(fds):  # received fds are numbered above ours (0-3), so none is clobbered
        os.dup2(fd, i)
    os.closerange(len(fds), 1024)
    if cpu_s:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)  # clears every capability
    _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # a uid change made us non-dumpable; an exec'ed program is not
    with open("/proc/self/oom_score_adj", "w") as f:  # raising it needs no privilege
        f.write("1000")
    os.chdir(RUN_DIR)
    for name in [m for m in sys.modules if m not in FRESH_MODULES]:
        del sys.modules[name]


def run_script(script: str, args: list[str]) -> None:
    """Run `script` as the interpreter runs its script argument (see the module doc)."""
    path = os.path.abspath(script)
    sys.argv[:] = [script, *args]
    sys.orig_argv[-1:] = [script, *args]
    if not (sys.flags.isolated or sys.flags.safe_path):  # -I and -P put no script dir on the path
        sys.path[0] = os.path.dirname(path)
    main_module = type(sys)("__main__")
    loader = type(globals()["__loader__"])("__main__", path)  # a SourceFileLoader, as for a script
    main_module.__dict__.update(
        __file__=path, __loader__=loader, __cached__=None, __builtins__=__builtins__, __annotations__={}
    )
    sys.modules["__main__"] = main_module
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError as exc:  # as the interpreter reports a script it cannot open
        sys.stderr.write(f"{sys.executable}: can't open file {path!r}: [Errno {exc.errno}] {exc.strerror}\n")
        sys.exit(2)
    try:
        code = compile(source, path, "exec")
    except SyntaxError as exc:
        exc.__traceback__ = None  # as the interpreter shows it: no traceback
        sys.excepthook(type(exc), exc, None)
        sys.exit(1)
    status, by_sigint = 0, False
    try:
        exec(code, main_module.__dict__)
    except SystemExit as exc:  # as the interpreter handles it: its code, or its message and 1
        status = exit_status(exc.code)
    except BaseException as exc:
        # The traceback as the interpreter shows it, from the program's first frame (the hook
        # prints the exception's own traceback: drop our frame from it).
        tb = exc.__traceback__
        exc.__traceback__ = tb.tb_next if tb is not None else None
        sys.excepthook(type(exc), exc, exc.__traceback__)
        status, by_sigint = 1, isinstance(exc, KeyboardInterrupt)
    shut_down(main_module, status, by_sigint)


def exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1


def shut_down(main_module: types.ModuleType, status: int, by_sigint: bool) -> None:
    """The interpreter's shutdown as a program sees it, without its full finalization.

    A forked child that finalizes normally costs ~10 ms of CPU more than one that does not:
    freeing every object writes to every page it shares with the zygote (copy-on-write). So we do
    what a program can observe, in the interpreter's order: wait for non-daemon threads, run the
    atexit callbacks, clear `__main__` as module teardown does (its objects' `__del__` run), collect
    the program's garbage, flush stdout and stderr; then exit. A failed flush (a closed pipe) is
    left to the interpreter's own shutdown, which reports it and exits 120. An uncaught
    KeyboardInterrupt ends by SIGINT, as the interpreter does. What is not run: `__del__` of
    objects held by modules other than `__main__`."""
    if "threading" in sys.modules:
        sys.modules["threading"]._shutdown()
    atexit._run_exitfuncs()
    ns = main_module.__dict__
    for first_pass in (True, False):  # _PyModule_ClearDict: "_"-names first, then the rest
        for name in list(ns):
            if name != "__builtins__" and (name.startswith("_") or not first_pass):
                ns[name] = None
    gc.collect()  # the zygote's own objects are frozen: this sees the program's only
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        raise SystemExit(status) from None  # the interpreter's own shutdown reports it
    if by_sigint:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(status)


def serve(control: socket.socket) -> None:
    gc.freeze()  # our objects: never scanned by a child's collections (no copy-on-write for them)
    control.send(b"ready")
    while True:
        msg, fds, _, _ = socket.recv_fds(control, 65536, MAX_FDS)
        if not msg:
            return  # the supervisor is gone
        words = msg.decode(errors="replace").split(" ")
        token = words[1] if len(words) > 1 else "-"
        try:
            _, _, uid, gid, cpu_s, script, *args = words
            if len(fds) < 3 or int(uid) == 0 or int(gid) == 0:
                raise ValueError(f"bad request {msg[:100]!r}")
            pid = os.fork()
        except (ValueError, OSError) as exc:
            for fd in fds:
                os.close(fd)
            control.send(f"failed {token} {exc}".encode()[:500])
            continue
        if pid == 0:
            try:
                control.close()
                become_program(fds, int(uid), int(gid), int(cpu_s))
            except BaseException as exc:
                os.write(2, f"sandbox: cannot start the program: {exc!r}\n".encode())
                os._exit(126)
            run_script(script, args)
            return  # only after a failed flush: the interpreter's own shutdown
        for fd in fds:
            os.close(fd)
        control.send(f"forked {token} {pid}".encode())
        _, status = os.waitpid(pid, 0)
        control.send(f"exited {pid} {status}".encode())


def main() -> None:
    os.chdir("/")  # never in the run dir, which every visit's reset removes
    drop_bounding_set()
    control = socket.socket(fileno=CONTROL_FD)
    serve(control)


main()
