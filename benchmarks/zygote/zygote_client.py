"""Our side of a zygote (guest/zygote.py): start one, ask it for a child per run, learn how each ended.

Used by the supervisor (programs) and by the judge, a fork of the supervisor (candidates). A
zygote that does not answer in time, or is gone, is given up: the caller then starts its
program the slow way, so a lost zygote costs time, never a verdict.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import select
import signal
import socket
import time

PYTHON = "/usr/bin/python3"
ZYGOTE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zygote.py")
READY_TIMEOUT_S = 10.0  # its start-up (~30 ms of CPU) on a machine that may be saturated
ANSWER_TIMEOUT_S = 2.0  # a fork request's answer
_tokens = itertools.count()


class Zygote:
    """One zygote, started as root with `flags` and `env` (what its children inherit)."""

    def __init__(self, flags: list[str], env: dict[str, str]) -> None:
        self.flags = flags
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        devnull = os.open(os.devnull, os.O_RDWR)
        try:
            self.pid = os.posix_spawn(
                PYTHON,
                [PYTHON, *flags, ZYGOTE],
                env,
                setsid=True,
                setsigdef=(signal.SIGPIPE, signal.SIGCHLD, signal.SIGINT),
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, fd, i) for i, fd in enumerate((devnull,) * 3 + (theirs.fileno(),))
                ],
            )
        finally:
            os.close(devnull)
            theirs.close()
        self.sock.setblocking(False)
        self.ready = False
        self.alive = True
        self.exits: dict[int, int] = {}  # pid -> wait status, reported and not yet collected

    def fileno(self) -> int:
        return self.sock.fileno()

    def _next(self, timeout_s: float) -> list[str] | None:
        """The next message (its words), waiting up to timeout_s; None if none came."""
        while True:
            try:
                msg = self.sock.recv(4096)
            except BlockingIOError:
                if timeout_s <= 0 or not select.select([self.sock], [], [], timeout_s)[0]:
                    return None
                timeout_s = 0
                continue
            except OSError:
                msg = b""
            if not msg:
                self.alive = False  # it exited
                return None
            words = msg.decode(errors="replace").split(" ")
            if words[0] == "exited" and len(words) == 3:
                self.exits[int(words[1])] = int(words[2])
                continue
            if words[0] == "ready":
                self.ready = True
                continue
            return words

    def fork(
        self, fds: list[int], uid: int, gid: int, cpu_s: int, script: str, args: list[str]
    ) -> int | None:
        """A child that runs `script` with `args` as uid:gid on `fds` (0, 1, 2, 3), under a CPU
        limit of cpu_s (0: none of its own); its pid, or None when this zygote cannot serve
        (then it is given up)."""
        if not self.alive:
            return None
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self.ready:
            left = deadline - time.monotonic()
            if not self.alive or left <= 0:
                self.give_up()
                return None
            self._next(left)
        token = f"{os.getpid()}.{next(_tokens)}"
        request = " ".join(["fork", token, str(uid), str(gid), str(cpu_s), script, *args]).encode()
        try:
            socket.send_fds(self.sock, [request], fds)
        except OSError:
            self.give_up()
            return None
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        while self.alive and (left := deadline - time.monotonic()) > 0:
            words = self._next(left)
            if (
                words and len(words) >= 3 and words[1] == token
            ):  # earlier answers (a killed judge's) are skipped
                return int(words[2]) if words[0] == "forked" else None
        self.give_up()
        return None

    def collect_pending(self) -> None:
        """Read what has come (exits are recorded; a stray answer is dropped)."""
        while self.alive and self._next(0) is not None:
            pass

    def collect(self) -> dict[int, int]:
        """Exits reported so far (pid -> wait status), each handed out once."""
        self.collect_pending()
        exits, self.exits = self.exits, {}
        return exits

    def wait(self, pid: int, timeout_s: float) -> int | None:
        """The wait status of our child `pid`, waiting up to timeout_s for it; None if it did not come."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.collect_pending()
            left = deadline - time.monotonic()
            if pid in self.exits or not self.alive or left <= 0:
                return self.exits.pop(pid, None)
            select.select([self.sock], [], [], left)

    def give_up(self) -> None:
        """Stop using it (and stop it: its parent, the supervisor, reaps it)."""
        self.alive = False
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def close(self) -> None:
        self.give_up()
        self.sock.close()


class Child:
    """A zygote's child, as far as the judge uses a subprocess.Popen."""

    def __init__(self, zygote: Zygote, pid: int) -> None:
        self.zygote, self.pid = zygote, pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        return self.wait(0.0)

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None:
            status = self.zygote.wait(self.pid, 3600.0 if timeout is None else timeout)
            if status is not None:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode
