"""The untrusted side of a Python judge: loads the candidate's code, then answers calls.

It runs as its own freshly exec'ed interpreter (it never shares memory with the tests),
with stdin/stdout/stderr on /dev/null and one socket (fd in argv[1]) to the test runner. Whatever
it sends is only data: plain values decoded strictly by the runner, which alone decides
pass or fail. Messages are JSON lines: in {"prelude", "source"} (the prelude is the dataset's
code before the program, HumanEval's prompt, run first in the same namespace), then
{"call", "args", "kwargs"} per call; out {"ready": [names]} / {"error"}, then {"value"} /
{"raised"} per call.
"""

import os
import socket
import sys
import traceback
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import referee_wire as wire

del sys.path[0]


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    f = sock.makefile("rwb")
    send = f.write
    program = wire.loads(f.readline())
    ns: dict[str, Any] = {"__name__": "solution", "__builtins__": __builtins__}
    try:
        exec(compile(program["prelude"], "prelude.py", "exec"), ns)
        exec(compile(program["source"], "solution.py", "exec"), ns)
    except BaseException as exc:  # SystemExit included: the tests then see no functions
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        send(wire.dumps({"error": tb[:500]}))
        f.flush()
        return
    send(wire.dumps({"ready": sorted(k for k, v in ns.items() if callable(v) and not k.startswith("__"))}))
    f.flush()
    for line in f:
        req = wire.loads(line)
        try:
            value = ns[req["call"]](*req["args"], **req["kwargs"])
            reply = wire.dumps({"value": value})
        except BaseException as exc:
            reply = wire.dumps({"raised": f"{type(exc).__name__}: {str(exc)[:300]}"})
        send(reply)
        f.flush()


main()
