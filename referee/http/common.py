"""What the HTTP endpoints share: the service they call, and reading a body as a model."""

from __future__ import annotations

import json
from typing import Any, TypeVar

import pydantic
from aiohttp import web

from referee.service import Service

__all__ = ["SERVICE", "http_error", "read_json"]

SERVICE = web.AppKey("service", Service)
M = TypeVar("M", bound=pydantic.BaseModel)


def http_error(status: int, message: str, **headers: str) -> web.HTTPException:
    """An error answered as `{"detail": message}` (FastAPI's shape, which these protocols' own
    servers answer with)."""
    kinds: dict[int, type[web.HTTPException]] = {
        400: web.HTTPBadRequest,
        401: web.HTTPUnauthorized,
        422: web.HTTPUnprocessableEntity,
        429: web.HTTPTooManyRequests,
        504: web.HTTPGatewayTimeout,
    }
    body: dict[str, Any] = {"text": json.dumps({"detail": message}), "content_type": "application/json"}
    if status == 413:
        return web.HTTPRequestEntityTooLarge(0, 0, **body)
    return kinds.get(status, web.HTTPInternalServerError)(headers=headers, **body)


async def read_json(request: web.Request, model: type[M]) -> M:
    """The body as `model`; 400 when it is not JSON, 422 naming the first bad field."""
    try:
        body = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError) as exc:
        raise http_error(400, f"the body is not JSON: {exc}") from None
    try:
        return model.model_validate(body)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise http_error(422, f"{where}: {first['msg']}") from None
