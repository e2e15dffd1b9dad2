#!/usr/bin/env bash
# Build the server image referee-server:<version> offline: no registry, no base image to pull.
#
#   bash deploy/build.sh          # after scripts/setup.sh (needs .venv and the sandbox image)
#
# The base is the sandbox image (Debian 12 from debootstrap, already here, with the same
# python3.11 as the host); the server's own dependencies (no torch, no trainer extras) are
# installed with the host's pip into build/server/site, and `docker build` copies them in.
set -euo pipefail
cd "$(dirname "$0")/.."
sandbox_image=$(.venv/bin/python -c 'from sandbox import SandboxConfig; print(SandboxConfig().image)')
version=$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("referee"))')
context=build/server
rm -rf "$context" && mkdir -p "$context"
.venv/bin/pip install -q --no-compile --target "$context/site" .
cp deploy/Dockerfile "$context/Dockerfile"
docker build -q --build-arg "SANDBOX_IMAGE=$sandbox_image" -t "referee-server:$version" "$context"
rm -rf "$context"
echo "referee-server:$version"
