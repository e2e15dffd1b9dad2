"""Prometheus metrics (prometheus-client), one registry per server.

A registry per server rather than the global default, so tests and several servers in
one process never share counters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from rewards.types import RewardResult

__all__ = ["Metrics"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "referee_requests",
            "RPCs answered, by method and gRPC status code",
            ["method", "code"],
            registry=r,
        )
        self.request_seconds = Histogram(
            "referee_request_seconds", "RPC latency", ["method"], buckets=_LATENCY_BUCKETS, registry=r
        )
        self.in_flight = Gauge("referee_in_flight_requests", "requests being scored now", registry=r)
        self.samples = Counter("referee_samples", "samples scored", registry=r)
        self.reward_seconds = Histogram(
            "referee_reward_seconds",
            "time one reward took over one request's samples",
            ["reward"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.reward_results = Counter(
            "referee_reward_results", "reward values produced, by status (TIMEOUT, SANDBOX_ERROR, …)",
            ["reward", "status"], registry=r,
        )  # fmt: skip

    def observe_reward(self, name: str, seconds: float, results: Sequence[RewardResult]) -> None:
        self.reward_seconds.labels(name).observe(seconds)
        for result in results:
            self.reward_results.labels(name, str(result.status)).inc()

    def gauge(self, name: str, documentation: str, read: Callable[[], float]) -> None:
        """A gauge read at scrape time (queue depths, pool sizes owned by other packages)."""
        Gauge(name, documentation, registry=self.registry).set_function(read)

    def serve(self, host: str, port: int) -> int:
        """Expose /metrics over HTTP; returns the bound port."""
        server, _thread = start_http_server(port, addr=host, registry=self.registry)
        return int(server.server_port)
