"""CPU time decides a time limit; the wall clock is only a backstop, and never a wrong answer.

A run's limit (`timeout_ms`) is CPU time: the sum over every process of the run, threads and
reaped children included, and the orphans our own process reaped too, so work moved into a
double-forked child still counts. The wall clock cannot decide a verdict, since it changes with
machine load: four one-CPU containers on two cores take twice as long for the same work. It
only ends a run that has not used its CPU time by `wall_backstop_s(limit)`, and then says why:
- "idle": it mostly slept or blocked (waiting on stdin, `time.sleep`): a TIMEOUT, its own doing;
- "starved": it was runnable but the machine gave it no CPU (run queue delay, from
  /proc/<pid>/schedstat): nobody's verdict, the run cannot be scored (SANDBOX_ERROR).
Under gVisor there is no schedstat: a backstop there is always "idle" (no credit, ever).

Imported by the supervisor and the judge inside the image, and by the host for its deadlines.
"""

from __future__ import annotations

import os
import signal
import time

__all__ = ["BORDERLINE", "Deadline", "RunClock", "wall_backstop_s"]

# A run over its CPU limit by less than this share is run once more, and only a second overrun
# is a TIMEOUT: CPU time itself varies by ~15% between runs on a shared machine.
BORDERLINE = 0.2
WALL_FACTOR = 2.0  # the wall backstop: this many times the CPU limit ...
WALL_SLACK_S = 1.0  # ... plus this, for interpreter start and scheduling noise
STARVED_SHARE = 0.5  # runnable (on CPU or queued) for at least this share of the wall time
MIN_CHECK_S = 0.005
_TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def wall_backstop_s(cpu_limit_s: float) -> float:
    return cpu_limit_s * WALL_FACTOR + WALL_SLACK_S


def _stat_cpu_s(pid: int | str, reaped_only: bool = False) -> float:
    """utime + stime + cutime + cstime of one process (its waited-for children included)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
    except (OSError, IndexError):
        return 0.0  # gone meanwhile: its parent's cutime has it now
    # fields[0] is the state (field 3): utime..cstime are fields 14..17
    ticks = fields[13:15] if reaped_only else fields[11:15]
    return sum(int(t) for t in ticks) * _TICK_S


def _run_delay_s(pid: str) -> float | None:
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


CGROUP_V1_USAGE = "/sys/fs/cgroup/cpuacct/cpuacct.usage"  # ns, every process of the container
CGROUP_V2_STAT = "/sys/fs/cgroup/cpu.stat"  # usage_usec
FREEZE_ABOVE = 4  # scanning more live processes than this: stop them first (a fork bomb outruns us)


def _cgroup_cpu_s() -> float | None:
    """The container's CPU time so far, from its cgroup (runc); None where there is none (gVisor)."""
    try:
        with open(CGROUP_V1_USAGE) as f:
            return int(f.read()) / 1e9
    except (OSError, ValueError):
        pass
    try:
        with open(CGROUP_V2_STAT) as f:
            return next(int(ln.split()[1]) for ln in f if ln.startswith("usage_usec")) / 1e6
    except (OSError, ValueError, StopIteration):
        return None


class RunClock:
    """CPU time of a run's processes: every process but `ours` (init, the judge). Under runc the
    container's cgroup counts every process it ever ran, so that is one read, less our own time.
    Elsewhere (gVisor) it is a scan of /proc: the live processes, plus what our processes reaped
    since this clock started (a run's orphans are reparented to init and reaped there); with
    more than a few live processes they are stopped for the scan, since 64 forking processes on
    one CPU quota would leave the scan no CPU to run on."""

    def __init__(self, ours: tuple[int, ...]) -> None:
        self.ours = tuple(str(p) for p in ours)
        self.cgroup = _cgroup_cpu_s() is not None
        self._reaped0 = sum(_stat_cpu_s(p, reaped_only=True) for p in self.ours)

    def _theirs(self) -> list[str]:
        return [p for p in os.listdir("/proc") if p.isdigit() and p not in self.ours]

    def cpu_s(self) -> float:
        if self.cgroup:
            own = sum(_stat_cpu_s(p) - _stat_cpu_s(p, reaped_only=True) for p in self.ours)
            return (_cgroup_cpu_s() or 0.0) - own
        theirs = self._theirs()
        frozen = len(theirs) > FREEZE_ABOVE
        if frozen:
            os.kill(-1, signal.SIGSTOP)  # all but init and us; the judge's caller never runs this
        try:
            reaped = sum(_stat_cpu_s(p, reaped_only=True) for p in self.ours) - self._reaped0
            return reaped + sum(_stat_cpu_s(p) for p in self._theirs())
        finally:
            if frozen:
                os.kill(-1, signal.SIGCONT)

    def waited_s(self) -> float | None:
        """Time the run's live processes spent runnable but not running; None where unknown."""
        delays = [_run_delay_s(p) for p in self._theirs()]
        known = [d for d in delays if d is not None]
        return sum(known) if known else None


class Deadline:
    """One run's time limit: `check()` is None while it may go on, else why it is over
    ("cpu", "idle" or "starved"). CPU accrues at most `cpus` seconds per second (the container's
    quota), so it is read only when the limit could have been reached: cheap to poll."""

    def __init__(self, clock: RunClock, cpu_limit_s: float, cpus: float = 1.0, margin: float = 0.0) -> None:
        # With a margin the run is killed only at (1 + margin) x the limit, so that a caller can
        # tell "over by a little" (run it again) from "over by far"; details name the limit.
        self.clock, self.shown_limit_s, self.cpus = clock, cpu_limit_s, max(cpus, 0.1)
        self.limit_s = cpu_limit_s * (1 + margin)
        self.t0 = time.monotonic()
        self.cpu0 = clock.cpu_s()
        self.waited0 = clock.waited_s()
        self.wall_end = self.t0 + wall_backstop_s(self.limit_s)
        self.next_check = self.t0 + self.limit_s / self.cpus
        self.cpu_used_s = 0.0

    def next_wake(self) -> float:
        """When `check()` next needs calling (a time.monotonic() value)."""
        return min(self.next_check, self.wall_end)

    def check(self) -> str | None:
        now = time.monotonic()
        if now < self.next_check and now < self.wall_end:
            return None
        self.cpu_used_s = self.clock.cpu_s() - self.cpu0
        if self.cpu_used_s >= self.limit_s:
            return "cpu"
        if now >= self.wall_end:
            waited = self.clock.waited_s()
            if waited is not None and self.waited0 is not None:
                runnable = self.cpu_used_s + waited - self.waited0
                if runnable >= STARVED_SHARE * (now - self.t0):
                    return "starved"
            return "idle"
        self.next_check = now + max((self.limit_s - self.cpu_used_s) / self.cpus, MIN_CHECK_S)
        return None

    def used_s(self) -> float:
        """CPU time the run has used so far."""
        return self.clock.cpu_s() - self.cpu0

    def why(self, reason: str) -> str:
        """The detail for a run that `check()` ended with `reason`."""
        limit_ms, wall_ms = self.shown_limit_s * 1000, (time.monotonic() - self.t0) * 1000
        if reason == "cpu":
            return f"used over {self.cpu_used_s * 1000:.0f} ms of CPU time (limit {limit_ms:.0f} ms)"
        if reason == "idle":
            return (
                f"idle: {self.cpu_used_s * 1000:.0f} ms of CPU in {wall_ms:.0f} ms of wall time "
                f"(sleeping or blocked; the wall backstop for a {limit_ms:.0f} ms limit)"
            )
        return (
            f"starved by machine load: {self.cpu_used_s * 1000:.0f} ms of CPU in {wall_ms:.0f} ms, "
            "runnable the rest: cannot be judged"
        )
