"""Client behaviour that needs no server: clear errors when there is none."""

from __future__ import annotations

import socket

import pytest

from referee.client import AsyncRefereeClient, RefereeClient, RefereeUnavailable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_names_the_address() -> None:
    target = f"127.0.0.1:{free_port()}"
    with (
        RefereeClient(target, timeout_s=10, retries=2) as client,
        pytest.raises(RefereeUnavailable, match=target),
    ):
        client.list_rewards()


async def test_async_client_unreachable() -> None:
    target = f"127.0.0.1:{free_port()}"
    async with AsyncRefereeClient(target, timeout_s=10, retries=1) as client:
        with pytest.raises(RefereeUnavailable, match=target):
            await client.score([{"id": "a", "completion": "x", "math": {"gold": "1"}}], ["accuracy"])
