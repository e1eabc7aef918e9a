#!/usr/bin/env bash
# Compose smoke test: four validators from the FROM scratch image come up healthy, produce blocks, keep producing
# with one of them stopped, and go away cleanly. Needs a Docker engine and build/static/tokenmindd + build/tokenmindd.
set -euo pipefail
cd "$(dirname "$0")/.."
COMPOSE=${COMPOSE:-docker-compose}
command -v "$COMPOSE" >/dev/null 2>&1 || COMPOSE="docker compose"
PROJECT=${PROJECT:-tokenmind-smoke}
BIN=build/tokenmindd
height() { "$BIN" status --node tcp://127.0.0.1:26657 2>/dev/null | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p' || true; }
wait_height() {
  for _ in $(seq 1 90); do h=$(height); if [ -n "$h" ] && [ "$h" -ge "$1" ]; then echo "$h"; return 0; fi; sleep 1; done
  echo "no height $1 after 90s" >&2; $COMPOSE -p "$PROJECT" logs --tail 30 >&2; return 1
}
cleanup() { $COMPOSE -p "$PROJECT" down -v --remove-orphans >/dev/null 2>&1 || true; }
trap cleanup EXIT

./scripts/testnet.sh 4 build/testnet node
docker build -q -t tokenmind:local . >/dev/null
start=$(date +%s)
$COMPOSE -p "$PROJECT" up -d
h=$(wait_height 3)
echo "compose-smoke: 4 validators at height $h after $(( $(date +%s) - start ))s"
$COMPOSE -p "$PROJECT" stop node3
h2=$(wait_height $((h + 5)))
echo "compose-smoke: with node3 stopped the chain went on to height $h2"
$COMPOSE -p "$PROJECT" start node3
echo "compose-smoke: passed"
