#!/usr/bin/env bash
# Run the whole test suite against a real dockerd and real servers on localhost.
# Sets everything up first (idempotent), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
