"""Python clients for a referee server: `RefereeClient` (blocking) and `AsyncRefereeClient`.

    with RefereeClient("127.0.0.1:50051") as client:
        [result] = client.score(
            [{"id": "a", "prompt": "1/2 as a decimal?", "completion": r"\\boxed{0.5}", "math": {"gold": "1/2"}}],
            rewards=["accuracy"],
        )
        result.total, result.rewards["accuracy"].detail

Every call has a deadline (TRL awaits reward functions with none, so ours must).
Retries on UNAVAILABLE use gRPC's own retry policy (service config), with exponential
backoff; after the last attempt a `RefereeUnavailable` names the address. An overloaded
server's RESOURCE_EXHAUSTED carries a `retry-after-ms` hint: the call waits that long (doubled
per attempt, with jitter) and tries again, up to `retries` times within its deadline. Samples are
`rewards.Sample` objects or dicts in the API's JSON shape; results are `rewards.SampleResult`.
For a remote server started with a token and TLS: `RefereeClient(target, token=…, tls_ca_file=…)`.
The connection settings are one typed object, `ClientSettings` (what the trainer's config, TRL's
and verl's adapters hold): `ClientSettings(target=…, token_file=…).client()`.

Sessions (stateful Python for tool-integrated reasoning), closed on leaving the block:

    with client.session(timeout_ms=2000) as s:
        s.run("x = 6 * 7")
        s.run("x").value           # '42'

    RefereeError
    ├── RefereeUnavailable   the server cannot be reached (after retries)
    └── RequestRejected      the server refused the request (INVALID_ARGUMENT, RESOURCE_EXHAUSTED, …)
        └── SessionNotFound  NOT_FOUND: the session was never made, is closed, or expired
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from pydantic import BaseModel, ConfigDict, Field

from referee.auth import bearer
from referee.convert import (
    cell_result_from_proto,
    sample_from_json,
    sample_result_from_proto,
    sample_to_proto,
    session_info_from_proto,
    spec_from_json,
    specs_to_proto,
)
from referee.v1 import referee_pb2 as pb
from referee.v1 import referee_pb2_grpc as pb_grpc
from rewards.compose import RewardSpec
from rewards.types import Sample, SampleResult
from sandbox.types import CellResult, SessionInfo

__all__ = [
    "AsyncRefereeClient",
    "AsyncSession",
    "ClientSettings",
    "RefereeClient",
    "RefereeError",
    "RefereeUnavailable",
    "RequestRejected",
    "Session",
    "SessionNotFound",
]

DEFAULT_TARGET = "127.0.0.1:50051"
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_RETRIES = 4
SampleLike = Sample | Mapping[str, Any]
SpecLike = RewardSpec | str | Mapping[str, Any]


class RefereeError(Exception):
    """Base of the client's exceptions; `code` is the gRPC status code."""

    def __init__(self, message: str, code: grpc.StatusCode | None = None) -> None:
        super().__init__(message)
        self.code = code


class RefereeUnavailable(RefereeError):
    pass


class RequestRejected(RefereeError):
    pass


class SessionNotFound(RequestRejected):
    pass


def _channel_options(retries: int, max_message_mb: int) -> list[tuple[str, Any]]:
    service_config = {
        "methodConfig": [
            {
                "name": [{"service": "referee.v1.RewardService"}],
                "retryPolicy": {
                    "maxAttempts": max(2, min(retries + 1, 5)),  # gRPC caps attempts at 5
                    "initialBackoff": "0.2s",
                    "maxBackoff": "5s",
                    "backoffMultiplier": 2.5,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ],
        "loadBalancingConfig": [{"round_robin": {}}],
        # With several endpoints, calls go only to replicas whose health says SERVING.
        "healthCheckConfig": {"serviceName": "referee.v1.RewardService"},
    }
    size = max_message_mb * 1024 * 1024
    return [
        ("grpc.service_config", json.dumps(service_config)),
        ("grpc.enable_retries", 1),
        ("grpc.max_receive_message_length", size),
        ("grpc.max_send_message_length", size),
    ]


def _to_sample(s: SampleLike) -> pb.Sample:
    return sample_to_proto(s) if isinstance(s, Sample) else sample_from_json(s)


def score_request(
    samples: Sequence[SampleLike], rewards: Sequence[SpecLike], request_id: str = ""
) -> pb.ScoreRequest:
    return pb.ScoreRequest(
        request_id=request_id,
        samples=[_to_sample(s) for s in samples],
        rewards=specs_to_proto([spec_from_json(r) for r in rewards]),
    )


def execute_request(
    language: str,
    source: str,
    stdin: str = "",
    files: Mapping[str, str] | None = None,
    timeout_ms: int = 0,
    memory_mb: int = 0,
) -> pb.ExecuteRequest:
    return pb.ExecuteRequest(
        language=language,
        source=source,
        stdin=stdin,
        files=dict(files or {}),
        limits=pb.Limits(timeout_ms=timeout_ms, memory_mb=memory_mb),
    )


def create_session_request(
    language: str = "python", timeout_ms: int = 0, memory_mb: int = 0, idle_ttl_s: int = 0
) -> pb.CreateSessionRequest:
    return pb.CreateSessionRequest(
        language=language,
        limits=pb.Limits(timeout_ms=timeout_ms, memory_mb=memory_mb),
        idle_ttl_s=idle_ttl_s,
    )


def _endpoints(target: str) -> list[str]:
    """The addresses of a multi-endpoint target ("ipv4:a:1,b:2"); [target] for one address."""
    scheme, sep, rest = target.partition(":")
    if scheme in ("ipv4", "ipv6") and sep and "," in rest:
        return [f"{scheme}:{address}" for address in rest.split(",")]
    return [target]


def _retry_after_s(exc: grpc.RpcError) -> float | None:
    """The server's `retry-after-ms` hint on an overload (RESOURCE_EXHAUSTED), in seconds."""
    if exc.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
        return None
    for key, value in exc.trailing_metadata() or ():
        if key == "retry-after-ms":
            with contextlib.suppress(ValueError):
                return max(0.0, int(value) / 1000)
    return None


def _backoff_s(hint_s: float, attempt: int) -> float:
    """The hint, doubled per earlier attempt, with jitter so that rejected clients spread out."""
    return min(hint_s * 2**attempt, 10.0) * random.uniform(1.0, 1.5)


def _translate(exc: grpc.RpcError, target: str) -> RefereeError:
    code, details = exc.code(), exc.details()
    if code == grpc.StatusCode.UNAVAILABLE:
        return RefereeUnavailable(f"referee at {target} is unavailable after retries: {details}", code)
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return RefereeError(f"referee at {target} did not answer within the deadline: {details}", code)
    if code == grpc.StatusCode.NOT_FOUND:
        return SessionNotFound(f"{code.name}: {details}", code)
    return RequestRejected(f"{code.name}: {details}", code)


class _Base:
    _grpc: Any = grpc  # the module that makes channels: grpc or grpc.aio

    def __init__(
        self,
        target: str = DEFAULT_TARGET,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retries: int = DEFAULT_RETRIES,
        max_message_mb: int = 64,
        token: str | None = None,
        tls_ca_file: str | Path | None = None,
    ) -> None:
        if "," in target and not target.startswith(("ipv4:", "ipv6:", "dns:")):
            target = "ipv4:" + target  # several endpoints: let gRPC's round_robin spread the calls
        self.target = target
        self.timeout_s = timeout_s
        self.retries = retries  # also for RESOURCE_EXHAUSTED with a retry-after-ms hint
        self.metadata = bearer(token) if token else ()
        self._options = _channel_options(retries, max_message_mb)
        self._credentials = (
            None if tls_ca_file is None else grpc.ssl_channel_credentials(Path(tls_ca_file).read_bytes())
        )
        self._channel = self._open(target)
        self._stub = pb_grpc.RewardServiceStub(self._channel)
        # A session lives on one replica: its calls go to one endpoint, never round-robin.
        self._replicas = _endpoints(target)
        self._replica_channels: dict[str, Any] = {}
        self._next_replica = 0

    def _open(self, target: str) -> Any:
        if self._credentials is None:
            return self._grpc.insecure_channel(target, options=self._options)
        return self._grpc.secure_channel(target, self._credentials, options=self._options)

    def _session_stub(self) -> Any:
        """The stub a new session's calls use: the client's own with one endpoint; with several,
        a channel to one of them, taken in turn, so sessions spread over replicas."""
        if len(self._replicas) == 1:
            return self._stub
        endpoint = self._replicas[self._next_replica % len(self._replicas)]
        self._next_replica += 1
        if endpoint not in self._replica_channels:
            self._replica_channels[endpoint] = self._open(endpoint)
        return pb_grpc.RewardServiceStub(self._replica_channels[endpoint])


class RefereeClient(_Base):
    """Blocking client. Thread-safe: one client can serve many threads."""

    def __enter__(self) -> RefereeClient:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        for channel in (self._channel, *self._replica_channels.values()):
            channel.close()

    def _call(self, method: Any, request: Any, timeout_s: float | None) -> Any:
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        for attempt in range(self.retries + 1):
            try:
                return method(
                    request, timeout=max(0.001, deadline - time.monotonic()), metadata=self.metadata
                )
            except grpc.RpcError as exc:
                hint = _retry_after_s(exc)
                wait = None if hint is None else _backoff_s(hint, attempt)
                if wait is None or attempt == self.retries or time.monotonic() + wait >= deadline:
                    raise _translate(exc, self.target) from None
                time.sleep(wait)  # an overloaded server asked us to come back later
        raise AssertionError("unreachable")

    def score(
        self, samples: Sequence[SampleLike], rewards: Sequence[SpecLike], *, timeout_s: float | None = None
    ) -> list[SampleResult]:
        response = self._call(self._stub.Score, score_request(samples, rewards), timeout_s)
        return [sample_result_from_proto(r) for r in response.results]

    def execute(
        self, language: str, source: str, *, timeout_s: float | None = None, **kw: Any
    ) -> pb.ExecuteResponse:
        return self._call(self._stub.Execute, execute_request(language, source, **kw), timeout_s)

    def list_rewards(self) -> list[pb.RewardInfo]:
        return list(self._call(self._stub.ListRewards, pb.ListRewardsRequest(), None).rewards)

    def list_languages(self) -> list[pb.LanguageInfo]:
        return list(self._call(self._stub.ListLanguages, pb.ListLanguagesRequest(), None).languages)

    def session(
        self, language: str = "python", *, timeout_ms: int = 0, memory_mb: int = 0, idle_ttl_s: int = 0
    ) -> Session:
        """A new session (created now), closed when its `with` block ends; zero limits take the
        server's defaults."""
        stub = self._session_stub()
        request = create_session_request(language, timeout_ms, memory_mb, idle_ttl_s)
        info = session_info_from_proto(language, self._call(stub.CreateSession, request, None))
        return Session(self, stub, info)


class Session:
    """One session of a `RefereeClient`: `run(code)` cells, `close()` (also on leaving `with`)."""

    def __init__(self, client: RefereeClient, stub: Any, info: SessionInfo) -> None:
        self.client, self.info, self._stub = client, info, stub

    @property
    def id(self) -> str:
        return self.info.id

    def run(self, code: str, *, timeout_ms: int = 0, timeout_s: float | None = None) -> CellResult:
        request = pb.RunCellRequest(session_id=self.id, code=code, timeout_ms=timeout_ms)
        return cell_result_from_proto(self.client._call(self._stub.RunCell, request, timeout_s))

    def close(self) -> None:
        """Close the session; one already gone (expired, closed) is not an error here."""
        with contextlib.suppress(SessionNotFound):
            self.client._call(self._stub.CloseSession, pb.CloseSessionRequest(session_id=self.id), None)

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncRefereeClient(_Base):
    """asyncio client; create it inside the event loop that uses it."""

    _grpc = grpc.aio

    async def __aenter__(self) -> AsyncRefereeClient:
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        for channel in (self._channel, *self._replica_channels.values()):
            await channel.close()

    async def _call(self, method: Any, request: Any, timeout_s: float | None) -> Any:
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        for attempt in range(self.retries + 1):
            try:
                timeout = max(0.001, deadline - time.monotonic())
                return await method(request, timeout=timeout, metadata=self.metadata)
            except grpc.RpcError as exc:
                hint = _retry_after_s(exc)
                wait = None if hint is None else _backoff_s(hint, attempt)
                if wait is None or attempt == self.retries or time.monotonic() + wait >= deadline:
                    raise _translate(exc, self.target) from None
                await asyncio.sleep(wait)  # an overloaded server asked us to come back later
        raise AssertionError("unreachable")

    async def score(
        self, samples: Sequence[SampleLike], rewards: Sequence[SpecLike], *, timeout_s: float | None = None
    ) -> list[SampleResult]:
        response = await self._call(self._stub.Score, score_request(samples, rewards), timeout_s)
        return [sample_result_from_proto(r) for r in response.results]

    async def execute(
        self, language: str, source: str, *, timeout_s: float | None = None, **kw: Any
    ) -> pb.ExecuteResponse:
        return await self._call(self._stub.Execute, execute_request(language, source, **kw), timeout_s)

    async def list_rewards(self) -> list[pb.RewardInfo]:
        return list((await self._call(self._stub.ListRewards, pb.ListRewardsRequest(), None)).rewards)

    async def list_languages(self) -> list[pb.LanguageInfo]:
        return list((await self._call(self._stub.ListLanguages, pb.ListLanguagesRequest(), None)).languages)

    def session(
        self, language: str = "python", *, timeout_ms: int = 0, memory_mb: int = 0, idle_ttl_s: int = 0
    ) -> AsyncSession:
        """A session, created on entering `async with client.session() as s:` (or by
        `await s.start()`), closed on leaving it; zero limits take the server's defaults."""
        request = create_session_request(language, timeout_ms, memory_mb, idle_ttl_s)
        return AsyncSession(self, self._session_stub(), request)


class AsyncSession:
    """One session of an `AsyncRefereeClient`: `await run(code)`, `await close()`."""

    def __init__(self, client: AsyncRefereeClient, stub: Any, request: pb.CreateSessionRequest) -> None:
        self.client, self._stub, self._request = client, stub, request
        self.info: SessionInfo | None = None

    @property
    def id(self) -> str:
        if self.info is None:
            raise RuntimeError("the session is not started: `async with` it, or `await start()`")
        return self.info.id

    async def start(self) -> AsyncSession:
        if self.info is None:
            reply = await self.client._call(self._stub.CreateSession, self._request, None)
            self.info = session_info_from_proto(self._request.language, reply)
        return self

    async def run(self, code: str, *, timeout_ms: int = 0, timeout_s: float | None = None) -> CellResult:
        request = pb.RunCellRequest(session_id=(await self.start()).id, code=code, timeout_ms=timeout_ms)
        return cell_result_from_proto(await self.client._call(self._stub.RunCell, request, timeout_s))

    async def close(self) -> None:
        """Close the session; one never started or already gone (expired, closed) is no error."""
        if self.info is None:
            return
        with contextlib.suppress(SessionNotFound):
            request = pb.CloseSessionRequest(session_id=self.info.id)
            await self.client._call(self._stub.CloseSession, request, None)

    async def __aenter__(self) -> AsyncSession:
        return await self.start()

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


class ClientSettings(BaseModel):
    """How to reach a referee server: the one definition of the client's connection settings."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(
        DEFAULT_TARGET, description="HOST:PORT of the referee server (comma-separated for several)"
    )
    timeout_s: float = Field(DEFAULT_TIMEOUT_S, gt=0, description="deadline of one call")
    retries: int = Field(DEFAULT_RETRIES, ge=0, description="retries on UNAVAILABLE and RESOURCE_EXHAUSTED")
    token_file: Path | None = Field(
        None, description="file holding the bearer token of a server started with one"
    )
    tls_ca_file: Path | None = Field(None, description="CA certificate of a TLS server; None = plaintext")

    def _kwargs(self) -> dict[str, Any]:
        token = self.token_file.read_text().strip() if self.token_file else None
        return {
            "timeout_s": self.timeout_s,
            "retries": self.retries,
            "token": token,
            "tls_ca_file": self.tls_ca_file,
        }

    def client(self) -> RefereeClient:
        return RefereeClient(self.target, **self._kwargs())

    def async_client(self) -> AsyncRefereeClient:
        """An async client; its channel belongs to the running event loop."""
        return AsyncRefereeClient(self.target, **self._kwargs())
