#!/usr/bin/env bash
# The whole tokenmind network in docker-compose: four chain validators, three miners and a subnet validator with
# its gateway (see docker-compose.yml). Needs a Docker engine and build/{tokenmindd,neuron} + build/static/*
# (make build build-static).
#
# Usage: scripts/localnet-docker.sh start|stop|summary
#   start    generate homes (scripts/testnet.sh), build the image, bring the network up, wait until it is healthy
#   stop     remove the containers and the network (the generated homes stay in TESTNET_DIR until the next start)
#   summary  print subnet 1's metagraph: who earns what
#
# Settings (environment): PROJECT (compose project, default tokenmind), TESTNET_DIR (default ./build/testnet),
# TM_RPC_PORT, TM_GRPC_PORT, TM_API_PORT, TM_GATEWAY_PORT (host ports on 127.0.0.1, default 26657 9090 1317 7070).
# scripts/compose-smoke.sh sources this file for its functions.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMPOSE=${COMPOSE:-docker-compose}
command -v "$COMPOSE" >/dev/null 2>&1 || COMPOSE="docker compose"
PROJECT=${PROJECT:-tokenmind}
export TESTNET_DIR=${TESTNET_DIR:-./build/testnet}
export TM_RPC_PORT=${TM_RPC_PORT:-26657} TM_GRPC_PORT=${TM_GRPC_PORT:-9090} TM_API_PORT=${TM_API_PORT:-1317}
export TM_GATEWAY_PORT=${TM_GATEWAY_PORT:-7070}
BIN=${TOKENMINDD:-build/tokenmindd}
NEURON=${NEURON:-build/neuron}
NODE=tcp://127.0.0.1:$TM_RPC_PORT
GATEWAY=127.0.0.1:$TM_GATEWAY_PORT

dc() { $COMPOSE -p "$PROJECT" "$@"; }
say() { echo "[localnet-docker] $*"; }
cid() { dc ps -q "$1"; }
# tmd NODE ARGS...: tokenmindd inside a chain validator's container (its own home /data holds alice and bob on node0,
# a client.toml with the test keyring, the chain id and the minimum gas price).
tmd() { local n=$1; shift; docker exec "$(cid "$n")" /usr/local/bin/tokenmindd "$@"; }
node0_cli() { tmd node0 --home /data "$@"; } # the CLI for scripts/lib/tx.sh's tx_send
# shellcheck source=scripts/lib/tx.sh
source scripts/lib/tx.sh

# check_rest: one REST (grpc-gateway) route of each custom module answers on the host's API port with subnet 1,
# validator1's stake and subnet 1's epoch schedule. Prints what it read; says which route failed.
check_rest() {
  local api=http://127.0.0.1:$TM_API_PORT v path out
  v=$(awk -F= '$2 == "validator1" { print $1 }' "$TESTNET_DIR/hotkeys.txt")
  for path in subnets/v1/subnets/1 "stake/v1/hotkeys/$v/delegators" emissions/v1/subnets/1/next_epoch; do
    out=$(curl -fsS --max-time 5 "$api/tokenmind/$path" 2>&1) || { echo "REST GET $api/tokenmind/$path: $out" >&2; return 1; }
    python3 -c '
import json, sys
path, d = sys.argv[1], json.loads(sys.stdin.read())
if path.startswith("subnets/"): ok, what = d["subnet"]["identity"]["task_kind"] == "ner", "subnet 1 task " + d["subnet"]["identity"]["task_kind"]
elif path.startswith("stake/"): ok, what = int(d["total"]) >= 100000000, "validator1 stake " + d["total"] + " umind"
else: ok, what = int(d["next_epoch_height"]) > 0, "subnet 1 next epoch at " + d["next_epoch_height"]
print("GET /tokenmind/%s: %s" % (path, what))
sys.exit(0 if ok else 1)
' "$path" <<<"$out" || { echo "REST GET $api/tokenmind/$path: unexpected answer $out" >&2; return 1; }
  done
}

height() { "$BIN" status --node "$NODE" 2>/dev/null | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p' || true; }

# wait_height H [SECONDS]: wait until the chain (seen through node0) reaches height H; prints the height.
wait_height() {
  local h
  for _ in $(seq 1 "${2:-90}"); do
    h=$(height); if [ -n "$h" ] && [ "$h" -ge "$1" ]; then echo "$h"; return 0; fi; sleep 1
  done
  say "the chain did not reach height $1 within ${2:-90}s (RPC $NODE)" >&2; return 1
}

# wait_healthy [SECONDS]: wait until every container of the project reports healthy.
wait_healthy() {
  local ids states
  for _ in $(seq 1 "${1:-120}"); do
    ids=$(dc ps -q)
    states=$(docker inspect --format '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' $ids)
    if [ -n "$ids" ] && ! grep -vq ' healthy$' <<<"$states"; then return 0; fi
    sleep 1
  done
  say "not every service became healthy within ${1:-120}s:" >&2; sed 's/^/  /' <<<"$states" >&2; return 1
}

# summary prints subnet 1's metagraph, one line per UID, with the neuron names of the generated homes
# (TESTNET_DIR/hotkeys.txt).
summary() {
  local out; out=$("$BIN" q subnets metagraph 1 --node "$NODE" -o json) || return 1
  NAMES=$(cat "$TESTNET_DIR/hotkeys.txt" 2>/dev/null || true) python3 -c '
import json, os, sys
names = dict(l.split("=", 1) for l in os.environ["NAMES"].split())
d = json.loads(sys.stdin.read())
print("%-4s %-11s %-7s %14s %9s %9s %12s %s" % ("uid", "neuron", "model", "stake", "incent.", "divid.", "emission", "permit"))
for e in d.get("neurons", []):
    n, o = e["neuron"], e.get("output", {})
    print("%-4s %-11s %-7s %14s %9s %9s %12s %s" % (n.get("uid", 0), names.get(n["hotkey"], n["hotkey"][:11]),
          n.get("serving", {}).get("model", "-") or "-", e.get("stake", "0"), o.get("incentive", 0),
          o.get("dividends", 0), o.get("emission", "0"), "yes" if o.get("validator_permit") else "-"))
' <<<"$out"
}

# miners_paid succeeds when the last epoch paid every serving miner, with the full model's incentive above the
# broken one's (the validator's scores reached the chain).
miners_paid() {
  local out; out=$("$BIN" q subnets metagraph 1 --node "$NODE" -o json 2>/dev/null) || return 1
  python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
inc = {}
for e in d.get("neurons", []):
    n, o = e["neuron"], e.get("output", {})
    model = n.get("serving", {}).get("model")
    if model and int(o.get("emission", "0")) > 0:
        inc[model] = int(o.get("incentive", 0))
sys.exit(0 if {"full", "lite"} <= inc.keys() and inc["full"] > inc.get("broken", 0) else 1)
' <<<"$out"
}

start() {
  [ -x "$BIN" ] && [ -x "$NEURON" ] && [ -x build/static/tokenmindd ] && [ -x build/static/neuron ] ||
    { say "binaries missing: run make build build-static"; exit 1; }
  if [ -n "$(dc ps -q 2>/dev/null)" ]; then say "project $PROJECT is already up; stop it first (make localnet-docker-stop)"; exit 1; fi
  ./scripts/testnet.sh 4 "$TESTNET_DIR" node
  local out; out=$(docker build -q -t tokenmind:local . 2>&1) || { echo "$out" >&2; exit 1; }
  dc up -d
  say "chain at height $(wait_height 3); waiting for every service to be healthy..."
  wait_healthy
  dc ps
  cat <<MSG

tokenmind network up (compose project $PROJECT): chain validators node0..node3, miners miner1..miner3 (full, lite,
broken) and validator1 with its gateway. Homes and state: $TESTNET_DIR. Epochs every 20 blocks (~20 s).

  Who earns what:     ./scripts/localnet-docker.sh summary
  Metagraph:          $BIN q subnets metagraph 1 --node $NODE
  REST:               curl http://127.0.0.1:$TM_API_PORT/tokenmind/subnets/v1/subnets/1
  Fees:               minimum gas price 0.025umind on every node (hotkey serve/weights are free); node0's client.toml
                      pays it, e.g. docker exec \$($COMPOSE -p $PROJECT ps -q node0) tokenmindd --home /data tx bank send alice ADDR 1umind --from alice -y
  Query the gateway:  $NEURON query --gateway $GATEWAY --task ner "Barack Obama visited Paris."
  Logs:               $COMPOSE -p $PROJECT logs -f validator1
  Health:             $COMPOSE -p $PROJECT ps   (health checks: tokenmindd status, neuron health)
  Metrics:            every neuron serves Prometheus metrics on :9464 inside the network (miner1:9464, validator1:9464)
  Stop:               make localnet-docker-stop
MSG
}

stop() {
  dc down -v --remove-orphans
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    start) start ;;
    stop) stop ;;
    summary) summary ;;
    *) echo "usage: $0 start|stop|summary" >&2; exit 2 ;;
  esac
fi
