"""The server's in-flight caps (`Service.admit`), shared by the gRPC and HTTP faces: gRPC
refuses at once, HTTP waits in a bounded line up to a deadline."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from referee.config import Settings
from referee.metrics import Metrics
from referee.service import Overloaded, Service


def service(**server: Any) -> Service:
    settings = Settings(server={"max_concurrent_code_requests": 1, **server})
    return Service(engine=None, settings=settings, metrics=Metrics())  # type: ignore[arg-type]  # unused here


async def test_without_waiting_a_full_server_refuses_at_once() -> None:
    s = service()
    async with s.admit(code=True):
        with pytest.raises(Overloaded, match="1 code requests in flight"):
            async with s.admit(code=True):
                pass
        async with s.admit(code=False):  # the "all" cap is not reached: math still goes through
            pass


async def test_a_waiter_gets_the_slot_when_it_is_freed() -> None:
    s, order = service(), []

    async def holder() -> None:
        async with s.admit(code=True):
            await asyncio.sleep(0.2)
            order.append("released")

    async def waiter() -> None:
        async with s.admit(code=True, wait_s=30):
            order.append("admitted")

    task = asyncio.create_task(holder())
    await asyncio.sleep(0.05)
    await waiter()
    await task
    assert order == ["released", "admitted"]


async def test_waiting_ends_at_its_deadline() -> None:
    s = service()
    async with s.admit(code=True):
        with pytest.raises(Overloaded):
            async with s.admit(code=True, wait_s=0.1):
                pass


async def test_the_line_is_bounded() -> None:
    s = service(max_queued_requests=1)
    async with s.admit(code=True):
        first = asyncio.create_task(s.admit(code=True, wait_s=30).__aenter__())
        await asyncio.sleep(0.05)
        with pytest.raises(Overloaded):  # the line is full: refused without waiting
            async with s.admit(code=True, wait_s=30):
                pass
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
    assert s._waiting == 0 and s._in_flight == {"all": 0, "code": 0}
