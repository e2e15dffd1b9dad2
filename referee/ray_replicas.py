"""N referee replicas on a Ray cluster: one actor per replica, each owning a `referee serve`.

    referee ray --replicas 4            # on a node of a running cluster (`ray start ...`)

or from Python, beside the trainer that already runs on the cluster:

    replicas = start_replicas(4)                        # spread over the cluster's nodes
    client = RefereeClient(replicas.target)             # "ipv4:10.0.0.2:41233,10.0.0.3:39811,..."
    ...; replicas.stop()

The client spreads groups over every replica (gRPC round_robin, health-checked) and retries a
call cut off by a lost replica on another one (UNAVAILABLE is retried). A replica's server
is a child of its actor and gets SIGTERM when the actor dies, however it dies, so it drains
and removes its sandbox containers. Ray is an optional extra (`referee[ray]`); the server never
imports it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Mapping, Sequence
from typing import Any

import ray
from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy

from referee.process import ServerProcess

__all__ = ["Replica", "Replicas", "start_replicas"]


class Replica:
    """A Ray actor owning one `referee serve` bound to its node's address."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], host: str | None) -> None:
        bind = host or ray.util.get_node_ip_address()
        self.server = ServerProcess("--host", bind, *args, env=env, die_with_parent=True)

    def addresses(self) -> dict[str, str | int | None]:
        return {"target": self.server.target, "http_url": self.server.http_url,
                "metrics_url": self.server.metrics_url, "pid": self.server.pid,
                "node_id": ray.get_runtime_context().get_node_id()}  # fmt: skip

    def stop(self) -> int:
        return self.server.stop()


@dataclasses.dataclass
class Replicas:
    actors: list[Any]  # ray.actor.ActorHandle of Replica
    addresses: list[dict[str, Any]]
    placement_group: Any

    @property
    def target(self) -> str:
        """Every replica, for RefereeClient / AsyncRefereeClient."""
        return "ipv4:" + ",".join(a["target"] for a in self.addresses)

    @property
    def http_urls(self) -> list[str]:
        return [a["http_url"] for a in self.addresses if a["http_url"]]

    def stop(self, timeout_s: float = 90) -> None:
        """Drain every replica still alive, then release the actors and their placement."""
        pending = [a.stop.remote() for a in self.actors]
        deadline = time.monotonic() + timeout_s
        for ref in pending:
            # A replica already lost: its server got SIGTERM when its actor died.
            with contextlib.suppress(ray.exceptions.RayActorError, ray.exceptions.GetTimeoutError):
                ray.get(ref, timeout=max(1.0, deadline - time.monotonic()))
        for a in self.actors:
            ray.kill(a)
        ray.util.remove_placement_group(self.placement_group)


def start_replicas(
    n: int,
    *,
    serve_args: Sequence[str] = ("--http-port", "0"),
    env: Mapping[str, str] | None = None,
    cpus_per_replica: float = 1.0,
    host: str | None = None,
    strategy: str = "SPREAD",
) -> Replicas:
    """Start `n` replicas, one per bundle of a placement group (`SPREAD`: over distinct nodes
    where the cluster has them), and return once every one is serving. `host` overrides the
    bind address (default: each node's IP as Ray knows it)."""
    if n < 1:
        raise ValueError(f"n: at least one replica, got {n}")
    # An actor's environment is its raylet's, not ours: the settings travel explicitly.
    env = {k: v for k, v in os.environ.items() if k.startswith("REFEREE_")} | dict(env or {})
    pg = ray.util.placement_group([{"CPU": cpus_per_replica}] * n, strategy=strategy)
    ray.get(pg.ready(), timeout=300)
    actor: Any = ray.remote(num_cpus=cpus_per_replica, max_restarts=0)(Replica)
    actors: list[Any] = [
        actor.options(
            scheduling_strategy=PlacementGroupSchedulingStrategy(pg, placement_group_bundle_index=i)
        ).remote(list(serve_args), env, host)
        for i in range(n)
    ]
    addresses: list[dict[str, Any]] = ray.get([a.addresses.remote() for a in actors], timeout=600)
    return Replicas(actors, addresses, pg)
