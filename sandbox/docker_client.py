"""One docker client per daemon URL, created lazily, with errors that say what to do."""

from __future__ import annotations

import functools

import docker
import docker.errors
import requests

from sandbox.config import SandboxConfig
from sandbox.errors import SandboxError

__all__ = ["DAEMON_ERRORS", "client_for", "daemon_error"]

API_TIMEOUT_S = 60
# What talking to a daemon that is down, restarting or wedged raises (the SDK does not wrap all).
DAEMON_ERRORS = (docker.errors.DockerException, requests.RequestException, OSError, TimeoutError)


@functools.cache
def _client(url: str | None) -> docker.DockerClient:
    if url is None:
        return docker.from_env(timeout=API_TIMEOUT_S)
    return docker.DockerClient(base_url=url, timeout=API_TIMEOUT_S)


def client_for(config: SandboxConfig) -> docker.DockerClient:
    try:
        return _client(config.docker_url)
    except docker.errors.DockerException as exc:
        raise daemon_error(config, exc) from exc


def daemon_error(config: SandboxConfig, exc: BaseException) -> SandboxError:
    """A SandboxError that tells a daemon that refused (and why) from one that is not there."""
    if isinstance(exc, docker.errors.APIError):
        why = exc.explanation or str(exc)
        hint = " (gVisor: check the runsc entry in /etc/docker/daemon.json)" if "runtime" in str(why) else ""
        return SandboxError(f"docker refused to run a sandbox container: {str(why)[:400]}{hint}")
    where = config.docker_url or "DOCKER_HOST or unix:///var/run/docker.sock"
    return SandboxError(
        f"docker daemon unreachable at {where} ({type(exc).__name__}: {str(exc)[:200]}); "
        "is dockerd running (`systemctl start docker`) and the socket readable?"
    )
