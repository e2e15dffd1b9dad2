"""`referee doctor`'s sandbox checks: is everything in place to run programs safely?"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import docker.errors

from sandbox.config import SandboxConfig
from sandbox.container import OWNER_LABEL, owner_label
from sandbox.docker_client import client_for
from sandbox.image import package_versions
from sandbox.languages import LANGUAGES

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
        return [
            Check(
                "docker daemon",
                False,
                f"unreachable: {exc}"[:300],
                "start dockerd (`systemctl start docker`) and make its socket readable",
            )
        ]
    checks = [
        Check(
            "docker daemon", True, f"version {info.get('ServerVersion')}, cgroup v{info.get('CgroupVersion')}"
        )
    ]
    runtimes = sorted(info.get("Runtimes", {}))
    known = config.runtime in runtimes
    checks.append(
        Check(
            f"runtime {config.runtime}",
            known,
            f"configured runtimes: {', '.join(runtimes)}",
            "" if known else f"register {config.runtime} in /etc/docker/daemon.json (gVisor: runsc)",
        )
    )
    try:
        image = client.images.get(config.image)
        checks.append(Check("sandbox image", True, f"{config.image} ({image.attrs.get('Size', 0) >> 20} MB)"))
    except docker.errors.ImageNotFound:
        checks.append(
            Check("sandbox image", False, f"{config.image} is missing", "run `referee sandbox build`")
        )
        return checks
    except docker.errors.DockerException as exc:
        checks.append(Check("sandbox image", False, str(exc)[:300], "check the daemon"))
        return checks
    checks.append(_smoke_run(client, config))
    checks.append(_languages(config))
    return checks


def _languages(config: SandboxConfig) -> Check:
    """The registry's languages with the versions the image's build recorded."""
    versions = package_versions(config)
    listed = [f"{lang.name} {versions.get(lang.packages[0], '?')}" for lang in LANGUAGES]
    missing = [lang.name for lang in LANGUAGES if lang.packages and lang.packages[0] not in versions]
    if not versions:
        return Check(
            "languages", True, f"{', '.join(lang.name for lang in LANGUAGES)} (versions not recorded)"
        )
    fix = "run `referee sandbox build --force`" if missing else ""
    detail = ", ".join(listed) + (f"; missing: {', '.join(missing)}" if missing else "")
    return Check("languages", not missing, detail, fix)


def _smoke_run(client: docker.DockerClient, config: SandboxConfig) -> Check:
    """One throw-away container with the production runtime and no network: does it really run?"""
    name = f"sandbox run ({config.runtime})"
    container = None
    try:
        container = client.containers.create(
            config.image,
            ["/usr/bin/python3", "-c", "print(6 * 7)"],
            runtime=config.runtime,
            network_mode="none",
            cap_drop=["ALL"],
            read_only=True,
            labels={"referee": "1", "referee.doctor": "1", OWNER_LABEL: owner_label()},
        )
        container.start()
        container.wait(timeout=60)
        out = container.logs()
    except Exception as exc:  # doctor never raises: every failure is a finding
        fix = (
            'add "runtimeArgs": ["--network=none"] to runsc in /etc/docker/daemon.json, then `kill -HUP` dockerd'
            if "network" in str(exc) and config.runtime == "runsc"
            else "see the daemon log"
        )
        return Check(name, False, str(exc)[:300], fix)
    finally:
        if container is not None:
            with contextlib.suppress(docker.errors.DockerException):
                container.remove(force=True)
    return Check(name, out == b"42\n", f"printed {out[:40]!r}")
