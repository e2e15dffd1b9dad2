"""A bounded soak: mixed load on one server process while its memory and file descriptors are
sampled every second. Bounds: no trend (the median of the last third of the samples exceeds
the first third's by less than 32 MiB RSS and 12 fds) and no sample more than 64 MiB / 32 fds
above the warm-up level. Open sockets rise and fall with container churn (each warm
container holds an attach socket), so single samples are not compared.

REFEREE_SOAK_S sets the load duration (default 40 s in CI; run longer by hand).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from statistics import median

import pytest

from referee.client import RefereeClient
from tests.conftest import ServerProcess, children

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SOAK_S = float(os.environ.get("REFEREE_SOAK_S", "40"))
RSS_TREND_MB, RSS_PEAK_MB = 32, 64
FD_TREND, FD_PEAK = 12, 32


def usage(pid: int) -> tuple[float, int]:
    """(RSS in MiB, open fds) of the server, its children and theirs (math workers) together."""
    pids = [pid, *children(pid)]
    pids += [grandchild for child in pids[1:] for grandchild in children(child)]
    rss = fds = 0
    for p in pids:
        try:
            rss += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            fds += len(os.listdir(f"/proc/{p}/fd"))
        except FileNotFoundError:
            continue  # a worker being replaced
    return rss / 2**20, fds


def load(target: str, seconds: float, errors: list[str]) -> None:
    stop_at = time.monotonic() + seconds
    k = 0
    with RefereeClient(target, timeout_s=60) as client:
        while time.monotonic() < stop_at:
            k += 1
            math = [{"id": f"m{i}", "prompt": "p", "completion": f"\\boxed{{{k + i}/{k + 1}}}",
                     "math": {"gold": f"{k}/{k + 1}"}} for i in range(8)]  # fmt: skip
            code = [{"id": f"c{i}", "prompt": "p", "completion": f"def f(x):\n    return x + {i % 2}\n",
                     "code": {"language": "python", "test_code": "assert f(1) == 2", "entry_point": "f"}} for i in range(4)]  # fmt: skip
            try:
                client.score(math, ["accuracy", "format"])
                client.score(code, ["code"])
                if k % 5 == 0:
                    client.execute("python", "while True: pass", timeout_ms=200)
                if k % 7 == 0:
                    client.execute("python", "print('x' * 10_000_000)")
            except Exception as exc:
                errors.append(repr(exc))


def test_soak_memory_and_fds_stay_bounded() -> None:
    srv = ServerProcess(env={"REFEREE_SANDBOX__POOL_SIZE": "2"})
    try:
        errors: list[str] = []
        load(srv.target, 8, errors)  # warm-up: caches, pools, lazy imports
        base_rss, base_fds = usage(srv.proc.pid)
        threads = [threading.Thread(target=load, args=(srv.target, SOAK_S, errors)) for _ in range(3)]
        for t in threads:
            t.start()
        samples = []
        while any(t.is_alive() for t in threads):
            samples.append(usage(srv.proc.pid))
            time.sleep(1)
        third = max(1, len(samples) // 3)
        first, last = samples[:third], samples[-third:]
        rss_trend = median(r for r, _ in last) - median(r for r, _ in first)
        fd_trend = median(f for _, f in last) - median(f for _, f in first)
        peak_rss, peak_fds = max(r for r, _ in samples), max(f for _, f in samples)
        print(f"soak {SOAK_S:.0f} s, {len(samples)} samples: rss {base_rss:.1f} MiB (peak {peak_rss:.1f}, "
              f"trend {rss_trend:+.1f}), fds {base_fds} (peak {peak_fds}, trend {fd_trend:+.1f})")  # fmt: skip
        assert not errors, errors[:3]
        assert rss_trend < RSS_TREND_MB and peak_rss - base_rss < RSS_PEAK_MB
        assert fd_trend < FD_TREND and peak_fds - base_fds < FD_PEAK
    finally:
        assert srv.stop() == 0
