"""Optional shared-token authentication for non-local deployments.

Clients send `authorization: Bearer <token>` metadata; anything else gets
UNAUTHENTICATED before any work is done. The health service stays open so load
balancers and Kubernetes probes (which cannot send a token) still see readiness.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

import grpc

__all__ = ["TokenInterceptor", "basic_as_bearer", "bearer", "check_bearer"]

_OPEN_PREFIXES = ("/grpc.health.v1.Health/",)


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    """The call metadata that carries `token`."""
    return (("authorization", f"Bearer {token}"),)


def _refuse(message: str) -> grpc.RpcMethodHandler:
    async def deny(request: Any, context: grpc.aio.ServicerContext) -> None:
        await context.abort(grpc.StatusCode.UNAUTHENTICATED, message)

    return grpc.unary_unary_rpc_method_handler(deny)


def check_bearer(sent: str | None, token: str) -> str | None:
    """Why `sent` (an authorization header's value) does not carry `token`; None when it does."""
    if sent is None:
        return "missing token: send 'authorization: Bearer <token>'"
    # Constant-time comparison: the token must not leak through response timing.
    if not hmac.compare_digest(str(sent).encode(), f"Bearer {token}".encode()):
        return "wrong token"
    return None


def basic_as_bearer(sent: str | None) -> str | None:
    """An HTTP `Basic` credential read as `Bearer <password>`; anything else unchanged.

    verl's SandboxFusion caller and OpenRLHF's reward client send no headers of their own,
    but both (requests, aiohttp) turn a URL's `user:password@` into Basic auth, so
    `http://referee:<token>@host:port/run_code` is how an unchanged trainer carries the token.
    """
    if sent is None or not sent.startswith("Basic "):
        return sent
    try:
        _, _, password = base64.b64decode(sent[6:], validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return sent
    return f"Bearer {password}"


class TokenInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, token: str) -> None:
        self._token = token

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        if details.method.startswith(_OPEN_PREFIXES):
            return await continuation(details)
        sent = dict(details.invocation_metadata or ()).get("authorization")
        refusal = check_bearer(None if sent is None else str(sent), self._token)
        return await continuation(details) if refusal is None else _refuse(refusal)
