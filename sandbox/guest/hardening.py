"""Process hardening shared by the supervisor and the judge."""

import ctypes

PR_SET_DUMPABLE = 4
_libc = ctypes.CDLL(None, use_errno=True)


def set_dumpable(on: bool) -> None:
    """Non-dumpable: same-uid processes cannot ptrace us or open /proc/<us>/{mem,fd,environ}."""
    _libc.prctl(PR_SET_DUMPABLE, int(on), 0, 0, 0)


def make_oom_victim() -> None:
    """Be the first process the OOM killer takes. /proc/self is root-owned while we are
    non-dumpable, so drop that for the write; an exec'ed program is dumpable anyway."""
    set_dumpable(True)
    with open("/proc/self/oom_score_adj", "w") as f:
        f.write("1000")
