"""Warm containers, leased one visit at a time, replaced whenever a visit could have dirtied one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator

import docker
import docker.errors

from sandbox.config import SandboxConfig
from sandbox.container import LABEL, OWNER_LABEL, POOL_LABEL, Container, remove_container
from sandbox.docker_client import DAEMON_ERRORS, client_for, daemon_error
from sandbox.errors import SandboxError

__all__ = ["Pool", "reap_orphans"]

log = logging.getLogger(__name__)


class Pool:
    """At most `pool_size` visits at once; idle containers wait warm for the next one."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.id = uuid.uuid4().hex
        self._slots = asyncio.Semaphore(config.pool_size)
        self._idle: list[Container] = []
        self._live: set[Container] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._starting = 0  # containers being created, not yet in _live

    async def start(self) -> None:
        """Reap what crashed servers left, then warm the pool (failures are logged, not raised:
        the server may start before the daemon, and visits recover once it is back)."""
        try:
            removed = await asyncio.to_thread(lambda: reap_orphans(client_for(self.config)))
            if removed:
                log.warning("removed %d sandbox containers left by dead processes", removed)
        except (SandboxError, *DAEMON_ERRORS) as exc:
            log.error("sandbox: cannot reap leftovers: %s", exc)
        results = await asyncio.gather(
            *(self._new() for _ in range(self.config.pool_size)), return_exceptions=True
        )
        for r in results:
            if isinstance(r, Container):
                self._idle.append(r)
            else:
                log.error("sandbox: warm-up failed: %s", r)

    async def _new(self, memory_mb: int | None = None) -> Container:
        # Counted while it starts, whoever asked (a refill, or a lease that found no fitting
        # idle container): a refill deciding whether there is room must see it.
        self._starting += 1
        try:
            c = await asyncio.wait_for(
                Container.create(self.config, self.id, memory_mb), self.config.start_timeout_s
            )
        except docker.errors.ImageNotFound:
            raise SandboxError(f"image {self.config.image} is missing: run `referee sandbox build`") from None
        except DAEMON_ERRORS as exc:
            raise daemon_error(self.config, exc) from exc
        finally:
            self._starting -= 1
        self._live.add(c)
        return c

    @contextlib.asynccontextmanager
    async def lease(self, memory_mb: int) -> AsyncIterator[Container]:
        """A clean container for one visit; it goes back warm, or is replaced if it is not reusable."""
        if self._closed:
            raise SandboxError("the sandbox is closed")
        async with self._slots:
            c = self._pick(memory_mb) or await self._new(memory_mb)
            if c.memory_mb != memory_mb and self.config.runtime == "runsc":
                # gVisor cannot resize a running container's cgroup: start one of the right size.
                self._retire(c)
                c = await self._new(memory_mb)
            try:
                if c.memory_mb != memory_mb:
                    try:
                        await c.set_memory(self.config, memory_mb)
                    except DAEMON_ERRORS as exc:
                        raise daemon_error(self.config, exc) from exc
                yield c
            except BaseException:
                c.reusable = False
                raise
            finally:
                c.runs += 1
                if not c.reusable or c.runs >= self.config.runs_per_container or self._closed:
                    self._retire(c)
                elif len(self._live) + self._starting > self.config.pool_size:  # made on demand meanwhile
                    self._retire(c, replace=False)
                else:
                    self._idle.append(c)

    def stats(self) -> dict[str, int]:
        idle = len(self._idle)
        return {"idle": idle, "busy": len(self._live) - idle}

    def _pick(self, memory_mb: int) -> Container | None:
        for i, c in enumerate(self._idle):
            if c.memory_mb == memory_mb:
                return self._idle.pop(i)
        return self._idle.pop() if self._idle else None

    def retire_idle(self) -> None:
        """Drop every idle container: after one was found dead (daemon restart), the rest likely are."""
        idle, self._idle = self._idle, []
        for c in idle:
            self._retire(c)

    def _retire(self, c: Container, *, replace: bool = True) -> None:
        """Remove `c` and warm a replacement, both off the request path."""
        self._live.discard(c)
        self._spawn(c.destroy(self.config))
        if replace:
            self._spawn(self._refill())

    async def _refill(self) -> None:
        # Count replacements still starting: several retirements at once must not each
        # see room for one more and overshoot the pool.
        if self._closed or len(self._live) + self._starting >= self.config.pool_size:
            return
        try:
            c = await self._new()
        except SandboxError as exc:
            log.warning("sandbox: cannot replace a container: %s", exc)
            return
        if self._closed:
            await c.destroy(self.config)
        else:
            self._idle.append(c)

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Remove every container this pool started (also any a cancelled task was creating)."""
        self._closed = True
        await asyncio.gather(*self._tasks, return_exceptions=True)
        live, self._live, self._idle = list(self._live), set(), []
        await asyncio.gather(*(c.destroy(self.config) for c in live), return_exceptions=True)
        try:
            await asyncio.to_thread(
                lambda: _remove_labelled(client_for(self.config), f"{POOL_LABEL}={self.id}")
            )
        except (SandboxError, *DAEMON_ERRORS) as exc:
            log.error("sandbox: cannot remove containers of pool %s: %s", self.id[:8], exc)


def _remove_labelled(client: docker.DockerClient, label: str) -> int:
    found = client.api.containers(all=True, filters={"label": label})
    for c in found:
        remove_container(client, c["Id"])
    return len(found)


def reap_orphans(client: docker.DockerClient) -> int:
    """Remove sandbox containers whose owning process on this host is gone (a crashed server).
    Containers of live processes, ours included, are left alone: replicas share a daemon."""
    removed = 0
    host = socket.gethostname()
    for c in client.api.containers(all=True, filters={"label": f"{LABEL}=1"}):
        owner_host, _, pid = c["Labels"].get(OWNER_LABEL, "").partition("/")
        if owner_host == host and pid.isdigit() and not _alive(int(pid)):
            remove_container(client, c["Id"])
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
