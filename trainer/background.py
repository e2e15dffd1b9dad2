"""An async referee client on an event loop of its own, for the synchronous training loop.

torch code is synchronous; the trainer's calls to the server (a step's groups to score, a
round's code cells) should all be in flight at once, and scoring should overlap the log-prob
pass. So the client lives on a loop in a daemon thread: `_submit` starts a coroutine there and
returns a Future, `_run` waits for one.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, Self, TypeVar

from referee.client import AsyncRefereeClient
from trainer.config import RefereeConfig

__all__ = ["BackgroundClient"]

T = TypeVar("T")


class BackgroundClient:
    def __init__(self, cfg: RefereeConfig, name: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()
        self._client: AsyncRefereeClient = self._run(self._connect(cfg))

    @staticmethod
    async def _connect(cfg: RefereeConfig) -> AsyncRefereeClient:
        return cfg.async_client()  # grpc.aio channels belong to the loop that creates them

    def _submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self._submit(coro).result()

    def close(self) -> None:
        self._run(self._client.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
