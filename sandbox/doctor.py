"""`referee doctor`'s sandbox checks: is everything in place to run programs safely?"""

from __future__ import annotations

from dataclasses import dataclass

import docker.errors

from sandbox.config import SandboxConfig
from sandbox.docker_client import client_for

__all__ = ["Check", "doctor"]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def doctor(config: SandboxConfig) -> list[Check]:
    """Daemon reachable, runtime configured, image present. Never raises."""
    try:
        client = client_for(config)
        info = client.info()
    except Exception as exc:
        return [Check("docker daemon", False, f"unreachable: {exc}"[:300],
                      "start dockerd (`systemctl start docker`) and make its socket readable")]
    checks = [Check("docker daemon", True, f"version {info.get('ServerVersion')}, cgroup v{info.get('CgroupVersion')}")]
    runtimes = sorted(info.get("Runtimes", {}))
    checks.append(Check(f"runtime {config.runtime}", config.runtime in runtimes, f"configured runtimes: {', '.join(runtimes)}",
                        "install gVisor and register runsc in /etc/docker/daemon.json" if config.runtime == "runsc" else ""))
    try:
        image = client.images.get(config.image)
        checks.append(Check("sandbox image", True, f"{config.image} ({image.attrs.get('Size', 0) >> 20} MB)"))
    except docker.errors.ImageNotFound:
        checks.append(Check("sandbox image", False, f"{config.image} is missing", "run `referee sandbox build`"))
    except docker.errors.DockerException as exc:
        checks.append(Check("sandbox image", False, str(exc)[:300], "check the daemon"))
    return checks
