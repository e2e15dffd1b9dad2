#!/usr/bin/env bash
# Set up everything referee needs on a Debian 12 machine, as root; safe to run again.
#   - Debian packages: Docker engine, docker-compose, debootstrap (offline image build), gVisor (runsc)
#   - dockerd started in the background when no daemon answers (no systemd needed)
#   - .venv at the repository root with referee and its dev + trainer extras
#   - the sandbox image referee-sandbox:<version>, built offline
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

need_apt=()
command -v dockerd >/dev/null || need_apt+=(docker.io)
command -v debootstrap >/dev/null || need_apt+=(debootstrap)
command -v runsc >/dev/null || need_apt+=(runsc)
command -v docker-compose >/dev/null || need_apt+=(docker-compose)  # tests/deploy bring up deploy/compose.yaml
python3 -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
if ((${#need_apt[@]})); then
  log "installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# gVisor as an optional runtime. runsc refuses to start under dockerd without
# --network=none on this kind of host; the sandbox never has a network anyway.
changed=0
python3 - <<'PY' || changed=$?
import json, pathlib
path = pathlib.Path("/etc/docker/daemon.json")
config = json.loads(path.read_text()) if path.exists() else {}
want = {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}
if config.setdefault("runtimes", {}).get("runsc") == want:
    raise SystemExit(0)
config["runtimes"]["runsc"] = want
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(config, indent=2) + "\n")
raise SystemExit(10)
PY
case $changed in
  0) ;;
  10) kill -HUP $(pidof dockerd) 2>/dev/null || true ;;  # a running daemon reloads its runtimes
  *) exit "$changed" ;;
esac

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/referee-dockerd.log)"
  nohup dockerd >/var/log/referee-dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/referee-dockerd.log"; exit 1; }
fi

if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  python3 -m venv .venv
fi
log "installing Python packages into .venv"
.venv/bin/pip install -q --upgrade pip
# The CPU build of torch first: a bare `torch` requirement would pull a multi-GB CUDA build.
.venv/bin/python -c 'import torch' 2>/dev/null || .venv/bin/pip install -q 'torch==2.13.0'
.venv/bin/pip install -q -e '.[dev,trainer,ray]'

# The trainers' own client code, for tests/clients: verl's SandboxFusion scorer and reward
# managers, OpenRLHF's remote-reward client. --no-deps keeps out their GPU stacks (vllm,
# flash-attn, deepspeed); the few pure-Python modules those client paths import come after.
if ! .venv/bin/python -c 'import verl.experimental.agent_loop.tool_agent_loop, openrlhf' 2>/dev/null; then
  log "installing verl and openrlhf client code (no GPU dependencies)"
  .venv/bin/pip install -q --no-deps 'verl==0.9.1' 'openrlhf==0.11.2'
  # what verl's ToolAgentLoop imports (tests/clients/test_verl_tool.py drives it), no GPU stack
  .venv/bin/pip install -q cachetools fastapi uvicorn
  .venv/bin/pip install -q 'tensordict>=0.8,<=0.10,!=0.9.0' omegaconf codetiming pylatexenc hydra-core
  # openrlhf's wheel ships a top-level `tests` package that would shadow ours.
  rm -rf .venv/lib/python3*/site-packages/tests
fi

log "building the sandbox image (offline)"
.venv/bin/referee sandbox build
log "ready"
