"""A Python program's own interpreter, started before its run: it waits, then becomes the program.

Starting CPython (with `site`) is most of what a trivial run costs. The supervisor therefore
starts the next run's interpreter as soon as a run ends, through runas as for any program
(sandbox uid, no capabilities, in the run dir, stdio on the next run's pipes), with the same
flags the program's argv has and this file in place of the script. It blocks on fd 3 until
the run's request comes: one line, "<cpu_s> <script>". Then it lowers its CPU limit to the
run's, and runs the script as `python3 <flags> <script>` would: as `__main__`, with the same
argv, sys.path[0], `__file__`, exit codes, tracebacks and interpreter shutdown.

Nothing is shared between runs: each interpreter serves one run and dies with it, and no code
but the standard library's start-up runs in it before the program's. The supervisor starts
one only in a run dir as clean as the next run will find it (see supervisor.Warm).
"""

import os
import resource
import sys


def main() -> None:
    line = b""
    while not line.endswith(b"\n"):
        chunk = os.read(3, 4096)
        if not chunk:
            os._exit(0)  # not needed after all: the supervisor closed the pipe
        line += chunk
    os.close(3)
    cpu_s, script = line.decode().split(" ", 1)
    script = script.rstrip("\n")
    limit = int(cpu_s)
    if limit:
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))

    path = os.path.abspath(script)
    sys.argv[:] = [script]
    sys.orig_argv[-1] = script
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
    try:
        exec(code, main_module.__dict__)
    except SystemExit:
        raise  # the interpreter's own handling: its code, or its message and 1
    except BaseException as exc:
        # The traceback as the interpreter shows it, from the program's first frame (the hook
        # prints the exception's own traceback: drop our frame from it).
        tb = exc.__traceback__
        exc.__traceback__ = tb.tb_next if tb is not None else None
        sys.excepthook(type(exc), exc, exc.__traceback__)
        sys.exit(1)


main()
