"""One warm container and the `docker attach` stream to the supervisor inside it."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import uuid
from typing import Any

import docker
import docker.errors
from docker.types import LogConfig, Ulimit

from sandbox.config import SandboxConfig
from sandbox.docker_client import DAEMON_ERRORS, client_for
from sandbox.errors import SandboxError
from sandbox.image import SANDBOX_GID, SANDBOX_UID
from sandbox.languages import language

__all__ = ["Container", "ContainerGone", "HostDeadline", "limit_fields", "owner_label"]

log = logging.getLogger(__name__)

LABEL = "referee"
OWNER_LABEL = "referee.owner"  # "<hostname>/<pid>": reaped when that process is gone
POOL_LABEL = "referee.pool"  # one Sandbox instance; close() removes exactly these
_HEADER_BYTES = 8  # docker's stream multiplexing: [stream, 0, 0, 0, size:4 big-endian]


class ContainerGone(SandboxError):
    """The container or its attach stream died (daemon restart, docker kill): use another one."""


class HostDeadline(Exception):
    """The supervisor did not answer in time: the container is killed from outside."""


def owner_label() -> str:
    return f"{socket.gethostname()}/{os.getpid()}"


class Container:
    def __init__(
        self, cid: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, memory_mb: int
    ) -> None:
        self.id = cid
        self.memory_mb = memory_mb
        self.runs = 0
        self.reusable = True  # False once anything could have dirtied it; the pool then replaces it
        self.needs_reset = False  # a call of this visit left files in the work dir
        self._reader = reader
        self._writer = writer
        self._buf = bytearray()
        self.stderr_tail = b""  # supervisor crash output, for the error detail

    @classmethod
    async def create(
        cls, config: SandboxConfig, pool_id: str, memory_mb: int | None = None, *, warm: bool = True
    ) -> Container:
        """`warm`: keep a Python interpreter started ahead of each run (config.warm_python);
        a session's container runs one interpreter of its own instead."""
        memory_mb = memory_mb or config.default_memory_mb
        cid, raw = await asyncio.to_thread(_create_and_attach, config, pool_id, memory_mb, warm)
        try:
            reader, writer = await asyncio.open_connection(sock=raw)
        except OSError as exc:
            raise ContainerGone(f"cannot attach to container {cid[:12]}: {exc}") from exc
        return cls(cid, reader, writer, memory_mb)

    async def call(self, request: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        """Send one request, await its reply; HostDeadline after timeout_s, ContainerGone if it died."""
        try:
            self._writer.write(json.dumps(request).encode() + b"\n")
            reply = await asyncio.wait_for(self._read_line(), timeout_s)
        except TimeoutError:
            self.reusable = False
            raise HostDeadline(f"no answer from container {self.id[:12]} within {timeout_s:.1f} s") from None
        except (OSError, asyncio.IncompleteReadError) as exc:
            self.reusable = False
            tail = self.stderr_tail.decode(errors="replace")[-300:]
            raise ContainerGone(
                f"container {self.id[:12]} went away ({type(exc).__name__}) {tail}".strip()
            ) from exc
        result = json.loads(reply)
        if "error" in result:
            self.reusable = False
            raise SandboxError(f"supervisor refused the request: {result['error']}")
        return result

    async def _read_line(self) -> bytes:
        while b"\n" not in self._buf:
            header = await self._reader.readexactly(_HEADER_BYTES)
            payload = await self._reader.readexactly(int.from_bytes(header[4:], "big"))
            if header[0] == 1:
                self._buf += payload
            else:
                self.stderr_tail = (self.stderr_tail + payload)[-2000:]
        line, _, rest = bytes(self._buf).partition(b"\n")
        self._buf = bytearray(rest)
        return line

    async def set_memory(self, config: SandboxConfig, memory_mb: int) -> None:
        limit = f"{container_memory_mb(config, memory_mb)}m"

        def update() -> None:
            client_for(config).api.update_container(self.id, mem_limit=limit, memswap_limit=limit)

        await asyncio.to_thread(update)
        self.memory_mb = memory_mb

    async def destroy(self, config: SandboxConfig) -> None:
        """Close the stream (the supervisor exits, auto_remove deletes the container), then make sure."""
        self.reusable = False
        self._writer.close()
        try:
            await asyncio.to_thread(lambda: remove_container(client_for(config), self.id))
        except (SandboxError, *DAEMON_ERRORS) as exc:
            log.warning("sandbox: cannot remove container %s: %s", self.id[:12], exc)


def remove_container(client: docker.DockerClient, cid: str) -> None:
    try:
        client.api.remove_container(cid, force=True)
    except docker.errors.NotFound:
        pass
    except docker.errors.APIError as exc:
        if exc.status_code != 409:  # 409: removal already in progress (auto_remove)
            raise


# What the supervisor (root inside, never the program) needs: start programs as the sandbox uid
# with an empty bounding set (SETUID, SETGID, SETPCAP), kill them (KILL), and hand them and then
# wipe their work dir whatever they chmod'ed it to (CHOWN, DAC_OVERRIDE, FOWNER). Half of
# docker's default set; the program itself gets none.
SUPERVISOR_CAPS = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETGID", "SETPCAP", "SETUID"]
# Under gVisor the host cgroup holds the gVisor kernel, whose threads are not the program's: the
# program's own process limit is RLIMIT_NPROC inside (the supervisor's `nproc`), and this only
# keeps a runaway sandbox from exhausting the host.
GVISOR_HOST_PIDS_LIMIT = 16384


def container_memory_mb(config: SandboxConfig, memory_mb: int) -> int:
    """The container's cgroup limit for a program limit of memory_mb. Under gVisor it also holds
    the gVisor kernel, and the program's own limit is enforced inside (`memory_limit_bytes`), so
    this is only a backstop a little further out."""
    extra = config.gvisor_overhead_mb if config.runtime == "runsc" else 0
    return memory_mb + config.supervisor_overhead_mb + extra


def limit_fields(config: SandboxConfig, memory_mb: int, *, compiling: bool = False) -> dict[str, Any]:
    """The limits every supervisor request carries besides its time limit."""
    fields: dict[str, Any] = {
        "output_cap_bytes": config.output_cap_bytes,
        "file_cap_bytes": config.work_tmpfs_mb << 20,
    }
    if config.runtime == "runsc":  # the host cgroup sees gVisor, not the program: watch inside
        # A compiler gets half the gVisor headroom too: gVisor counts the toolchain's mapped
        # libraries as used memory (rustc maps ~350 MB), which runc's cgroup does not.
        extra = config.gvisor_overhead_mb // 2 if compiling else 0
        fields["memory_limit_bytes"] = (memory_mb + config.supervisor_overhead_mb + extra) << 20
    return fields


def _create_and_attach(
    config: SandboxConfig, pool_id: str, memory_mb: int, warm: bool
) -> tuple[str, socket.socket]:
    client = client_for(config)  # here, in a worker thread: creating a client already talks to the daemon
    api = client.api
    limit = f"{container_memory_mb(config, memory_mb)}m"
    gvisor = config.runtime == "runsc"
    supervisor_settings = {
        "file_cap_bytes": config.work_tmpfs_mb << 20,
        "uid": SANDBOX_UID,
        "gid": SANDBOX_GID,
        "nproc": config.pids_limit if gvisor else None,
        "cpus": config.cpus,
        "max_files": config.work_inodes + config.tmp_inodes + config.shm_inodes if gvisor else None,
        "warm_argv": list(language("python").run) if warm and config.warm_python else None,
    }
    host_config = api.create_host_config(
        network_mode="none",
        cap_drop=["ALL"],
        cap_add=SUPERVISOR_CAPS,
        security_opt=["no-new-privileges"],
        read_only=True,
        # /work is root's (0711): the program cannot replace, chmod or list it, only use the
        # run dir the supervisor makes in it for each visit (root's, group-writable).
        tmpfs={
            "/work": f"rw,nosuid,nodev,exec,size={config.work_tmpfs_mb}m,nr_inodes={config.work_inodes},mode=0711",
            "/tmp": f"rw,nosuid,nodev,noexec,size={config.tmp_tmpfs_mb}m,nr_inodes={config.tmp_inodes},mode=1777",
            "/dev/shm": f"rw,nosuid,nodev,noexec,size={config.shm_tmpfs_mb}m,nr_inodes={config.shm_inodes},mode=1777",
        },
        sysctls={  # the container's own IPC namespace: SysV objects outlive runs, so keep them small
            "kernel.shmall": str(config.shm_total_kb // 4),  # in 4 KiB pages
            "kernel.shmmax": str(config.shm_total_kb << 10),
            "kernel.msgmni": "16",
            "kernel.sem": "250 256 32 16",  # semmsl semmns semopm semmni
            "fs.mqueue.queues_max": "16",
        },
        mem_limit=limit,
        memswap_limit=limit,  # = mem_limit: no swap
        pids_limit=GVISOR_HOST_PIDS_LIMIT if gvisor else config.pids_limit,
        nano_cpus=int(config.cpus * 1e9),
        ulimits=[Ulimit(name="nofile", soft=256, hard=256), Ulimit(name="core", soft=0, hard=0)],
        log_config=LogConfig(type="none"),  # replies go over attach; logging them would fill the disk
        auto_remove=True,
        runtime=config.runtime,
    )
    labels = {LABEL: "1", OWNER_LABEL: owner_label(), POOL_LABEL: pool_id}
    container_config = api.create_container_config(
        config.image,
        ["/usr/bin/python3", "-I", "/opt/referee/supervisor.py", json.dumps(supervisor_settings)],
        hostname="sandbox",
        user="0:0",  # the supervisor; programs run as SANDBOX_UID
        stdin_open=True,
        tty=False,
        labels=labels,
        network_disabled=True,
        host_config=host_config,
    )
    container_config["StdinOnce"] = True  # our attach closing (we exited or crashed) ends the supervisor
    created = api.create_container_from_config(
        container_config, f"referee-{pool_id[:8]}-{uuid.uuid4().hex[:8]}"
    )
    cid = created["Id"]
    try:
        sock = api.attach_socket(cid, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
        # The SDK hands back a blocking SocketIO; asyncio wants the socket itself, our own copy.
        raw = (sock._sock if hasattr(sock, "_sock") else sock).dup()
        sock.close()
        api.start(cid)
    except BaseException:
        remove_container(client, cid)
        raise
    return cid, raw
