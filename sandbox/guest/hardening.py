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


class Settings:
    """Fixed for the container's life, from the host (argv[1], JSON)."""

    uid = gid = 10001  # the programs' uid; an interactor runs as uid + 1 (INTERACTOR_UID)
    nproc: int | None = None  # RLIMIT_NPROC for the programs (gVisor); None: the host's pids cgroup
    cpus = 1.0  # the container's CPU quota: how fast a run can use up its CPU time
    max_files: int | None = None  # files a run may create (gVisor: its tmpfs has no nr_inodes)
    warm = False  # start Python runs' interpreters before their requests (supervisor.Warm)


RUNAS = "/opt/referee/runas"  # built from runas.c into the image


def unprivileged_argv(argv: list[str], cpu_s: int = 0, uid: int | None = None) -> list[str]:
    """`argv` run as the sandbox uid, with no groups, no capabilities (none in the bounding set
    either) and a CPU-time limit (0: ours). Through an exec of runas: the limit cannot be set
    from outside afterwards, as prlimit(2) on another uid's process needs CAP_SYS_RESOURCE,
    which we do not hold."""
    uid = Settings.uid if uid is None else uid
    return [RUNAS, str(uid), str(uid if uid != Settings.uid else Settings.gid), str(cpu_s), *argv]
