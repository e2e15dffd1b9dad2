"""Settings: defaults < YAML file < environment < flags, and errors that name the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from referee.config import load_settings


def test_defaults_bind_loopback() -> None:
    s = load_settings()
    assert (s.server.host, s.server.port) == ("127.0.0.1", 50051)


def test_precedence_file_env_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "referee.yaml"
    config.write_text("server:\n  port: 6000\n  max_concurrent_requests: 7\n")
    assert load_settings(config).server.port == 6000
    monkeypatch.setenv("REFEREE_SERVER__PORT", "7000")
    s = load_settings(config)
    assert (s.server.port, s.server.max_concurrent_requests) == (
        7000,
        7,
    )  # env beats file, file fills the rest
    assert load_settings(config, server={"port": 8000}).server.port == 8000  # flags beat env


def test_bad_values_name_the_field(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("server:\n  port: 70000\n")
    with pytest.raises(ValidationError, match=r"server\.port"):
        load_settings(config)
    config.write_text("server:\n  prot: 1\n")
    with pytest.raises(ValidationError, match=r"server\.prot"):
        load_settings(config)


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.yaml"):
        load_settings(tmp_path / "nope.yaml")
