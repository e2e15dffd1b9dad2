"""Units without containers: the value wire, limits, doctor, and the image build's idempotency."""

from __future__ import annotations

import time

import pytest

from sandbox import LimitTooHigh, SandboxConfig, doctor, image
from sandbox.guest import referee_wire as wire
from sandbox.limits import resolve_limits

PLAIN = [
    None,
    True,
    0,
    -(10**30),
    1.5,
    float("inf"),
    -0.0,
    1 + 2j,
    "é\n",
    b"\x00\xff",
    [1, [2]],
    (1, (2,)),
    (),
    {1: "a", (1, 2): [None]},
    {1, 2},
    frozenset({"x"}),
    {"nested": [({1.0}, b"")]},
]


@pytest.mark.parametrize("value", PLAIN, ids=repr)
def test_wire_round_trip_keeps_exact_types(value: object) -> None:
    back = wire.loads(wire.dumps(value))
    assert back == value and type(back) is type(value)


class Liar(int):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


@pytest.mark.parametrize("value", [Liar(1), [Liar(1)], {"k": Liar(1)}, object(), iter([]), type], ids=repr)
def test_wire_refuses_anything_but_exact_builtins(value: object) -> None:
    with pytest.raises(wire.NotPlain):
        wire.dumps(value)


@pytest.mark.parametrize(
    "line",
    [
        b'{"L": 5}',
        b'{"X": 1}',
        b'{"S": [{"L": []}]}',
        b'{"D": [[1]]}',
        b"[" * 100_000,
        b'{"i": "' + b"1" * 10_000 + b'"}',
        b'{"a": 1, "b": 2}',
        b"not json",
    ],
)
def test_wire_rejects_hostile_input_with_ordinary_errors(line: bytes) -> None:
    with pytest.raises((ValueError, TypeError, RecursionError)):
        wire.loads(line)


def test_limits_default_and_maxima() -> None:
    cfg = SandboxConfig()
    assert resolve_limits(cfg, None, None) == (cfg.default_timeout_ms, cfg.default_memory_mb)
    with pytest.raises(LimitTooHigh, match="timeout_ms"):
        resolve_limits(cfg, 0, None)
    with pytest.raises(LimitTooHigh, match="memory_mb"):
        resolve_limits(cfg, None, cfg.max_memory_mb + 1)


def test_doctor_says_what_to_do_when_the_daemon_is_down(tmp_path) -> None:
    (check,) = doctor(SandboxConfig(docker_url=f"unix://{tmp_path}/none.sock"))
    assert not check.ok and "dockerd" in check.fix


@pytest.mark.docker
def test_doctor_and_build_are_quick_when_all_is_there() -> None:
    cfg = SandboxConfig()
    image.build(cfg)
    t0 = time.monotonic()
    assert image.build(cfg) == cfg.image
    assert time.monotonic() - t0 < 2
    checks = {c.name: c for c in doctor(cfg)}
    assert all(c.ok for c in checks.values()), checks
    assert {"docker daemon", "runtime runc", "sandbox image", "sandbox run (runc)", "languages"} == set(
        checks
    )


def test_config_refuses_defaults_above_maxima() -> None:
    with pytest.raises(ValueError, match="default_timeout_ms"):
        SandboxConfig(default_timeout_ms=60_000, max_timeout_ms=30_000)


def test_what_ci_cannot_run_fails_there_instead_of_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.sandboxes import skip_unless_ci

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run this: no runsc"):
        skip_unless_ci("no runsc")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no runsc"):
        skip_unless_ci("no runsc")


def test_the_dockerfile_builds_what_the_offline_build_does() -> None:
    from sandbox.image import dockerfile
    from sandbox.image_version import GUEST_DIR

    assert (GUEST_DIR.parent / "Dockerfile").read_text() == dockerfile(), (
        "sandbox/Dockerfile is stale: python -m sandbox.image --dockerfile > sandbox/Dockerfile"
    )


@pytest.mark.parametrize(
    "bad", [{"pids_limit": -1}, {"cpus": 0}, {"output_cap_bytes": 0}, {"default_memory_mb": 1}]
)
def test_sandbox_settings_have_bounds(bad: dict) -> None:
    from pydantic import ValidationError

    from sandbox import SandboxConfig

    with pytest.raises(ValidationError, match=next(iter(bad))):
        SandboxConfig(**bad)
