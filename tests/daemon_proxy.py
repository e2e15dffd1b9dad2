"""A stand-in for dockerd crashing and coming back: a unix-socket proxy to the real daemon.

We cannot stop the shared dockerd in tests, so "the daemon goes away" is this proxy cutting
every connection, and "it comes back" is the proxy listening again.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

DOCKER_SOCK = "/var/run/docker.sock"


class DaemonProxy:
    """Forwards a unix socket to the real daemon; `stop()` cuts every connection like a daemon crash."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.server: asyncio.AbstractServer | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_unix_server(self._serve, path=str(self.path))

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for w in list(self.writers):
            w.close()
        await self.server.wait_closed()
        self.path.unlink(missing_ok=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_unix_connection(DOCKER_SOCK)
        self.writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
