"""The image tag's version: the package version plus a hash of what goes inside the image.

Changing the supervisor or the judge changes the tag, so a stale image is never used.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sandbox.languages import PACKAGES

__all__ = ["BUILT", "GUEST_DIR", "GUEST_FILES", "IMAGE_VERSION"]

GUEST_DIR = Path(__file__).parent / "guest"
GUEST_FILES = (
    "supervisor.py",
    "hardening.py",
    "clock.py",
    "pyjudge.py",
    "testplan.py",
    "candidate.py",
    "warm.py",
    "kernel.py",
    "referee_wire.py",
    "runas.c",
    "testlib.h",  # testlib's checker API, for C++ checkers
    "node-globals.d.ts",  # Node's globals for TypeScript programs
    # the trusted ends of programs' own tests, per language family (sandbox/languages.py: Tests)
    "tests_native.c",
    "tests_go.go",
    "RefereeTests.java",
    "RefereeTests.cs",
    "tests.js",
    "tests.sh",
    "tests.rb",
    "tests.php",
    "tests.pl",
    "tests.lua",
    "tests.R",
    "tests.rkt",
)
# What the build compiles from guest/ with the rootfs's own toolchain (chroot: the libraries it
# will run with), into /opt/referee: (source, output, mode, command; {dir} is where both are).
BUILT = (
    (
        "runas.c",
        "runas",
        0o755,
        ("gcc", "-O2", "-static", "-Wall", "-Werror", "-o", "{dir}/runas", "{dir}/runas.c"),
    ),
    # the JVM languages' trusted end of their tests, compiled once here rather than per sample
    (
        "RefereeTests.java",
        "RefereeTests.class",
        0o644,
        ("javac", "-J-XX:+UseSerialGC", "-d", "{dir}", "{dir}/RefereeTests.java"),
    ),
)
_BASE_VERSION = "0.4.0"


def _guest_hash() -> str:
    """Of the guest files, what is built from them and the package list: any changes the image, so
    any changes the tag."""
    h = hashlib.sha256(" ".join(PACKAGES).encode() + b"\0" + repr(BUILT).encode() + b"\0")
    for name in GUEST_FILES:
        h.update(name.encode() + b"\0" + (GUEST_DIR / name).read_bytes())
    return h.hexdigest()[:10]


IMAGE_VERSION = f"{_BASE_VERSION}-{_guest_hash()}"
