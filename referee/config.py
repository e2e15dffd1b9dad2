"""Server settings: defaults < YAML file < environment (`REFEREE_…`) < command-line flags.

Every section is a pydantic model, so a bad value fails at start-up with the field's
path. Environment variables use `__` between sections:

    REFEREE_SERVER__PORT=50052  REFEREE_SANDBOX__POOL_SIZE=8  REFEREE_MATH__TIMEOUT_MS=3000

The sandbox and math sections are owned by their packages (`sandbox.SandboxConfig`,
`rewards.math.MathConfig`); they hold the server-side maxima that no request can exceed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, FilePath, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from rewards.math import MathConfig
from sandbox import SandboxConfig

__all__ = ["RewardChoice", "ServerConfig", "Settings", "load_settings"]


class RewardChoice(BaseModel):
    """A reward by name, its weight and parameters (a `RewardSpec` in configuration)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    weight: float = 1.0
    params: dict[str, Any] = Field(default_factory=dict)


class ServerConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field("127.0.0.1", description="address to bind; loopback by default, never 0.0.0.0 unasked")
    port: int = Field(50051, ge=0, le=65535, description="gRPC port (0 picks a free one)")
    max_message_mb: int = Field(64, ge=1, le=2048, description="largest request or response message")
    max_samples_per_request: int = Field(4096, ge=1, description="samples in one Score request")
    max_completion_chars: int = Field(1_000_000, ge=1, description="longest completion accepted in a sample")
    reward_threads: int = Field(
        4,
        ge=1,
        le=256,
        description="threads for per-sample rewards (language identification), off the event loop",
    )
    max_concurrent_requests: int = Field(
        256,
        ge=1,
        description="requests scored at once; beyond this RESOURCE_EXHAUSTED, never an unbounded queue",
    )
    max_concurrent_code_requests: int = Field(
        64, ge=1, description="of those, requests with code samples (they hold sandbox containers)"
    )
    http_queue_wait_s: float = Field(
        10.0,
        ge=0,
        description="how long an HTTP request waits for a free slot before it is refused: HTTP "
        "clients (verl's SandboxFusion caller) retry only a 504, so a 429 would score a correct "
        "program 0",
    )
    max_queued_requests: int = Field(
        1024, ge=0, description="HTTP requests waiting for a slot at once; beyond this, refused at once"
    )
    metrics_port: int | None = Field(
        9464, ge=0, le=65535, description="Prometheus /metrics port on `host` (0: any free port, null: off)"
    )
    http_port: int | None = Field(
        None,
        ge=0,
        le=65535,
        description="HTTP face on `host` (SandboxFusion /run_code, OpenRLHF /get_reward); 0: any free "
        "port, null: off",
    )
    get_reward_rewards: list[RewardChoice] = Field(
        default_factory=lambda: [RewardChoice(name="accuracy")],
        min_length=1,
        description="the rewards /get_reward scores with when a request names none",
    )
    request_timeout_s: float = Field(600.0, gt=0, description="server-side cap on one request's scoring time")
    grace_s: float = Field(10.0, ge=0, description="on shutdown, how long in-flight requests may finish")
    token: SecretStr | None = Field(
        None, description="shared token clients must send (Bearer); None: no auth"
    )
    tls_cert_file: FilePath | None = Field(
        None, description="PEM certificate chain; with tls_key_file enables TLS"
    )
    tls_key_file: FilePath | None = Field(None, description="PEM private key for tls_cert_file")

    @model_validator(mode="after")
    def _tls_pair(self) -> ServerConfig:
        if (self.tls_cert_file is None) != (self.tls_key_file is None):
            raise ValueError("tls_cert_file and tls_key_file go together: give both or neither")
        return self


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFEREE_", env_nested_delimiter="__", extra="forbid")

    server: ServerConfig = Field(default_factory=ServerConfig)
    sandbox: SandboxConfig = Field(default_factory=SandboxConfig)
    math: MathConfig = Field(default_factory=MathConfig)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
        yaml_file = settings_cls.model_config.get("yaml_file")
        if yaml_file:
            sources += (YamlConfigSettingsSource(settings_cls, yaml_file=yaml_file, deep_merge=True),)
        return sources


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Load settings; `overrides` (from CLI flags) are nested dicts like `server={"port": 1}`."""
    if config_file is None:
        return Settings(**overrides)
    if not config_file.is_file():
        raise FileNotFoundError(f"config file {config_file} does not exist")
    # The YAML path is only known at run time; a subclass carries it into the source list.
    with_file = type(
        "Settings", (Settings,), {"model_config": {**Settings.model_config, "yaml_file": config_file}}
    )
    return with_file(**overrides)
