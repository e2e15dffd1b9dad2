"""deploy/: the k8s manifests against the Kubernetes API schemas, and compose and k8s saying
the same thing (image, ports, arguments, settings) as the code they deploy."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from referee.config import Settings

ROOT = Path(__file__).resolve().parents[2]
K8S = [d for d in yaml.safe_load_all((ROOT / "deploy/k8s/referee.yaml").read_text()) if d]
COMPOSE = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
SERVER_IMAGE = f"referee-server:{importlib.metadata.version('referee')}"
PORTS = {50051, 8080, 9464}  # gRPC, HTTP face, metrics


def kind(name: str) -> dict[str, Any]:
    [doc] = [d for d in K8S if d["kind"] == name]
    return doc


def referee_container() -> dict[str, Any]:
    [c] = [c for c in kind("Deployment")["spec"]["template"]["spec"]["containers"] if c["name"] == "referee"]
    return c


@pytest.mark.parametrize("doc", K8S, ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_k8s_documents_match_the_api_schema(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


def test_both_deploy_the_server_image_this_code_builds() -> None:
    assert COMPOSE["services"]["referee"]["image"] == SERVER_IMAGE
    assert referee_container()["image"] == SERVER_IMAGE
    assert "referee-server:$version" in (ROOT / "deploy/build.sh").read_text()


def test_ports_and_arguments_agree() -> None:
    container = referee_container()
    assert {p["containerPort"] for p in container["ports"]} == PORTS
    assert {p["targetPort"] for p in kind("Service")["spec"]["ports"]} == PORTS
    compose = COMPOSE["services"]["referee"]
    assert {int(p.rsplit(":", 1)[1]) for p in compose["ports"]} == PORTS - {9464}
    assert container["args"] == compose["command"] == ["--http-port", "8080"]


def test_every_setting_they_pass_is_one_referee_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    config_map = kind("ConfigMap")["data"]
    env = {e["name"]: e.get("value") or config_map[e["valueFrom"]["configMapKeyRef"]["key"]]
           for e in referee_container()["env"]}  # fmt: skip
    env |= COMPOSE["services"]["referee"]["environment"]
    for name, value in env.items():
        if name.startswith("REFEREE_"):
            monkeypatch.setenv(name, value)
    settings = Settings()  # a misspelt field is an error here (extra="forbid")
    assert settings.sandbox.image == config_map["sandbox_image"]
    sidecar_env = {e["name"] for c in kind("Deployment")["spec"]["template"]["spec"]["containers"]
                   for e in c.get("env", []) if "valueFrom" in e}  # fmt: skip
    assert sidecar_env == {"REFEREE_SANDBOX__IMAGE", "SANDBOX_IMAGE"}  # one name, from the ConfigMap


def test_compose_file_is_valid_for_docker_compose() -> None:
    done = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "deploy/compose.yaml"), "config", "-q"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "COMPOSE_PROJECT_NAME": "referee-check"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
