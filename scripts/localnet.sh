#!/usr/bin/env bash
# One-command local network: a single-validator chain tokenmind-local-1 with 1-second blocks, funded test keys,
# subnet 1 with three miners and a validator with its gateway, all under $LOCALNET_HOME (default ./.localnet).
#
# Usage: localnet.sh start|stop|reset|status|summary|faucet <key|address> [amount]
#   start    resume the localnet in $LOCALNET_HOME (chain, keys, subnets, stake, neurons' state all kept), or set a
#            new one up when there is none
#   stop     stop the node and the neurons; everything in $LOCALNET_HOME is kept for the next start
#   reset    stop, say what is deleted, delete $LOCALNET_HOME and set a new localnet up
#   faucet   send funds from the faucet account: a key name of the localnet keyring or a mind1... address, and an
#            amount in umind ("5000000" or "5000000umind") or MIND ("2.5MIND"); default 100MIND
#
# The node refuses transactions below the minimum gas price ($MIN_GAS_PRICES, default 0.025umind) except fee-free
# hotkey upkeep (serve, weights); client.toml's gas-prices makes every tokenmindd command pay it by default.
# Ports (all on 127.0.0.1) move with RPC_PORT, P2P_PORT, GRPC_PORT, API_PORT, PPROF_PORT, GATEWAY, MINER_PORT
# (first of three) and METRICS_PORT (first of four). LOCALNET_WAIT_EPOCHS=0 skips waiting for the first payouts;
# BLOCK_TIME (default 1s) sets a new localnet's block interval.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/lib/tx.sh
source "$ROOT/scripts/lib/tx.sh"
BIN=${TOKENMINDD:-$ROOT/build/tokenmindd}
NEURON=${NEURON:-$ROOT/build/neuron}
LN=${LOCALNET_HOME:-$ROOT/.localnet}
HOME_DIR=$LN/chain
CHAIN_ID=tokenmind-local-1
KR=(--keyring-backend test --home "$HOME_DIR")
RPC_PORT=${RPC_PORT:-26657}
GRPC_PORT=${GRPC_PORT:-9090}
P2P_PORT=${P2P_PORT:-26656}
API_PORT=${API_PORT:-1317}
PPROF_PORT=${PPROF_PORT:-6060}
GATEWAY=${GATEWAY:-127.0.0.1:7070}
MINER_PORT=${MINER_PORT:-4001}
METRICS_PORT=${METRICS_PORT:-9464}
MIN_GAS_PRICES=${MIN_GAS_PRICES:-0.025umind}
BLOCK_TIME=${BLOCK_TIME:-1s} # CometBFT timeout_commit of a new localnet
FAUCET_DEFAULT=100MIND
NODE=tcp://127.0.0.1:$RPC_PORT
READY=$LN/.ready # written when the set-up finished: the localnet can be resumed
NEURONS=(miner1 miner2 miner3 validator1)

log() { printf '\033[1m[localnet]\033[0m %s\n' "$*"; }
# tmd runs tokenmindd against the localnet (client.toml gives chain id, keyring, node and gas prices).
tmd() { "$BIN" --home "$HOME_DIR" "$@"; }

height() { "$BIN" status --node "$NODE" 2>/dev/null | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p' || true; }

wait_height() { # wait until the chain reaches height $1 (at most 60 s)
  local h
  for _ in $(seq 1 120); do
    h=$(height)
    if [ -n "${h:-}" ] && [ "$h" -ge "$1" ]; then return 0; fi
    sleep 0.5
  done
  log "the node did not reach height $1; see $LN/chain.log"; return 1
}

# submit sends a tx with the localnet's client settings and waits until it is in a block (scripts/lib/tx.sh).
submit() { tx_send tmd "$@" >/dev/null 2>>"$LN/cli.log" || { log "failed: tx $* ($(tail -1 "$LN/cli.log"))"; return 1; }; }

running() { [ -f "$LN/$1.pid" ] && kill -0 "$(cat "$LN/$1.pid")" 2>/dev/null; }

# setup initialises a new chain in $HOME_DIR and configures it; the node is not started.
setup() {
  mkdir -p "$LN"
  log "initialising $CHAIN_ID in $HOME_DIR"
  "$BIN" init localnet --chain-id "$CHAIN_ID" --home "$HOME_DIR" >/dev/null 2>&1
  for k in validator alice bob faucet "${NEURONS[@]}"; do
    "$BIN" keys add "$k" "${KR[@]}" --output json >"$LN/key-$k.json" 2>&1
  done
  for k in validator alice bob faucet; do
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
  sed -i "s/^timeout_commit = .*/timeout_commit = \"$BLOCK_TIME\"/; s/^timeout_propose = .*/timeout_propose = \"1s\"/" "$C"
  sed -i "s#^laddr = \"tcp://127.0.0.1:26657\"#laddr = \"tcp://127.0.0.1:$RPC_PORT\"#; s#^laddr = \"tcp://0.0.0.0:26656\"#laddr = \"tcp://127.0.0.1:$P2P_PORT\"#" "$C"
  sed -i "s#^pprof_laddr = .*#pprof_laddr = \"127.0.0.1:$PPROF_PORT\"#" "$C"
  A=$HOME_DIR/config/app.toml
  sed -i "s#^address = \"localhost:9090\"#address = \"127.0.0.1:$GRPC_PORT\"#; s#^address = \"tcp://localhost:1317\"#address = \"tcp://127.0.0.1:$API_PORT\"#" "$A"
  sed -i "s#^minimum-gas-prices = .*#minimum-gas-prices = \"$MIN_GAS_PRICES\"#" "$A"
  sed -i '/^\[api\]/,/^\[/ s/^enable = .*/enable = true/' "$A" # REST with every module's routes
  CL=$HOME_DIR/config/client.toml
  sed -i "s#^chain-id = .*#chain-id = \"$CHAIN_ID\"#; s#^keyring-backend = .*#keyring-backend = \"test\"#; s#^node = .*#node = \"$NODE\"#" "$CL"
  printf '# Gas prices of tx commands that give neither --fees nor --gas-prices (read by tokenmindd; hotkey upkeep\n# such as serve and set-weights stays fee-free).\ngas-prices = "%s"\n' "$MIN_GAS_PRICES" >>"$CL"
}

start_node() {
  log "starting the node (log: $LN/chain.log)"
  nohup "$BIN" start --home "$HOME_DIR" >>"$LN/chain.log" 2>&1 &
  echo $! >"$LN/chain.pid"
}

start() {
  [ -x "$BIN" ] || { log "no binary at $BIN: run make build"; exit 1; }
  if any_running; then log "already running (pids in $LN/*.pid); make localnet-stop first"; exit 1; fi
  if [ -f "$READY" ]; then
    log "resuming the localnet in $LN (make localnet-reset starts over)"
    local h0; h0=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["height"])' \
      "$HOME_DIR/data/priv_validator_state.json" 2>/dev/null || echo 0)
    start_node
    wait_height $((h0 + 1))
    start_neurons
    banner "resumed at height $(height)"
    return
  fi
  if [ -e "$LN" ]; then
    log "$LN holds a localnet whose set-up did not finish (no $READY)."
    log "make localnet-reset deletes it and sets up a new one."
    exit 1
  fi
  setup
  start_node
  wait_height 3

  log "creating subnet 1 (owner alice)"
  submit subnets create-subnet "entity extraction" ner --description "named entities in English text" --from alice
  for m in "${NEURONS[@]}"; do
    log "registering $m on subnet 1 (coldkey bob)"
    submit subnets register 1 --hotkey "$m" --from bob
  done

  log "staking 1000 MIND from bob to validator1"
  submit stake add "$(tmd keys show validator1 -a)" 1000000000 --from bob
  touch "$READY"

  start_neurons
  if [ "${LOCALNET_WAIT_EPOCHS:-1}" != 0 ]; then
    log "waiting for a few epochs (tempo 20 blocks) so the validator earns its permit and weights count..."
    for _ in $(seq 1 12); do sleep 10; summary >/dev/null 2>&1 && [ -n "$(summary | awk 'NR>1 && $5>0')" ] && break; done
  fi
  summary || true
  banner "set up"
}

banner() {
  cat <<MSG

tokenmind localnet $1: chain $CHAIN_ID, RPC $NODE, gRPC 127.0.0.1:$GRPC_PORT, REST http://127.0.0.1:$API_PORT
Fees: the node's minimum gas price is $MIN_GAS_PRICES (client.toml pays it); serve and weights from hotkeys are free.
State and logs: $LN   (make localnet-stop keeps them; make localnet resumes; make localnet-reset starts over)

Query the gateway (answers come from the best-scored miner, signed by its hotkey):
  $NEURON query --gateway $GATEWAY --task ner "Barack Obama visited Paris."
Watch who earns what:   ./scripts/localnet.sh summary
Fund a key or address:  ./scripts/localnet.sh faucet <key|mind1...> [amount, default $FAUCET_DEFAULT]   (or make faucet TO=<key|address>)
REST:                   curl http://127.0.0.1:$API_PORT/tokenmind/subnets/v1/subnets

Try:
  export TM="$BIN --home $HOME_DIR"
  \$TM q subnets subnets
  \$TM q subnets metagraph 1
  \$TM q subnets price 1
  \$TM q stake delegators \$(\$TM keys show validator1 -a)
  \$TM tx stake add \$(\$TM keys show miner1 -a) 5000000 --from alice --yes
MSG
}

# start_neurons runs three miners of different quality and a validator with its gateway, all on loopback.
start_neurons() {
  [ -x "$NEURON" ] || { log "no $NEURON: run make build"; return 1; }
  local common=(--home "$HOME_DIR" --keyring-backend test --node "127.0.0.1:$GRPC_PORT" --chain-id "$CHAIN_ID" --netuid 1 --log-format json)
  local vpeer; vpeer=$("$NEURON" keys show-peer-id --home "$HOME_DIR" --keyring-backend test --key validator1)
  local port=$MINER_PORT metrics=$METRICS_PORT
  for pair in miner1:full miner2:lite miner3:broken; do
    local key=${pair%%:*} model=${pair##*:}
    log "starting $key (model $model) on /ip4/127.0.0.1/tcp/$port (log: $LN/$key.log)"
    nohup "$NEURON" miner "${common[@]}" --key "$key" --task ner --model "$model" --listen "/ip4/127.0.0.1/tcp/$port" \
      --allow-peer "$vpeer" --metrics-addr "127.0.0.1:$metrics" >>"$LN/$key.log" 2>&1 &
    echo $! >"$LN/$key.pid"
    port=$((port+1)); metrics=$((metrics+1))
  done
  log "starting validator1 with its gateway on $GATEWAY (log: $LN/validator1.log)"
  nohup "$NEURON" validator "${common[@]}" --key validator1 --task ner --round-interval 2s --gateway-addr "$GATEWAY" \
    --metrics-addr "127.0.0.1:$metrics" >>"$LN/validator1.log" 2>&1 &
  echo $! >"$LN/validator1.pid"
}

# summary prints who earns what on subnet 1, naming hotkeys by their keyring names.
summary() {
  local out; out=$("$BIN" q subnets metagraph 1 --node "$NODE" -o json) || return 1
  KEYS=$(tmd keys list --output json) python3 -c '
import json, os, sys
names = {k["address"]: k["name"] for k in json.loads(os.environ["KEYS"])} # every key of the keyring
d = json.loads(sys.stdin.read())
print("%-4s %-11s %-7s %14s %9s %9s %12s %s" % ("uid", "hotkey", "model", "stake", "incent.", "divid.", "emission", "permit"))
for e in d.get("neurons", []):
    n, o = e["neuron"], e.get("output", {})
    print("%-4s %-11s %-7s %14s %9s %9s %12s %s" % (n.get("uid", 0), names.get(n["hotkey"], n["hotkey"][:11]),
          n.get("serving", {}).get("model") or "-", e.get("stake", "0"), o.get("incentive", 0), o.get("dividends", 0),
          o.get("emission", "0"), "yes" if o.get("validator_permit") else "-"))
' <<<"$out"
}

# stop_pid NAME: stops the process in $LN/NAME.pid (SIGTERM, SIGKILL after 5 s) and removes the pid file.
stop_pid() {
  local f=$LN/$1.pid pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped $1 (pid $pid)"
  fi
  rm -f "$f"
}

any_running() { local p; for p in chain "${NEURONS[@]}"; do running "$p" && return 0; done; return 1; }

stop() {
  if ! any_running; then
    for p in chain "${NEURONS[@]}"; do rm -f "$LN/$p.pid"; done
    if [ -f "$READY" ]; then log "no localnet running; its state is kept in $LN (make localnet resumes it)"
    else log "no localnet running"; fi
    return 0
  fi
  for n in "${NEURONS[@]}"; do stop_pid "$n"; done
  stop_pid chain
  log "state kept in $LN: make localnet resumes it, make localnet-reset deletes it and starts over"
}

# reset stops the localnet, lists what it is about to delete, deletes $LN and sets up a new localnet.
reset() {
  [ -x "$BIN" ] || { log "no binary at $BIN: run make build"; exit 1; }
  if [ -e "$LN" ]; then
    stop
    log "make localnet-reset deletes $LN ($(du -sh "$LN" 2>/dev/null | cut -f1)):"
    local h; h=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["height"])' \
      "$HOME_DIR/data/priv_validator_state.json" 2>/dev/null || echo "?")
    echo "  - chain $CHAIN_ID at height $h: every block, every subnet, registration, stake and balance"
    echo "  - the test keyring in $HOME_DIR/keyring-test, with these keys (their mnemonics are not kept anywhere else):"
    "$BIN" keys list "${KR[@]}" --output json 2>/dev/null | python3 -c '
import json, sys
for k in json.load(sys.stdin): print("      %-12s %s" % (k["name"], k["address"]))' || echo "      (could not list them)"
    echo "  - the neurons' state in $HOME_DIR/neuron (score books, signed receipts) and every log in $LN"
    local extra; extra=$(cd "$LN" && ls -d -- */ 2>/dev/null | grep -vx 'chain/' | tr '\n' ' ' || true)
    [ -z "$extra" ] || echo "  - the other directories in $LN: $extra(e.g. a home made there for the tour's validator2)"
    if [ -t 0 ]; then
      read -r -p "Delete all of it? [y/N] " yes
      case "$yes" in y|Y|yes) ;; *) log "nothing deleted"; exit 1 ;; esac
    fi
    rm -rf "$LN"
    log "deleted $LN"
  else
    log "no localnet in $LN: nothing to delete"
  fi
  start
}

# faucet sends funds from the faucet account (alice on localnets set up before it existed).
faucet() {
  local to=${1:-} amount=${2:-$FAUCET_DEFAULT} addr umind from=faucet
  [ -n "$to" ] || { echo "usage: $0 faucet <key|mind1...address> [amount: 5000000, 5000000umind or 2.5MIND; default $FAUCET_DEFAULT]" >&2; exit 2; }
  running chain || { log "the localnet is not running: make localnet"; exit 1; }
  if [[ $to == mind1* ]]; then
    addr=$to
    tmd keys parse "$addr" >/dev/null 2>&1 || { log "$to is not a valid mind1... address"; exit 2; }
  elif ! addr=$(tmd keys show "$to" -a 2>/dev/null); then
    log "$to is neither a key of $HOME_DIR's keyring (test backend) nor a mind1... address;"
    log "create the key first: $BIN --home $HOME_DIR keys add $to"; exit 2
  fi
  if [[ $amount =~ ^([0-9]+)(umind)?$ ]]; then
    umind=${BASH_REMATCH[1]}
  elif [[ $amount =~ ^([0-9]+)(\.([0-9]{1,6}))?[Mm][Ii][Nn][Dd]$ ]]; then
    local frac=${BASH_REMATCH[3]}000000
    umind=$((10#${BASH_REMATCH[1]} * 1000000 + 10#${frac:0:6}))
  else
    log "amount $amount: give umind (5000000 or 5000000umind) or MIND with up to 6 decimals (2.5MIND)"; exit 2
  fi
  [ "$umind" -gt 0 ] || { log "amount $amount: must be more than zero"; exit 2; }
  tmd keys show faucet -a >/dev/null 2>&1 || from=alice
  mkdir -p "$LN"
  local hash
  hash=$(tx_send tmd bank send "$from" "$addr" "${umind}umind" --from "$from") || exit 1
  log "sent ${umind}umind from $from to $to (tx $hash); balance now $(tmd q bank balance "$addr" umind -o json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"]["amount"])')umind"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  reset) reset ;;
  summary) summary ;;
  faucet) shift; faucet "$@" ;;
  status) if running chain; then log "running at height $(height) (state in $LN)"; else log "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|reset|status|summary|faucet <key|address> [amount]" >&2; exit 2 ;;
esac
