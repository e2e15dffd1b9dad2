"""Build the sandbox image offline: a debootstrap rootfs, our guest files, `docker import`.

No registry is involved: the rootfs comes from a Debian mirror (or an existing directory),
and `docker import` turns it into an image in one layer. `sandbox/Dockerfile` builds the
same thing for users who do have a registry.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import docker
import docker.errors

from sandbox.config import SandboxConfig
from sandbox.docker_client import client_for
from sandbox.errors import SandboxError
from sandbox.image_version import BUILT, GUEST_DIR, GUEST_FILES, IMAGE_VERSION
from sandbox.languages import LANGUAGES, PACKAGES

__all__ = ["SANDBOX_GID", "SANDBOX_UID", "build", "image_exists", "package_versions"]

log = logging.getLogger(__name__)

SANDBOX_UID = SANDBOX_GID = 10001
# Every language's toolchain and the Python libraries, from the one registry; sandbox/Dockerfile
# installs the same list (tests/sandbox/test_units.py checks).
REQUIRED_BINARIES = tuple(  # a rootfs without one of these (or any of PACKAGES) is topped up
    dict.fromkeys(b.lstrip("/") for lang in LANGUAGES for b in lang.binaries)
)
# What debootstrap installs itself; apt in the chroot adds the rest of PACKAGES, as it runs
# their maintainer scripts (the JDK's need a mounted /proc) where debootstrap does not.
_BASE = ("python3", "gcc", "libc6-dev")
DEBIAN_SUITE = "bookworm"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
# Not needed at run time, and less for a program to poke at.
_SKIP_PREFIXES = (
    "./dev/",
    "./proc/",
    "./sys/",
    "./var/cache/apt/",
    "./var/lib/apt/lists/",
    "./usr/share/doc/",
    "./usr/share/man/",
    "./usr/share/info/",
    "./usr/share/locale/",
    "./run/",
    "./tmp/",
)
_CHANGES = [
    "USER 0:0",  # the supervisor; it starts every program as SANDBOX_UID
    "WORKDIR /work",
    "ENV LANG=C.UTF-8 PATH=/usr/local/bin:/usr/bin:/bin",
    'CMD ["/usr/bin/python3", "-I", "/opt/referee/supervisor.py"]',
    f"LABEL referee.image.version={IMAGE_VERSION}",
]


VERSIONS_LABEL = "referee.packages"  # {package: Debian version} of PACKAGES, set at build


def _installed_versions(rootfs: Path) -> dict[str, str]:
    done = subprocess.run(
        ["chroot", str(rootfs), "dpkg-query", "-W", "-f", "${Package}\t${Version}\n", *PACKAGES],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    pairs = (line.split("\t", 1) for line in done.stdout.splitlines() if "\t" in line)
    return {name: version for name, version in pairs}


def package_versions(config: SandboxConfig) -> dict[str, str]:
    """The Debian versions of the image's packages, as its build recorded them ({} when unknown:
    an image built from sandbox/Dockerfile, or no daemon)."""
    try:
        labels = client_for(config).images.get(config.image).labels or {}
        versions = json.loads(labels.get(VERSIONS_LABEL, "{}"))
    except (SandboxError, docker.errors.DockerException, ValueError):
        return {}
    return {str(k): str(v) for k, v in versions.items()} if isinstance(versions, dict) else {}


def image_exists(config: SandboxConfig) -> bool:
    try:
        client_for(config).images.get(config.image)
        return True
    except docker.errors.ImageNotFound:
        return False


def build(config: SandboxConfig, *, force: bool = False, prune: bool = False) -> str:
    """Build `config.image` if it is missing (or always, with force); return its tag.

    With `prune`, other `referee-sandbox` tags that no container uses are removed. Never by
    default: another checkout or server version on the same daemon may need its own tag."""
    client = client_for(config)
    if not force and image_exists(config):
        if prune:
            _remove_older_tags(client, config.image.rpartition(":")[0], config.image)
        return config.image
    rootfs = Path(config.rootfs_dir)
    if not (rootfs / "usr/bin/python3").exists():
        _debootstrap(rootfs)
    # A package added to the registry needs no new binary (a test library): ask dpkg too.
    installed = _installed_versions(rootfs)
    if not all((rootfs / b).exists() for b in REQUIRED_BINARIES) or not all(map(installed.get, PACKAGES)):
        _top_up(rootfs)
        installed = _installed_versions(rootfs)
    repository, _, tag = config.image.rpartition(":")
    with tempfile.TemporaryDirectory(prefix="referee-image-") as tmp:
        tar_path = Path(tmp) / "rootfs.tar"
        _write_tar(rootfs, tar_path)
        log.info("importing %s (%d MB)", config.image, tar_path.stat().st_size >> 20)
        versions = f"LABEL {VERSIONS_LABEL}={json.dumps(json.dumps(installed))}"
        client.api.import_image_from_file(
            str(tar_path), repository=repository, tag=tag, changes=[*_CHANGES, versions]
        )
    if not image_exists(config):
        raise SandboxError(f"docker import did not produce {config.image}; see the daemon log")
    if prune:
        _remove_older_tags(client, repository, config.image)
    return config.image


def _remove_older_tags(client: docker.DockerClient, repository: str, keep: str) -> None:
    """Each guest change makes a new tag; drop the others nobody runs (in-use ones stay)."""
    for img in client.images.list(name=repository):
        if keep not in img.tags:
            with contextlib.suppress(docker.errors.APIError):
                client.images.remove(img.id)


def _debootstrap(rootfs: Path) -> None:
    if shutil.which("debootstrap") is None:
        raise SandboxError(
            f"no rootfs at {rootfs} and no debootstrap: `apt-get install debootstrap`, or "
            "build with sandbox/Dockerfile where a registry is available"
        )
    log.info("debootstrap %s into %s (about a minute)", DEBIAN_SUITE, rootfs)
    cmd = [
        "debootstrap",
        "--variant=minbase",
        f"--include={','.join(_BASE)}",  # the toolchains come after, with apt (_top_up)
        DEBIAN_SUITE,
        str(rootfs),
        DEBIAN_MIRROR,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SandboxError(f"debootstrap failed ({done.returncode}): {done.stderr[-1000:]}")


def _top_up(rootfs: Path) -> None:
    """Install PACKAGES into the rootfs with its own apt (after debootstrap, or into a rootfs from
    an older package list). /proc is mounted meanwhile: the JDK's maintainer scripts run java."""
    log.info("installing %s into %s (minutes)", " ".join(PACKAGES), rootfs)
    with _proc_mounted(rootfs):
        for args in (  # dpkg --configure -a: finish what an interrupted earlier top-up left unpacked
            ["dpkg", "--configure", "-a"],
            ["apt-get", "update"],
            ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES],
        ):
            done = subprocess.run(
                ["chroot", str(rootfs), *args],
                capture_output=True,
                text=True,
                env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive"},
            )
            if done.returncode != 0:
                raise SandboxError(
                    f"cannot install {' '.join(PACKAGES)} into {rootfs}: {done.stderr[-800:]}; "
                    f"remove {rootfs} to debootstrap afresh"
                )


@contextlib.contextmanager
def _proc_mounted(rootfs: Path) -> Iterator[None]:
    """/proc mounted in the rootfs meanwhile: the JDK's tools (and its maintainer scripts) need it."""
    proc = rootfs / "proc"
    proc.mkdir(exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "proc", "proc", str(proc)], capture_output=True).returncode == 0
    try:
        yield
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(proc)], capture_output=True)


def _write_tar(rootfs: Path, out: Path) -> None:
    def keep(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        if info.name.startswith(_SKIP_PREFIXES) or info.name in ("./etc/passwd", "./etc/group"):
            return None
        return info

    with tarfile.open(out, "w") as tar:
        tar.add(rootfs, arcname=".", filter=keep)
        passwd = (
            rootfs / "etc/passwd"
        ).read_text() + f"sandbox:x:{SANDBOX_UID}:{SANDBOX_GID}::/work/run:/usr/sbin/nologin\n"
        group = (rootfs / "etc/group").read_text() + f"sandbox:x:{SANDBOX_GID}:\n"
        _add_file(tar, "etc/passwd", passwd.encode(), 0o644)
        _add_file(tar, "etc/group", group.encode(), 0o644)
        for d in ("opt/referee", "work"):
            if not (rootfs / d).exists():
                _add_dir(tar, d, 0o755)
        for name in GUEST_FILES:
            _add_file(tar, f"opt/referee/{name}", (GUEST_DIR / name).read_bytes(), 0o644)
        for name, data, mode in _built(rootfs):
            _add_file(tar, f"opt/referee/{name}", data, mode)


def compile_guest(rootfs: Path, inside: str, output: str, command: tuple[str, ...]) -> None:
    """Run one BUILT command in the rootfs, on `inside` (the rootfs's directory holding its source)."""
    done = subprocess.run(
        ["chroot", str(rootfs), *(a.replace("{dir}", inside) for a in command)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    if done.returncode != 0:
        raise SandboxError(f"cannot build {output} in {rootfs} (needs root for chroot): {done.stderr[-800:]}")


def _built(rootfs: Path) -> list[tuple[str, bytes, int]]:
    """Each BUILT output: (name, bytes, mode)."""
    out = []
    with tempfile.TemporaryDirectory(dir=rootfs / "tmp", prefix="guest-") as tmp, _proc_mounted(rootfs):
        inside = "/" + str(Path(tmp).relative_to(rootfs))
        for source, output, mode, command in BUILT:
            shutil.copy(GUEST_DIR / source, tmp)
            compile_guest(rootfs, inside, output, command)
            out.append((output, (Path(tmp) / output).read_bytes(), mode))
    return out


def _add_file(tar: tarfile.TarFile, name: str, data: bytes, mode: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    tar.addfile(info, io.BytesIO(data))


def _add_dir(tar: tarfile.TarFile, name: str, mode: int) -> None:
    info = tarfile.TarInfo(name)
    info.type, info.mode = tarfile.DIRTYPE, mode
    tar.addfile(info)


def dockerfile() -> str:
    """sandbox/Dockerfile, rendered from the registry: the same packages, guest files, user and
    command as the offline build (`python -m sandbox.image --dockerfile > sandbox/Dockerfile`;
    a test fails when the file and this differ)."""
    copies = " ".join(f"guest/{name}" for name in GUEST_FILES)
    return f"""# The sandbox image for hosts with a registry. Offline hosts use `referee sandbox build`
# (debootstrap + docker import, see sandbox/image.py), which makes the same image. Generated:
# python -m sandbox.image --dockerfile > sandbox/Dockerfile
#
#   docker build -t "referee-sandbox:$(python -c 'from sandbox.image_version import IMAGE_VERSION as v; print(v)')" sandbox/
#
# The tag must match SandboxConfig.image: it carries a hash of the guest files, what is built from
# them and the packages.
FROM debian:{DEBIAN_SUITE}-slim
RUN apt-get update \\
 && apt-get install -y --no-install-recommends {" ".join(PACKAGES)} \\
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man \\
 && groupadd -g {SANDBOX_GID} sandbox \\
 && useradd -u {SANDBOX_UID} -g {SANDBOX_GID} -d /work/run -s /usr/sbin/nologin sandbox \\
 && mkdir -p /work /opt/referee
COPY {copies} /opt/referee/
RUN {" && ".join(" ".join(a.replace("{dir}", "/opt/referee") for a in command) for *_, command in BUILT)}
# The supervisor runs as root with a few capabilities; it starts every program as {SANDBOX_UID}.
{chr(10).join(_CHANGES[:4])}
"""


if __name__ == "__main__":  # python -m sandbox.image [--force | --dockerfile]
    import sys

    if "--dockerfile" in sys.argv:
        print(dockerfile(), end="")
        raise SystemExit(0)
    logging.basicConfig(level=logging.INFO)
    print(build(SandboxConfig(), force="--force" in sys.argv))
    os._exit(0)
