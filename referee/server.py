"""The gRPC face: thin adapters from protobuf to the engine and back.

    request -> convert (validate, name the bad field) -> Engine -> convert -> response

Domain errors map to status codes here and nowhere else: `InvalidRequest` and
`InvalidSpec` from the sandbox become INVALID_ARGUMENT, and so do bytes that are not the
method's request message (`_Undecodable`); anything else is INTERNAL; more concurrent requests than
`server.max_concurrent_requests` become RESOURCE_EXHAUSTED instead of a queue that
grows without bound.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import grpc
from google.protobuf.message import DecodeError
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from referee.auth import TokenInterceptor
from referee.config import Settings
from referee.convert import (
    cell_result_to_proto,
    execute_result_to_proto,
    reward_info_to_proto,
    sample_from_proto,
    sample_result_to_proto,
    session_info_to_proto,
    specs_from_proto,
)
from referee.engine import Engine
from referee.http import HttpFace
from referee.metrics import Metrics
from referee.service import RETRY_AFTER_MS, Overloaded, Service
from referee.v1 import referee_pb2 as pb
from referee.v1 import referee_pb2_grpc as pb_grpc
from rewards import InvalidRequest, Sample, all_rewards
from rewards.compose import RewardSpec
from sandbox import ExecuteSpec, InvalidSpec, SandboxError, SessionNotFound, SessionSpec, TooManySessions
from sandbox.image import package_versions
from sandbox.languages import LANGUAGES

__all__ = ["RewardServicer", "Running", "serve", "start_server"]

log = logging.getLogger("referee.server")
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["RewardService"].full_name
T = TypeVar("T")


class _Undecodable:
    """A request whose bytes are not the method's message. Decoding never raises (gRPC would
    answer UNKNOWN); the method refuses this as INVALID_ARGUMENT, naming itself."""

    def __init__(self, message: type, exc: DecodeError) -> None:
        self.why = f"the request is not a valid {message.DESCRIPTOR.full_name}: {exc}"  # type: ignore[attr-defined]


def _decoder(message: type) -> Callable[[bytes], object]:
    def decode(data: bytes) -> object:
        try:
            return message.FromString(data)  # type: ignore[attr-defined]
        except DecodeError as exc:
            return _Undecodable(message, exc)

    return decode


def _service_handler(servicer: RewardServicer) -> grpc.GenericRpcHandler:
    """What the generated `add_RewardServiceServicer_to_server` registers, from the service
    descriptor, with requests decoded by `_decoder`."""
    service = pb.DESCRIPTOR.services_by_name["RewardService"]
    handlers = {}
    for method in service.methods:
        make = {
            (False, False): grpc.unary_unary_rpc_method_handler,
            (False, True): grpc.unary_stream_rpc_method_handler,
            (True, False): grpc.stream_unary_rpc_method_handler,
            (True, True): grpc.stream_stream_rpc_method_handler,
        }[(method.client_streaming, method.server_streaming)]
        handlers[method.name] = make(
            getattr(servicer, method.name),
            request_deserializer=_decoder(getattr(pb, method.input_type.name)),
            response_serializer=getattr(pb, method.output_type.name).SerializeToString,
        )
    return grpc.method_handlers_generic_handler(service.full_name, handlers)


def _refusal(exc: BaseException) -> tuple[grpc.StatusCode, str] | None:
    """The gRPC status for a domain error: the request's own mistakes (the rewards' and the
    sandbox's request errors), overload, the request deadline. None for anything else: a bug,
    answered INTERNAL with an id the log carries, never "your request is wrong"."""
    if isinstance(exc, InvalidRequest | InvalidSpec):
        return grpc.StatusCode.INVALID_ARGUMENT, str(exc)
    if isinstance(exc, Overloaded | TooManySessions):
        return grpc.StatusCode.RESOURCE_EXHAUSTED, str(exc)
    if isinstance(exc, SessionNotFound):
        return grpc.StatusCode.NOT_FOUND, str(exc)
    if isinstance(exc, SandboxError):  # a session's container could not start: try again later
        return grpc.StatusCode.UNAVAILABLE, str(exc)
    if isinstance(exc, TimeoutError):
        return grpc.StatusCode.DEADLINE_EXCEEDED, "scoring exceeded server.request_timeout_s"
    return None


def _status_of(method: str, exc: BaseException) -> tuple[grpc.StatusCode, str]:
    """The status and message a failed call answers with; a bug is logged with an id first."""
    refusal = _refusal(exc)
    if refusal is not None:
        return refusal
    error_id = uuid.uuid4().hex[:12]
    log.error("rpc method=%s internal error id=%s", method, error_id, exc_info=exc)
    return grpc.StatusCode.INTERNAL, f"internal error {error_id}: a server bug; its log has the traceback"


class RewardServicer(pb_grpc.RewardServiceServicer):
    def __init__(self, service: Service) -> None:
        self.service = service
        self.engine = service.engine

    def _parse_score(self, request: pb.ScoreRequest) -> tuple[list[Sample], list[RewardSpec]]:
        self.service.check_batch(len(request.samples), [len(s.completion) for s in request.samples])
        samples = [sample_from_proto(s, f"samples[{i}]") for i, s in enumerate(request.samples)]
        return samples, specs_from_proto(request.rewards)

    async def _score(self, request: pb.ScoreRequest) -> pb.ScoreResponse:
        results = await self.service.score(*self._parse_score(request))
        return pb.ScoreResponse(
            request_id=request.request_id, results=[sample_result_to_proto(r) for r in results]
        )

    async def _unary(
        self,
        method: str,
        context: grpc.aio.ServicerContext,
        request: object,
        call: Callable[[], Awaitable[T]],
    ) -> T:
        """Run one unary call: metrics, one log line, and domain errors mapped to status codes."""
        start = time.perf_counter()
        code = grpc.StatusCode.OK
        try:
            if isinstance(request, _Undecodable):
                raise InvalidRequest(f"{method}: {request.why}")
            return await call()
        except Exception as exc:
            code, message = _status_of(method, exc)
            hint = (
                (("retry-after-ms", str(RETRY_AFTER_MS)),)
                if code == grpc.StatusCode.RESOURCE_EXHAUSTED
                else ()
            )
            await context.abort(code, message, trailing_metadata=hint)
            raise  # context.abort raises; this keeps type checkers honest
        except asyncio.CancelledError:
            code = grpc.StatusCode.CANCELLED  # client gone or deadline passed: work is dropped
            raise
        finally:
            self._log_rpc(method, code, time.perf_counter() - start, context)

    def _log_rpc(
        self,
        method: str,
        code: grpc.StatusCode,
        seconds: float,
        context: grpc.aio.ServicerContext,
        extra: str = "",
    ) -> None:
        self.service.record(method, code.name, seconds, context.peer(), extra)

    async def Score(self, request: pb.ScoreRequest, context: grpc.aio.ServicerContext) -> pb.ScoreResponse:
        return await self._unary("Score", context, request, lambda: self._score(request))

    async def ScoreStream(
        self, request_iterator: AsyncIterator[pb.ScoreRequest], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[pb.ScoreResponse]:
        done: asyncio.Queue[pb.ScoreResponse | None] = asyncio.Queue()

        async def one(request: pb.ScoreRequest | _Undecodable) -> None:
            try:
                if isinstance(request, _Undecodable):
                    raise InvalidRequest(f"ScoreStream: {request.why}")
                response = await self._score(request)
            except Exception as exc:  # the same mapping as Score's: this request fails, the stream goes on
                _, message = _status_of("ScoreStream", exc)
                request_id = request.request_id if isinstance(request, pb.ScoreRequest) else ""
                response = pb.ScoreResponse(request_id=request_id, error=message)
            await done.put(response)

        async def read_all() -> None:
            try:
                async with asyncio.TaskGroup() as tasks:
                    async for request in request_iterator:
                        tasks.create_task(one(request))
            finally:
                done.put_nowait(None)  # the end marker, also when the reader fails

        reader = asyncio.create_task(read_all())
        start, answered, code = time.perf_counter(), 0, grpc.StatusCode.OK
        try:
            while (response := await done.get()) is not None:
                answered += 1
                yield response
            await reader  # re-raise a failure of the reader
        except asyncio.CancelledError:
            code = grpc.StatusCode.CANCELLED
            raise
        except Exception:
            code = grpc.StatusCode.INTERNAL
            raise
        finally:
            reader.cancel()
            self._log_rpc("ScoreStream", code, time.perf_counter() - start, context, f" responses={answered}")

    async def Execute(
        self, request: pb.ExecuteRequest, context: grpc.aio.ServicerContext
    ) -> pb.ExecuteResponse:
        return await self._unary("Execute", context, request, lambda: self._execute(request))

    async def _execute(self, request: pb.ExecuteRequest) -> pb.ExecuteResponse:
        spec = ExecuteSpec(
            language=request.language,
            source=request.source,
            stdin=request.stdin,
            files=dict(request.files),
            timeout_ms=request.limits.timeout_ms or None,
            memory_mb=request.limits.memory_mb or None,
        )
        return execute_result_to_proto(await self.service.execute(spec))

    async def CreateSession(
        self, request: pb.CreateSessionRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateSessionResponse:
        async def create() -> pb.CreateSessionResponse:
            spec = SessionSpec(
                language=request.language or "python",
                timeout_ms=request.limits.timeout_ms or None,
                memory_mb=request.limits.memory_mb or None,
                idle_ttl_s=request.idle_ttl_s or None,
            )
            return session_info_to_proto(await self.service.create_session(spec))

        return await self._unary("CreateSession", context, request, create)

    async def RunCell(
        self, request: pb.RunCellRequest, context: grpc.aio.ServicerContext
    ) -> pb.RunCellResponse:
        async def run() -> pb.RunCellResponse:
            if not request.session_id:
                raise InvalidRequest("session_id: required")
            result = await self.service.run_cell(request.session_id, request.code, request.timeout_ms or None)
            return cell_result_to_proto(result)

        return await self._unary("RunCell", context, request, run)

    async def CloseSession(
        self, request: pb.CloseSessionRequest, context: grpc.aio.ServicerContext
    ) -> pb.CloseSessionResponse:
        async def close() -> pb.CloseSessionResponse:
            if not request.session_id:
                raise InvalidRequest("session_id: required")
            await self.service.close_session(request.session_id)
            return pb.CloseSessionResponse()

        return await self._unary("CloseSession", context, request, close)

    async def ListRewards(
        self, request: pb.ListRewardsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListRewardsResponse:
        return await self._unary("ListRewards", context, request, self._list_rewards)

    async def _list_rewards(self) -> pb.ListRewardsResponse:
        return pb.ListRewardsResponse(rewards=[reward_info_to_proto(r) for r in all_rewards()])

    async def ListLanguages(
        self, request: pb.ListLanguagesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListLanguagesResponse:
        return await self._unary("ListLanguages", context, request, self._list_languages)

    async def _list_languages(self) -> pb.ListLanguagesResponse:
        versions = await asyncio.to_thread(package_versions, self.engine.settings.sandbox)
        return pb.ListLanguagesResponse(
            languages=[
                pb.LanguageInfo(
                    name=lang.name,
                    aliases=lang.aliases,
                    kind=lang.kind,
                    version=versions.get(lang.packages[0], "") if lang.packages else "",
                    function_tests=lang.function_tests,
                    packages=lang.packages,
                )
                for lang in LANGUAGES
            ]
        )


def _server_options(settings: Settings) -> Sequence[tuple[str, int]]:
    size = settings.server.max_message_mb * 1024 * 1024
    return [("grpc.max_receive_message_length", size), ("grpc.max_send_message_length", size)]


@dataclass
class Running:
    """A started server: its gRPC face, its HTTP face when `server.http_port` is set, and the
    `Service` both call."""

    grpc: grpc.aio.Server
    port: int
    service: Service
    http: HttpFace | None = None

    @property
    def metrics(self) -> Metrics:
        return self.service.metrics

    async def stop(self, grace_s: float | None) -> None:
        """Stop taking calls on both faces; let in-flight ones finish for up to `grace_s`."""
        await asyncio.gather(self.grpc.stop(grace_s), *([self.http.stop()] if self.http else []))


async def start_server(settings: Settings, engine: Engine, *, warm_up: bool = True) -> Running:
    """Start a server on settings.server.host:port (and its HTTP face on http_port, if set).

    Health is NOT_SERVING until the engine has warmed up, then SERVING, so a load
    balancer never sends work to a replica whose pools are still starting.
    """
    service = Service(engine, settings, Metrics())
    cfg = settings.server
    interceptors = [TokenInterceptor(cfg.token.get_secret_value())] if cfg.token else []
    server = grpc.aio.server(options=_server_options(settings), interceptors=interceptors)
    server.add_generic_rpc_handlers((_service_handler(RewardServicer(service)),))
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection((SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
    address = f"{cfg.host}:{cfg.port}"
    if cfg.tls_cert_file and cfg.tls_key_file:
        credentials = grpc.ssl_server_credentials(
            [(cfg.tls_key_file.read_bytes(), cfg.tls_cert_file.read_bytes())]
        )
        port = server.add_secure_port(address, credentials)
    else:
        port = server.add_insecure_port(address)
    if cfg.host not in ("127.0.0.1", "::1", "localhost") and not cfg.token:
        log.warning(
            "serving on %s without a token: anyone who reaches it can run code in your sandbox", address
        )
    if port == 0:
        raise OSError(f"cannot bind {address}")
    for name in ("", SERVICE_NAME):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
    await server.start()
    running = Running(server, port, service)
    if cfg.http_port is not None:
        try:
            running.http = await HttpFace.start(service, cfg.host, cfg.http_port)
        except OSError as exc:
            await server.stop(0)
            raise PortInUse(
                f"the HTTP port {cfg.host}:{cfg.http_port} cannot be bound ({exc.strerror}): choose "
                "another with --http-port PORT (0: any free port)"
            ) from None
    if warm_up:
        await engine.warm_up()
    for name in ("", SERVICE_NAME):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return running


class PortInUse(Exception):
    """A port the server was told to bind is taken; the message says how to choose another."""


async def serve(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM, then drain in-flight requests and remove every container."""
    async with Engine(settings) as engine:
        running = await start_server(settings, engine)
        host = settings.server.host
        print(f"referee serving on {host}:{running.port}", flush=True)
        if running.http is not None:
            print(f"http on http://{host}:{running.http.port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            if settings.server.metrics_port is not None:
                wanted = settings.server.metrics_port
                try:
                    metrics_port = running.metrics.serve(host, wanted)
                except OSError as exc:
                    raise PortInUse(
                        f"the metrics port {host}:{wanted} cannot be bound ({exc.strerror}): choose another "
                        "with --metrics-port PORT (0: any free port), or --metrics-port off"
                    ) from None
                print(f"metrics on http://{host}:{metrics_port}/metrics", flush=True)
            await stop.wait()
        finally:
            log.info("shutting down: draining in-flight requests for up to %.0f s", settings.server.grace_s)
            await running.stop(settings.server.grace_s)
