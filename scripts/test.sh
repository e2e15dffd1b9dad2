#!/usr/bin/env bash
# Lint (ruff), type-check (mypy), then run the whole test suite against a real dockerd
# and real servers on localhost.
# Sets everything up first (idempotent), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -q "$@"
