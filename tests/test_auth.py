"""Shared token and TLS for non-local deployments, against real server processes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from referee.client import RefereeClient, RefereeError, RequestRejected
from tests.conftest import ServerProcess

SMALL = {"REFEREE_SANDBOX__POOL_SIZE": "1", "REFEREE_MATH__WORKERS": "1"}
MATH = {"id": "a", "prompt": "p", "completion": "\\boxed{2}", "math": {"gold": "2"}}
TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def token_server():
    srv = ServerProcess(env={**SMALL, "REFEREE_SERVER__TOKEN": TOKEN})
    yield srv
    srv.stop()


@pytest.mark.parametrize("token", [None, "wrong", TOKEN[:-1], TOKEN + "x"])
def test_missing_or_wrong_token_is_unauthenticated(token_server, token: str | None) -> None:
    with RefereeClient(token_server.target, token=token, timeout_s=30) as client:
        with pytest.raises(RequestRejected) as info:
            client.score([MATH], ["accuracy"])
        assert info.value.code == grpc.StatusCode.UNAUTHENTICATED
        with pytest.raises(RequestRejected):
            client.list_rewards()


def test_right_token_is_served_and_health_stays_open(token_server) -> None:
    with RefereeClient(token_server.target, token=TOKEN, timeout_s=30) as client:
        assert client.score([MATH], ["accuracy"])[0].total == 1.0
    with grpc.insecure_channel(token_server.target) as channel:  # probes carry no token
        status = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5).status
    assert status == health_pb2.HealthCheckResponse.SERVING


def test_tls_with_token(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    env = {**SMALL, "REFEREE_SERVER__TOKEN": TOKEN,
           "REFEREE_SERVER__TLS_CERT_FILE": str(cert), "REFEREE_SERVER__TLS_KEY_FILE": str(key)}  # fmt: skip
    srv = ServerProcess(env=env, tls_ca_file=cert)
    try:
        with RefereeClient(srv.target, token=TOKEN, tls_ca_file=cert, timeout_s=30) as client:
            assert client.score([MATH], ["accuracy"])[0].total == 1.0
        # A plaintext client cannot talk to a TLS server.
        with (
            RefereeClient(srv.target, token=TOKEN, timeout_s=10, retries=1) as plain,
            pytest.raises(RefereeError),
        ):
            plain.list_rewards()
    finally:
        srv.stop()
