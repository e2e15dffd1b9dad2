"""Every sandbox limit and knob in one place, with units in the names."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sandbox.image_version import IMAGE_VERSION

__all__ = ["SandboxConfig"]


class SandboxConfig(BaseModel):
    """Sandbox settings. Request limits (`timeout_ms`, `memory_mb`) default to `default_*` and are
    refused above `max_*`; everything else is fixed per server."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    image: str = f"referee-sandbox:{IMAGE_VERSION}"  # tag of the offline-built image
    runtime: Literal["runc", "runsc"] = "runc"  # runsc = gVisor: a user-space kernel, slower, safer
    docker_url: str | None = None  # e.g. "unix:///var/run/docker.sock"; None = DOCKER_HOST or default
    rootfs_dir: str = "/tmp/rootfs"  # debootstrap output used by image.build (made when missing)
    pool_size: int = Field(4, ge=1, le=256, description="warm containers kept ready")
    runs_per_container: int = Field(200, ge=1, description="recycle a container after this many visits")
    default_timeout_ms: int = Field(
        5_000, ge=1, description="CPU time per run / per test; the wall clock is a backstop (clock.py)"
    )
    default_memory_mb: int = Field(256, ge=16, description="per run; the container's cgroup limit (swap off)")
    max_timeout_ms: int = Field(30_000, ge=1, description="requests above this are refused (LimitTooHigh)")
    max_memory_mb: int = Field(2_048, ge=16)
    compile_timeout_ms: int = Field(15_000, ge=100, description="a compiler per sample, CPU time")
    checker_timeout_ms: int = Field(10_000, ge=100, description="a checker program per case, CPU time")
    max_judge_ms: int = Field(
        120_000, ge=100, description="all tests of one sample together; later tests are TIMEOUT"
    )
    max_source_bytes: int = Field(256 * 1024, ge=1, description="source code cap (SourceTooLarge)")
    max_stdin_bytes: int = Field(
        8 * 1024 * 1024, ge=0, description="stdin, and the files of one request together"
    )
    max_tests: int = Field(512, ge=1, description="tests or stdin/stdout cases per sample")
    output_cap_bytes: int = Field(
        1024 * 1024, ge=1024, description="per stream per run; more is cut and the run is OUTPUT_LIMIT"
    )
    cpus: float = Field(1.0, gt=0, le=256, description="CPU quota per container")
    pids_limit: int = Field(64, ge=8, description="processes+threads per container, supervisor included")
    work_tmpfs_mb: int = Field(64, ge=1, description="/work, the program's only writable place besides /tmp")
    tmp_tmpfs_mb: int = Field(16, ge=1, description="/tmp")
    shm_tmpfs_mb: int = Field(4, ge=1, description="/dev/shm")
    # Files (inodes) per tmpfs: each costs kernel memory charged to the container, so without a
    # cap empty files alone could OOM-kill the supervisor. gVisor ignores nr_inodes: there the
    # supervisor counts the run's files instead, and stops it past the sum of these.
    work_inodes: int = Field(16_384, ge=16)
    tmp_inodes: int = Field(4_096, ge=16)
    shm_inodes: int = Field(256, ge=1)
    # SysV IPC in the container's own IPC namespace (runc; gVisor ignores these sysctls, and the
    # supervisor's memory watch covers it there): segments and queues outlive the run.
    shm_total_kb: int = Field(4_096, ge=0)
    supervisor_overhead_mb: int = Field(
        48, ge=0, description="added to the cgroup limit for the in-container supervisor"
    )
    gvisor_overhead_mb: int = Field(
        384, ge=0, description="runsc: added again for the gVisor kernel (see container_memory_mb)"
    )
    gvisor_compile_factor: float = Field(
        2.0,
        ge=1,
        le=10,
        description="runsc: compile_timeout_ms times this, as gVisor counts its kernel's work for a "
        "compiler (the JVM's page faults and mmaps) as the compiler's CPU time",
    )
    host_grace_ms: int = Field(
        3_000, ge=0, description="the host kills the container when a visit overruns its deadline by this"
    )
    start_timeout_s: float = Field(30.0, gt=0, description="creating + attaching one container")
    warm_python: bool = Field(
        True, description="start each Python run's interpreter before its request (guest/warm.py)"
    )
    # Sessions (sandbox.session): each one a container of its own, for its whole life.
    max_sessions: int = Field(64, ge=0, description="sessions open at once; beyond this TooManySessions")
    session_idle_ttl_s: int = Field(300, ge=1, description="a session closes after this long without a cell")
    max_session_idle_ttl_s: int = Field(3_600, ge=1, description="the longest idle TTL a request may ask")
    max_session_lifetime_s: int = Field(
        3_600, ge=1, description="a session closes this long after it was made, however busy"
    )

    @property
    def compile_limit_ms(self) -> int:
        """A compiler's CPU time limit under this runtime."""
        return int(self.compile_timeout_ms * (self.gvisor_compile_factor if self.runtime == "runsc" else 1))

    @model_validator(mode="after")
    def _defaults_within_maxima(self) -> SandboxConfig:
        if self.default_timeout_ms > self.max_timeout_ms:
            raise ValueError(
                f"default_timeout_ms {self.default_timeout_ms} > max_timeout_ms {self.max_timeout_ms}"
            )
        if self.session_idle_ttl_s > self.max_session_idle_ttl_s:
            raise ValueError(
                f"session_idle_ttl_s {self.session_idle_ttl_s} > max_session_idle_ttl_s "
                f"{self.max_session_idle_ttl_s}"
            )
        if self.default_memory_mb > self.max_memory_mb:
            raise ValueError(
                f"default_memory_mb {self.default_memory_mb} > max_memory_mb {self.max_memory_mb}"
            )
        return self
