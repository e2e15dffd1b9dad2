"""The HTTP server (aiohttp, on the gRPC server's event loop) and what every request goes
through: the token check, the body-size cap (aiohttp refuses a body by its size before it is
parsed), domain errors as JSON status codes, and the request's metrics and one log line."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from referee.auth import basic_as_bearer, check_bearer
from referee.http import openrlhf, sandbox_fusion
from referee.http.common import SERVICE, http_error
from referee.service import RETRY_AFTER_MS, Overloaded, Service
from rewards import InvalidRequest
from sandbox import InvalidSpec

__all__ = ["HttpFace"]

log = logging.getLogger("referee.http")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_OPEN_PATHS = ("/health",)  # load balancers' probes send no token


def _refusal(exc: Exception) -> web.HTTPException | None:
    """The HTTP answer to a domain error; None for a bug."""
    if isinstance(exc, web.HTTPException):
        if exc.status == 413:  # aiohttp's own, plain-text refusal of an oversized body
            return http_error(413, f"the body is over the server's max_message_mb: {exc.text}")
        return exc
    if isinstance(exc, InvalidRequest | InvalidSpec):
        return http_error(422, str(exc))
    if isinstance(exc, Overloaded):
        return http_error(429, str(exc), **{"Retry-After": str(max(1, RETRY_AFTER_MS // 1000))})
    if isinstance(exc, TimeoutError):
        return http_error(504, "scoring exceeded server.request_timeout_s")
    return None


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    service = request.app[SERVICE]
    start, status = time.perf_counter(), 500
    try:
        token = service.limits.token
        if token is not None and request.path not in _OPEN_PATHS:
            refused = check_bearer(
                basic_as_bearer(request.headers.get("Authorization")), token.get_secret_value()
            )
            if refused is not None:
                raise http_error(401, refused)
        response = await handler(request)
        status = response.status
        return response
    except Exception as exc:
        refusal = _refusal(exc)
        if refusal is None:
            log.exception("http %s %s: internal error", request.method, request.path)
            refusal = http_error(500, "internal error: a server bug; its log has the traceback")
        status = refusal.status
        raise refusal from None
    finally:
        service.record(f"http:{request.path}", str(status), time.perf_counter() - start, str(request.remote))


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "SERVING"})


class HttpFace:
    """The HTTP endpoints on one port, calling the same `service` as the gRPC face."""

    def __init__(self, runner: web.AppRunner, port: int) -> None:
        self._runner = runner
        self.port = port

    @classmethod
    async def start(cls, service: Service, host: str, port: int) -> HttpFace:
        app = web.Application(middlewares=[_guard], client_max_size=service.limits.max_message_mb << 20)
        app[SERVICE] = service
        app.router.add_get("/health", _health)
        app.router.add_post("/run_code", sandbox_fusion.run_code)
        app.router.add_post("/get_reward", openrlhf.get_reward)
        runner = web.AppRunner(app, access_log=None)  # _guard writes each request's line
        await runner.setup()
        site = web.TCPSite(runner, host, port, shutdown_timeout=service.limits.grace_s)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        return cls(runner, int(runner.addresses[0][1]))

    async def stop(self) -> None:
        """Stop accepting; requests in flight get `server.grace_s` to finish."""
        await self._runner.cleanup()
