"""A real referee server on localhost in a background thread, for tests, benchmarks and notebooks.

It is the production server (`referee.server.start_server` over a real `Engine`), spoken
to over real gRPC; only the process is shared. Nothing is warmed up eagerly, so a
math-only run never starts the Docker sandbox.

    with local_referee(math={"workers": 1}) as target:
        train(cfg.model_copy(update={"referee": cfg.referee.model_copy(update={"target": target})}))
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["local_referee"]


@contextmanager
def local_referee(**settings: Any) -> Iterator[str]:
    """Start a server on 127.0.0.1:<free port> with `load_settings(**settings)`; yields its target."""
    from referee.config import load_settings
    from referee.engine import Engine
    from referee.server import start_server

    server_settings = {"host": "127.0.0.1", "port": 0, **settings.pop("server", {})}
    cfg = load_settings(server=server_settings, **settings)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="local-referee", daemon=True)
    thread.start()

    def run(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result()

    async def start() -> tuple[Any, Engine, int]:
        engine = Engine(cfg)
        running = await start_server(cfg, engine, warm_up=False)
        return running, engine, running.port

    server, engine, port = run(start())
    try:
        yield f"127.0.0.1:{port}"
    finally:
        run(server.stop(0))
        run(engine.close())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
