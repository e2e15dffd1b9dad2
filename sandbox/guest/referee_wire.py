"""Plain values across the process boundary between the candidate and the tests.

Only exact built-in types cross (no subclasses), so an object whose `__eq__` always
returns True cannot reach the test code: the tests compare fresh objects built here.
Tagged JSON keeps tuple/list/set/bytes distinct; json.loads is safe on hostile input.
"""

from __future__ import annotations

import json

MAX_DEPTH = 200


class NotPlain(TypeError):
    pass


def _enc(v, depth):
    if depth > MAX_DEPTH:
        raise NotPlain("value nested too deeply")
    t = type(v)
    if v is None or t is bool or t is str:
        return v
    if t is int:
        return {"i": str(v)}  # str: JSON numbers would blur int and float
    if t is float:
        return {"f": repr(v)}
    if t is list or t is tuple or t is set or t is frozenset:
        tags: dict[type, str] = {list: "L", tuple: "T", set: "S", frozenset: "F"}
        tag = tags[t]
        return {tag: [_enc(x, depth + 1) for x in v]}
    if t is dict:
        return {"D": [[_enc(k, depth + 1), _enc(x, depth + 1)] for k, x in v.items()]}
    if t is bytes:
        return {"B": v.hex()}
    if t is complex:
        return {"C": [repr(v.real), repr(v.imag)]}
    raise NotPlain(f"value of type {t.__name__} is not a plain built-in value")


def _dec(v):
    if v is None or type(v) in (bool, str):
        return v
    if type(v) is not dict or len(v) != 1:
        raise ValueError("malformed value")
    ((tag, x),) = v.items()
    if tag == "i":
        return int(x)
    if tag == "f":
        return float(x)
    if tag in ("L", "T", "S", "F"):
        items = [_dec(e) for e in x]
        return {"L": list, "T": tuple, "S": set, "F": frozenset}[tag](items)
    if tag == "D":
        return {_dec(k): _dec(e) for k, e in x}
    if tag == "B":
        return bytes.fromhex(x)
    if tag == "C":
        return complex(float(x[0]), float(x[1]))
    raise ValueError(f"unknown tag {tag!r}")


def dumps(v) -> bytes:
    return json.dumps(_enc(v, 0)).encode() + b"\n"


def loads(line: bytes):
    return _dec(json.loads(line))
