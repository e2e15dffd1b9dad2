"""One real `referee serve --http-port 0` (token set) for the trainers' own client code.

The token travels the way an unchanged trainer can carry it: in the URL's userinfo, which
requests (verl) and aiohttp (OpenRLHF) send as HTTP Basic auth. The server admits only two
code requests at once, so verl's 32 threads per sample meet the waiting line, as they would
on a busy production server.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ServerProcess

TOKEN = "s3cret-clients"


@dataclass(frozen=True)
class Referee:
    http: str  # http://referee:<token>@127.0.0.1:PORT
    bare_http: str  # the same without the token
    grpc: str  # 127.0.0.1:PORT
    token_file: Path
    server: ServerProcess


@pytest.fixture(scope="package")
def referee(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Referee]:
    token_file = tmp_path_factory.mktemp("token") / "token"
    token_file.write_text(TOKEN + "\n")
    env = {"REFEREE_SERVER__TOKEN": TOKEN, "REFEREE_SERVER__MAX_CONCURRENT_CODE_REQUESTS": "2"}
    srv = ServerProcess("--http-port", "0", env=env)
    try:
        with_token = srv.http_url.replace("://", f"://referee:{TOKEN}@")
        yield Referee(with_token, srv.http_url, srv.target, token_file, srv)
    finally:
        srv.stop()
