"""`referee serve` as a child process, its addresses read from the lines it prints first.

    with ServerProcess("--http-port", "0") as srv:
        RefereeClient(srv.target) ...; requests.post(srv.http_url + "/run_code", ...)

Used by the Ray replicas, the benchmarks and the tests: one parser for the start-up lines
that `referee serve` prints (`referee serving on`, `http on`, `metrics on`, in that order).
"""

from __future__ import annotations

import collections
import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

__all__ = ["ServerProcess"]

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # In the child before exec: SIGTERM when the parent dies (a Ray actor killed with
    # SIGKILL), so the server still drains and removes its sandbox containers.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class ServerProcess:
    """`referee serve --port 0 [args]`; gRPC `target`, `http_url` (with --http-port) and
    `metrics_url` (metrics on a free port unless the environment says otherwise)."""

    target: str
    http_url: str | None = None
    metrics_url: str

    def __init__(
        self,
        *args: str,
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        die_with_parent: bool = False,
    ) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "referee.cli", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=cwd,
            env={**os.environ, "REFEREE_SERVER__METRICS_PORT": "0", **(env or {})},
            preexec_fn=_die_with_parent if die_with_parent else None,
        )
        assert self.proc.stdout is not None
        lines = []
        for line in self.proc.stdout:
            lines.append(line)
            if m := re.search(r"referee serving on (\S+):(\d+)", line):
                self.target = f"{m[1]}:{m[2]}"
            if m := re.search(r"http on (http://\S+)", line):
                self.http_url = m[1]
            if m := re.search(r"metrics on (http://\S+)", line):
                self.metrics_url = m[1]
                break
        else:
            self.proc.wait()
            raise RuntimeError("referee serve exited before serving:\n" + "".join(lines))
        # Keep reading its log: a full pipe would block the server's event loop on its next line.
        self.log: collections.deque[str] = collections.deque(lines, maxlen=200)
        threading.Thread(target=self.log.extend, args=(self.proc.stdout,), daemon=True).start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self, timeout_s: float = 60) -> int:
        """SIGTERM (drain, remove the sandbox containers), then SIGKILL after `timeout_s`."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout_s)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
