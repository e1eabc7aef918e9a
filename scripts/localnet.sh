#!/usr/bin/env bash
# One-command local network: a single-validator chain tokenmind-local-1 with 1-second blocks, funded test keys and
# subnet 1, all under $LOCALNET_HOME (default ./.localnet). Usage: localnet.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${TOKENMINDD:-$ROOT/build/tokenmindd}
LN=${LOCALNET_HOME:-$ROOT/.localnet}
HOME_DIR=$LN/chain
CHAIN_ID=tokenmind-local-1
KR=(--keyring-backend test --home "$HOME_DIR")
RPC_PORT=${RPC_PORT:-26657}
GRPC_PORT=${GRPC_PORT:-9090}
P2P_PORT=${P2P_PORT:-26656}
API_PORT=${API_PORT:-1317}
NODE=tcp://127.0.0.1:$RPC_PORT
TX=(--chain-id "$CHAIN_ID" --node "$NODE" "${KR[@]}" --yes --output json)

log() { printf '\033[1m[localnet]\033[0m %s\n' "$*"; }

wait_height() { # wait until the chain reaches height $1 (at most 60 s)
  for _ in $(seq 1 120); do
    h=$("$BIN" status --node "$NODE" 2>/dev/null | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p' || true)
    if [ -n "${h:-}" ] && [ "$h" -ge "$1" ]; then return 0; fi
    sleep 0.5
  done
  log "the node did not reach height $1; see $LN/chain.log"; return 1
}

wait_tx() { # wait until tx $1 is in a block and succeeded
  for _ in $(seq 1 40); do
    out=$("$BIN" q tx "$1" --node "$NODE" --output json 2>/dev/null) && {
      code=$(echo "$out" | sed -n 's/^{"height":"[0-9]*","txhash":"[0-9A-F]*","codespace":"[^"]*","code":\([0-9]*\).*/\1/p')
      if [ -z "$code" ] || [ "$code" = "0" ]; then return 0; fi
      log "tx $1 failed: $(echo "$out" | head -c 400)"; return 1
    }
    sleep 0.5
  done
  log "tx $1 was not included"; return 1
}

txhash() { sed -n 's/.*"txhash":"\([0-9A-F]*\)".*/\1/p'; }

# submit runs a tx command (retrying a few times if the node is busy between blocks) and waits for inclusion.
submit() {
  local out h
  for _ in 1 2 3 4 5; do
    if out=$("$@" "${TX[@]}" 2>>"$LN/cli.log"); then
      h=$(echo "$out" | txhash)
      if [ -n "$h" ]; then wait_tx "$h"; return; fi
    fi
    sleep 1
  done
  log "failed: $* (see $LN/cli.log)"; return 1
}

start() {
  [ -x "$BIN" ] || { log "no binary at $BIN: run make build"; exit 1; }
  if [ -f "$LN/chain.pid" ] && kill -0 "$(cat "$LN/chain.pid")" 2>/dev/null; then
    log "already running (pid $(cat "$LN/chain.pid")); make localnet-stop first"; exit 1
  fi
  rm -rf "$LN"; mkdir -p "$LN"
  log "initialising $CHAIN_ID in $HOME_DIR"
  "$BIN" init localnet --chain-id "$CHAIN_ID" --home "$HOME_DIR" >/dev/null 2>&1
  for k in validator alice bob miner1 miner2 miner3 validator1; do
    "$BIN" keys add "$k" "${KR[@]}" --output json >"$LN/key-$k.json" 2>&1
  done
  for k in validator alice bob; do
    "$BIN" genesis add-genesis-account "$k" 10000000000000umind "${KR[@]}" >/dev/null
  done
  # Fast local settings: short gov voting, a cheap subnet, short tempo.
  G=$HOME_DIR/config/genesis.json
  python3 - "$G" <<'PY'
import json, sys
p = sys.argv[1]; g = json.load(open(p)); a = g["app_state"]
a["gov"]["params"]["voting_period"] = "20s"
a["gov"]["params"]["expedited_voting_period"] = "10s"
a["gov"]["params"]["min_deposit"] = [{"denom": "umind", "amount": "10000000"}]
a["gov"]["params"]["expedited_min_deposit"] = [{"denom": "umind", "amount": "50000000"}]
sp = a["subnets"]["params"]
sp["subnet_min_cost"] = "1000000"
hp = sp["default_hyperparameters"]
hp.update({"tempo": "20", "weights_rate_limit": "5", "serving_rate_limit": "2", "immunity_period": "100"})
json.dump(g, open(p, "w"), indent=1)
PY
  "$BIN" genesis gentx validator 1000000000000umind --chain-id "$CHAIN_ID" "${KR[@]}" >/dev/null 2>&1
  "$BIN" genesis collect-gentxs --home "$HOME_DIR" >/dev/null 2>&1
  "$BIN" genesis validate --home "$HOME_DIR" >/dev/null
  C=$HOME_DIR/config/config.toml
  sed -i "s/^timeout_commit = .*/timeout_commit = \"1s\"/; s/^timeout_propose = .*/timeout_propose = \"1s\"/" "$C"
  sed -i "s#^laddr = \"tcp://127.0.0.1:26657\"#laddr = \"tcp://127.0.0.1:$RPC_PORT\"#; s#^laddr = \"tcp://0.0.0.0:26656\"#laddr = \"tcp://127.0.0.1:$P2P_PORT\"#" "$C"
  A=$HOME_DIR/config/app.toml
  sed -i "s#^address = \"localhost:9090\"#address = \"127.0.0.1:$GRPC_PORT\"#; s#^address = \"tcp://localhost:1317\"#address = \"tcp://127.0.0.1:$API_PORT\"#" "$A"
  CL=$HOME_DIR/config/client.toml
  sed -i "s#^chain-id = .*#chain-id = \"$CHAIN_ID\"#; s#^keyring-backend = .*#keyring-backend = \"test\"#; s#^node = .*#node = \"$NODE\"#" "$CL"

  log "starting the node (log: $LN/chain.log)"
  nohup "$BIN" start --home "$HOME_DIR" --minimum-gas-prices 0umind >"$LN/chain.log" 2>&1 &
  echo $! >"$LN/chain.pid"
  wait_height 3

  log "creating subnet 1 (owner alice)"
  submit "$BIN" tx subnets create-subnet "entity extraction" ner --description "named entities in English text" --from alice
  for m in miner1 miner2 miner3 validator1; do
    log "registering $m on subnet 1 (coldkey bob)"
    submit "$BIN" tx subnets register 1 --hotkey "$m" --from bob
  done

  log "staking 1000 MIND from bob to validator1"
  submit "$BIN" tx stake add "$("$BIN" keys show validator1 -a "${KR[@]}")" 1000000000 --from bob

  start_neurons
  log "waiting for a few epochs (tempo 20 blocks) so the validator earns its permit and weights count..."
  for _ in $(seq 1 12); do sleep 10; summary >/dev/null 2>&1 && [ -n "$(summary | awk 'NR>1 && $5>0')" ] && break; done
  summary

  cat <<MSG

tokenmind localnet is up: chain $CHAIN_ID, RPC $NODE, gRPC 127.0.0.1:$GRPC_PORT, REST http://127.0.0.1:$API_PORT
State and logs: $LN   (stop with: make localnet-stop)

Query the gateway (answers come from the best-scored miner, signed by its hotkey):
  $NEURON query --gateway $GATEWAY --task ner "Barack Obama visited Paris."
Watch who earns what:   ./scripts/localnet.sh summary

Try:
  export TM="$BIN --home $HOME_DIR"
  \$TM q subnets subnets
  \$TM q subnets metagraph 1
  \$TM q subnets price 1
  \$TM q stake delegators \$(\$TM keys show validator1 -a)
  \$TM tx stake add \$(\$TM keys show miner1 -a) 5000000 --from alice --yes
MSG
}

NEURON=${NEURON:-$ROOT/build/neuron}
GATEWAY=${GATEWAY:-127.0.0.1:7070}

# start_neurons runs three miners of different quality and a validator with its gateway, all on loopback.
start_neurons() {
  [ -x "$NEURON" ] || { log "no $NEURON: run make build"; return 1; }
  local common=(--home "$HOME_DIR" --keyring-backend test --node "127.0.0.1:$GRPC_PORT" --chain-id "$CHAIN_ID" --netuid 1 --log-format json)
  local vpeer; vpeer=$("$NEURON" keys show-peer-id --home "$HOME_DIR" --keyring-backend test --key validator1)
  local port=4001 metrics=9464
  for pair in miner1:full miner2:lite miner3:broken; do
    local key=${pair%%:*} model=${pair##*:}
    log "starting $key (model $model) on /ip4/127.0.0.1/tcp/$port (log: $LN/$key.log)"
    nohup "$NEURON" miner "${common[@]}" --key "$key" --task ner --model "$model" --listen "/ip4/127.0.0.1/tcp/$port" \
      --allow-peer "$vpeer" --metrics-addr "127.0.0.1:$metrics" >"$LN/$key.log" 2>&1 &
    echo $! >"$LN/$key.pid"
    port=$((port+1)); metrics=$((metrics+1))
  done
  log "starting validator1 with its gateway on $GATEWAY (log: $LN/validator1.log)"
  nohup "$NEURON" validator "${common[@]}" --key validator1 --task ner --round-interval 2s --gateway-addr "$GATEWAY" \
    --metrics-addr "127.0.0.1:$metrics" >"$LN/validator1.log" 2>&1 &
  echo $! >"$LN/validator1.pid"
}

# summary prints who earns what on subnet 1.
summary() {
  local out; out=$("$BIN" q subnets metagraph 1 --node "$NODE" -o json) || return 1
  KEYS=$(for k in miner1 miner2 miner3 validator1; do echo "$k=$("$BIN" keys show "$k" -a "${KR[@]}")"; done) \
  python3 -c '
import json, os, sys
names = dict(reversed(l.split("=", 1)) for l in os.environ["KEYS"].split())
d = json.loads(sys.stdin.read())
print("%-4s %-11s %-7s %14s %9s %9s %12s %s" % ("uid", "hotkey", "model", "stake", "incent.", "divid.", "emission", "permit"))
for e in d.get("neurons", []):
    n, o = e["neuron"], e.get("output", {})
    print("%-4s %-11s %-7s %14s %9s %9s %12s %s" % (n.get("uid", 0), names.get(n["hotkey"], n["hotkey"][:11]),
          n.get("serving", {}).get("model", "-"), e.get("stake", "0"), o.get("incentive", 0), o.get("dividends", 0),
          o.get("emission", "0"), "yes" if o.get("validator_permit") else "-"))
' <<<"$out"
}

stop() {
  for f in "$LN"/miner*.pid "$LN"/validator1.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  if [ -f "$LN/chain.pid" ]; then
    pid=$(cat "$LN/chain.pid")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
      log "stopped node (pid $pid); state kept in $LN"
    fi
    rm -f "$LN/chain.pid"
  else
    log "no localnet running"
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  summary) summary ;;
  *) echo "usage: $0 start|stop|summary"; exit 2 ;;
esac
