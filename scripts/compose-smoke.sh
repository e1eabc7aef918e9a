#!/usr/bin/env bash
# Compose smoke test of the whole network from the FROM scratch image: four chain validators, three miners and a
# subnet validator with its gateway come up healthy; an epoch pays the miners (full model above broken); the
# gateway answers a query from the host with a verified signed answer; REST answers for x/subnets, x/stake and
# x/emissions; a fee-less transfer is refused and a default-priced one committed; the chain keeps producing blocks with one
# validator stopped; everything is removed at the end, also on failure.
# Needs a Docker engine and build/{tokenmindd,neuron} + build/static/* (make test-docker builds them).
# Its own compose project, homes and host ports keep it apart from `make localnet-docker`.
set -euo pipefail
export PROJECT=${PROJECT:-tokenmind-smoke}
export TESTNET_DIR=${TESTNET_DIR:-./build/testnet-smoke}
export TM_RPC_PORT=${TM_RPC_PORT:-36657} TM_GRPC_PORT=${TM_GRPC_PORT:-39090} TM_API_PORT=${TM_API_PORT:-31317}
export TM_GATEWAY_PORT=${TM_GATEWAY_PORT:-37070}
# shellcheck source=scripts/localnet-docker.sh
source "$(dirname "$0")/localnet-docker.sh"

T0=$(date +%s)
step() { echo "compose-smoke: [$(( $(date +%s) - T0 ))s] $*"; }

cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "compose-smoke: FAILED (exit $rc) after $(( $(date +%s) - T0 ))s; state of the services and their last logs:" >&2
    dc ps >&2 || true
    dc logs --no-color --tail 25 >&2 || true
  fi
  dc down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$TESTNET_DIR"
  exit "$rc"
}
trap cleanup EXIT

./scripts/testnet.sh 4 "$TESTNET_DIR" node >/dev/null
step "generated the homes of 4 validators, 3 miners and validator1 in $TESTNET_DIR"
out=$(docker build -q -t tokenmind:local . 2>&1) || { echo "$out" >&2; exit 1; }
step "built image tokenmind:local"
out=$(dc up -d 2>&1) || { echo "$out" >&2; exit 1; }
h=$(wait_height 3)
step "chain producing blocks (height $h)"
wait_healthy 120
step "all 8 services healthy"

# Payouts: wait for an epoch (every 20 blocks) whose incentive reflects the validator's scores.
for i in $(seq 1 150); do
  miners_paid && break
  [ "$i" -lt 150 ] || { summary >&2 || true; step "no epoch paid the miners within 150s" >&2; exit 1; }
  sleep 1
done
step "an epoch paid the miners at height $(height):"
summary | sed 's/^/    /'

# A user query through the gateway, from the host; neuron query fails on an invalid signature.
for i in 1 2 3 4 5; do
  if out=$("$NEURON" query --gateway "$GATEWAY" --task ner "Barack Obama visited Paris." 2>&1) &&
     grep -q '(valid)' <<<"$out" && grep -q 'Barack Obama' <<<"$out"; then break; fi
  [ "$i" -lt 5 ] || { echo "$out" >&2; step "the gateway gave no verified answer" >&2; exit 1; }
  sleep 2
done
step "gateway answered with a verified signed answer:"
sed 's/^/    /' <<<"$out"

# REST on the host: one route per custom module.
for i in $(seq 1 30); do
  out=$(check_rest 2>&1) && break
  [ "$i" -lt 30 ] || { echo "$out" >&2; step "REST did not answer within 30s" >&2; exit 1; }
  sleep 1
done
step "REST on 127.0.0.1:$TM_API_PORT answers for x/subnets, x/stake, x/emissions:"
sed 's/^/    /' <<<"$out"

# Fees: below the minimum gas price a transfer is refused; node0's client.toml pays it by default.
ALICE=$(node0_cli keys show alice -a)
out=$(node0_cli tx bank send bob "$ALICE" 1umind --from bob --fees 0umind -y -o json 2>&1 || true)
grep -q '"code":13' <<<"$out" || { echo "$out" >&2; step "a fee-less transfer was not refused with code 13 (insufficient fee)" >&2; exit 1; }
txhash=$(tx_send node0_cli bank send bob "$ALICE" 1umind --from bob) || { step "the fee-paying transfer failed (reason above)" >&2; exit 1; }
fee=$(node0_cli q tx "$txhash" -o json | python3 -c 'import json,sys; print(",".join(c["amount"] + c["denom"] for c in json.load(sys.stdin)["tx"]["auth_info"]["fee"]["amount"]))')
step "fees: a fee-less transfer refused (insufficient fee); with client.toml's gas prices committed (fee $fee)"

# One of four chain validators down: the chain goes on.
dc stop node3 >/dev/null 2>&1
h=$(height)
h2=$(wait_height $((h + 5)) 60)
step "with node3 stopped the chain went on from height $h to $h2"
dc start node3 >/dev/null 2>&1

dc down -v --remove-orphans >/dev/null 2>&1
step "passed (network removed)"
