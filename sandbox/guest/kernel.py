"""A session's interpreter: runs cells in one namespace, so one cell's variables exist in the next.

Started by the supervisor as the sandbox uid, like any program (runas: no capabilities, its
limits), stdin /dev/null, stdout and stderr the supervisor's pipes. Cells come in on fd 3, one
JSON line each (`{"nonce", "code"}`); each answer goes out on fd 4 (`{"nonce", "ok", "value",
"error"}`) after the cell's output is flushed. The nonce lets the supervisor ignore a line the
cell wrote to fd 4 itself: forging one only ends the cell's own wait early, never a limit
(those the supervisor keeps from outside: CPU time, memory, output, the wall backstop).

SIGINT interrupts a cell (KeyboardInterrupt) at a limit; outside a cell it is ignored, so an
interrupt that arrives as a cell ends cannot land in the next one. A cell that ignores it, or
kills this process, costs the session its state: the supervisor starts a new interpreter.
"""

import ast
import builtins
import contextlib
import json
import linecache
import os
import signal
import sys
import traceback

CELLS_FD, ANSWERS_FD = 3, 4
_in_cell = False


def _interrupt(signum, frame):
    if _in_cell:
        raise KeyboardInterrupt


def _compile(code: str, filename: str):
    """(statements, final expression or None), as Jupyter splits a cell."""
    tree = ast.parse(code, filename)
    last = None
    if tree.body and isinstance(final := tree.body[-1], ast.Expr):
        tree.body.pop()
        last = ast.Expression(final.value)
    body = compile(tree, filename, "exec")
    return body, None if last is None else compile(last, filename, "eval")


def _error(exc: BaseException) -> str:
    """The traceback without this file's frames, as Jupyter shows it; one line for the detail."""
    shown = traceback.TracebackException.from_exception(exc)
    shown.stack = traceback.StackSummary.from_list([f for f in shown.stack if f.filename != __file__])
    sys.stderr.write("".join(shown.format()))
    return "".join(shown.format_exception_only()).strip().splitlines()[-1]


def _reap() -> None:
    """Children of earlier cells that the supervisor ended: zombies hold process slots."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def run_cell(code: str, count: int, namespace: dict, value_cap: int) -> dict:
    global _in_cell
    filename = f"<cell {count}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    answer = {"ok": True, "value": "", "error": "", "error_type": ""}
    signal.signal(signal.SIGINT, _interrupt)  # the cell may have replaced it
    try:
        _in_cell = True
        body, last = _compile(code, filename)
        exec(body, namespace)
        if last is not None:
            result = eval(last, namespace)
            if result is not None:
                namespace["_"] = result
                answer["value"] = repr(result)[:value_cap]
    except BaseException as exc:  # SystemExit and KeyboardInterrupt included: the session goes on
        _in_cell = False
        answer |= {"ok": False, "error": _error(exc)[:1000], "error_type": type(exc).__name__}
    finally:
        _in_cell = False
    return answer


def main() -> None:
    value_cap = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 20
    signal.signal(signal.SIGINT, _interrupt)
    cells = os.fdopen(CELLS_FD, "r", encoding="utf-8")
    answers = os.fdopen(ANSWERS_FD, "w", encoding="utf-8")
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    sys.path.insert(0, os.getcwd())  # as in Jupyter: the session's own files import
    for count, line in enumerate(cells, start=1):
        request = json.loads(line)
        _reap()
        answer = run_cell(request["code"], count, namespace, value_cap)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a cell closed or replaced it: its own business
                stream.flush()
        answers.write(json.dumps({"nonce": request["nonce"], "count": count, **answer}) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
