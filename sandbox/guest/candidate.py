"""The untrusted side of a Python judge: loads the candidate's code, then answers calls.

It runs as its own freshly exec'ed interpreter (it never shares memory with the tests),
with stdin/stdout/stderr on /dev/null and one socket (fd in argv[1]) to the test runner. Whatever
it sends is only data: plain values decoded strictly by the runner, which alone decides
pass or fail. Messages are JSON lines: in {"prelude", "source"} (the prelude is the dataset's
code before the program, HumanEval's prompt, run first in the same namespace), then
{"call", "args", "kwargs"} per call, or {"object", "method", "args", "kwargs"} for a method
of an instance; out {"ready": [names]} / {"error"}, then {"value"} / {"raised"} per call, or
{"object": n} when the call made an instance of one of the program's classes (it stays here,
and only its methods' plain return values ever cross).
"""

import os
import socket
import sys
import traceback
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import referee_wire as wire

del sys.path[0]


def load(prelude: str, source: str, ns: dict[str, Any]) -> None:
    """The prelude, then the program. A program that only continues the prelude (HumanEval's
    harness runs `prompt + completion`: a completion may be just the function's body) does not
    compile alone: then the two are one program, as the harness has it."""
    exec(compile(prelude, "prelude.py", "exec"), ns)
    try:
        code = compile(source, "solution.py", "exec")
    except SyntaxError:
        if not prelude:
            raise
        try:
            code = compile(prelude + source, "solution.py", "exec")
        except SyntaxError:
            code = compile(source, "solution.py", "exec")  # the program's own error, not the join's
    exec(code, ns)


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    f = sock.makefile("rwb")
    send = f.write
    program = wire.loads(f.readline())
    ns: dict[str, Any] = {"__name__": "solution", "__builtins__": __builtins__}
    try:
        load(program["prelude"], program["source"], ns)
    except BaseException as exc:  # SystemExit included: the tests then see no functions
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        send(wire.dumps({"error": tb[:500]}))
        f.flush()
        return
    names = sorted(k for k, v in ns.items() if callable(v) and not k.startswith("__"))
    send(wire.dumps({"ready": names}))
    f.flush()
    objects: list[Any] = []  # instances of the program's classes, made at the tests' request
    for line in f:
        req = wire.loads(line)
        try:
            if "method" in req:  # a method of an instance made earlier: a plain value back
                if req["method"].startswith("_"):
                    raise AttributeError(f"{req['method']}: not a public method")
                value = getattr(objects[req["object"]], req["method"])(*req["args"], **req["kwargs"])
                reply = wire.dumps({"value": value})
            elif isinstance(target := ns[req["call"]], type):  # LeetCode's Solution(): kept here
                objects.append(target(*req["args"], **req["kwargs"]))
                reply = wire.dumps({"object": len(objects) - 1})
            else:
                reply = wire.dumps({"value": target(*req["args"], **req["kwargs"])})
        except BaseException as exc:
            reply = wire.dumps({"raised": f"{type(exc).__name__}: {str(exc)[:300]}"})
        send(reply)
        f.flush()


main()
