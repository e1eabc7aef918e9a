#!/usr/bin/env bash
# Generates the homes of a whole tokenmind network: N chain validators and the neurons of subnet 1.
#
#   OUTDIR/node0..node{N-1}   chain validators: one genesis with N validators of equal power, funded test keys
#                             (alice, bob in node0's keyring) and persistent peers addressed by host name (the
#                             compose service names)
#   OUTDIR/validator1         the subnet's validator neuron (hotkey owned by alice, the subnet owner; 100 MIND staked)
#   OUTDIR/miner1..miner3     miners (hotkeys owned by bob) serving the ner task with the full, lite, broken models
#   OUTDIR/hotkeys.txt        ADDRESS=NAME of every neuron hotkey
#
# Every node serves REST on :1317 and refuses transactions below the minimum gas price $MIN_GAS_PRICES (default
# 0.025umind) except fee-free hotkey upkeep (serve, weights); its client.toml pays that price by default.
#
# Subnet 1 (task ner, owner alice), its four neurons and the validator's stake are written straight into genesis
# (x/subnets and x/stake genesis import them like an export), so the network needs no set-up transactions: miners
# serve and the validator sets weights as soon as blocks come. Each neuron home holds only its own hotkey (keyring
# backend test) and a config/neuron.toml with its flags, so `neuron miner --home H` is the whole command line.
#
# Usage: scripts/testnet.sh [N] [OUTDIR] [HOST_PREFIX]    (defaults: 4 build/testnet node)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-4}
OUT=${2:-build/testnet}
PREFIX=${3:-node}
BIN=${TOKENMINDD:-build/tokenmindd}
NEURON=${NEURON:-build/neuron}
CHAIN_ID=${CHAIN_ID:-tokenmind-local-1}
KR=(--keyring-backend test)
VALIDATOR=validator1                                  # the subnet validator neuron (and its compose service name)
MINERS=(miner1:full miner2:lite miner3:broken)        # miner (compose service name) : ner model
VALIDATOR_STAKE=100000000                             # 100 MIND from alice to validator1, enough for a permit
HOTKEY_FUNDS=1000000                                  # umind for every hotkey's account
MIN_GAS_PRICES=${MIN_GAS_PRICES:-0.025umind}          # every node's minimum gas price; client.toml pays it by default

[ -x "$BIN" ] || { echo "no $BIN: run make build" >&2; exit 1; }
[ -x "$NEURON" ] || { echo "no $NEURON: run make build" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"

# newkey NAME HOME: adds key NAME to HOME's test keyring and prints its address.
newkey() {
  local a
  a=$("$BIN" keys add "$1" "${KR[@]}" --home "$2" --output json 2>&1 | sed -n 's/.*"address":"\(mind1[0-9a-z]*\)".*/\1/p')
  [ -n "$a" ] || { echo "could not create key $1 in $2" >&2; return 1; }
  echo "$a"
}
declare -A ADDR   # key name -> address
accounts=()       # genesis accounts: "address amount"

# Chain validator homes and their operator keys; alice and bob (coldkeys) in node0's keyring.
for i in $(seq 0 $((N-1))); do
  h="$OUT/$PREFIX$i"
  "$BIN" init "$PREFIX$i" --chain-id "$CHAIN_ID" --home "$h" >/dev/null 2>&1
  addr=$(newkey validator "$h")
  accounts+=("$addr 10000000000000")
done
H0="$OUT/${PREFIX}0"
for k in alice bob; do
  ADDR[$k]=$(newkey "$k" "$H0")
  accounts+=("${ADDR[$k]} 10000000000000")
done
# Neuron homes: one hotkey each, with an account (it signs MsgServe and weights).
for name in "$VALIDATOR" "${MINERS[@]%%:*}"; do
  mkdir -p "$OUT/$name/config"
  ADDR[$name]=$(newkey "$name" "$OUT/$name")
  accounts+=("${ADDR[$name]} $HOTKEY_FUNDS")
done
printf '%s\n' "${accounts[@]}" | python3 -c '
import json, sys
print(json.dumps([{"address": a, "coins": [{"denom": "umind", "amount": n}]} for a, n in (l.split() for l in sys.stdin)]))
' >"$OUT/accounts.json"
"$BIN" genesis bulk-add-genesis-account "$OUT/accounts.json" --home "$H0" >/dev/null
rm "$OUT/accounts.json"

# Genesis edits: fast test-network settings, then subnet 1 with its neurons and the validator's stake.
ALICE=${ADDR[alice]} BOB=${ADDR[bob]} \
VALIDATOR_ADDR=${ADDR[$VALIDATOR]} \
MINER_ADDRS=$(for m in "${MINERS[@]%%:*}"; do echo "${ADDR[$m]}"; done | paste -sd,) \
STAKE_MODULE=$("$BIN" debug addr "$(python3 -c 'import hashlib; print(hashlib.sha256(b"stake").hexdigest()[:40])')" \
  | sed -n 's/^Bech32 Acc: //p') \
VALIDATOR_STAKE=$VALIDATOR_STAKE \
python3 - "$H0/config/genesis.json" <<'PY'
import json, os, sys
p = sys.argv[1]; g = json.load(open(p)); a = g["app_state"]; env = os.environ
a["gov"]["params"]["voting_period"] = "30s"
a["gov"]["params"]["expedited_voting_period"] = "15s"
sp = a["subnets"]["params"]; sp["subnet_min_cost"] = "1000000"
hp = sp["default_hyperparameters"]
hp.update({"tempo": "20", "weights_rate_limit": "5", "serving_rate_limit": "2", "immunity_period": "100"})

# Subnet 1, as MsgCreateSubnet at genesis would leave it (nothing burned: locked 0).
alice, bob, stake = env["ALICE"], env["BOB"], int(env["VALIDATOR_STAKE"])
hotkeys = [(env["VALIDATOR_ADDR"], alice)] + [(m, bob) for m in env["MINER_ADDRS"].split(",")]
clamp = lambda v, lo, hi: max(int(lo), min(int(hi), int(v)))
s = a["subnets"]
s["subnets"] = [{
    "netuid": 1, "owner": alice,
    "identity": {"name": "entity extraction", "description": "named entities in English text", "task_kind": "ner", "url": ""},
    "hyperparameters": hp, "created_at": "0",
    "burn": str(clamp(sp["initial_burn"], hp["min_burn"], hp["max_burn"])),
    "burn_decay_q32": "0",  # derived from burn_half_life at import
    "hyperparameters_updated_at": "0", "locked": "0", "n": len(hotkeys),
}]
# UID 0 is the validator (alice's hotkey: the owner's hotkey may set weights before it holds a permit); 1.. miners.
s["neurons"] = [{"netuid": 1, "uid": uid, "hotkey": hk, "coldkey": ck, "registered_at": "0",
                 "serving": {"multiaddrs": [], "protocol_version": 0, "task": "", "model": "", "model_version": "",
                             "updated_at": "0"},
                 "last_update": "0"} for uid, (hk, ck) in enumerate(hotkeys)]
s["next_netuid"] = 2

# alice stakes to the validator's hotkey. The coins move from alice's balance to the stake module account, so the
# supply is unchanged and the module holds exactly the sum of positions (x/stake checks this at import). The
# snapshot says the stake was there at the subnet's "previous epoch", so it counts from the first epoch.
st = a["stake"]
st["positions"] = [{"coldkey": alice, "hotkey": env["VALIDATOR_ADDR"], "amount": str(stake)}]
st["epoch_stakes"] = [{"netuid": 1, "hotkey": env["VALIDATOR_ADDR"], "amount": str(stake)}]
bank = a["bank"]
for b in bank["balances"]:
    if b["address"] == alice:
        for c in b["coins"]:
            if c["denom"] == "umind":
                assert int(c["amount"]) >= stake, "alice cannot cover the validator's stake"
                c["amount"] = str(int(c["amount"]) - stake)
bank["balances"].append({"address": env["STAKE_MODULE"], "coins": [{"denom": "umind", "amount": str(stake)}]})
json.dump(g, open(p, "w"), indent=1)
PY

# Chain validators: gentxs, one genesis for all.
mkdir -p "$H0/config/gentx"
for i in $(seq 0 $((N-1))); do
  h="$OUT/$PREFIX$i"
  [ "$i" = 0 ] || cp "$H0/config/genesis.json" "$h/config/genesis.json"
  "$BIN" genesis gentx validator 1000000000000umind --chain-id "$CHAIN_ID" "${KR[@]}" --home "$h" \
    --ip "$PREFIX$i" --output-document "$H0/config/gentx/gentx-$i.json" >/dev/null 2>&1
done
"$BIN" genesis collect-gentxs --home "$H0" >/dev/null 2>&1
"$BIN" genesis validate --home "$H0" >/dev/null
peers=""
for i in $(seq 0 $((N-1))); do
  id=$("$BIN" comet show-node-id --home "$OUT/$PREFIX$i")
  peers="${peers:+$peers,}$id@$PREFIX$i:26656"
done
for i in $(seq 0 $((N-1))); do
  h="$OUT/$PREFIX$i"
  [ "$i" = 0 ] || cp "$H0/config/genesis.json" "$h/config/genesis.json"
  sed -i "s/^timeout_commit = .*/timeout_commit = \"1s\"/; s/^persistent_peers = .*/persistent_peers = \"$peers\"/; \
s/^addr_book_strict = .*/addr_book_strict = false/; s/^allow_duplicate_ip = .*/allow_duplicate_ip = true/; \
s#^laddr = \"tcp://127.0.0.1:26657\"#laddr = \"tcp://0.0.0.0:26657\"#" "$h/config/config.toml"
  sed -i 's#^address = "localhost:9090"#address = "0.0.0.0:9090"#; s#^address = "tcp://localhost:1317"#address = "tcp://0.0.0.0:1317"#; s/^minimum-gas-prices = .*/minimum-gas-prices = "'"$MIN_GAS_PRICES"'"/' "$h/config/app.toml"
  sed -i '/^\[api\]/,/^\[/ s/^enable = .*/enable = true/' "$h/config/app.toml" # REST with every module's routes
  sed -i 's/^keyring-backend = .*/keyring-backend = "test"/; s/^chain-id = .*/chain-id = "'"$CHAIN_ID"'"/' "$h/config/client.toml"
  printf '# Gas prices of tx commands without --fees or --gas-prices (hotkey upkeep stays fee-free).\ngas-prices = "%s"\n' \
    "$MIN_GAS_PRICES" >>"$h/config/client.toml"
done

# Neuron configs (<home>/config/neuron.toml: keys are neuron flag names). Every neuron talks to node0's gRPC and
# serves Prometheus metrics on :9464; miners announce their compose host name and admit the validator by peer ID
# (before the first epoch nobody holds a validator permit).
common() { # $1 = hotkey name
  cat <<EOF
keyring-backend = "test"
key = "$1"
node = "${PREFIX}0:9090"
chain-id = "$CHAIN_ID"
netuid = 1
log-format = "json"
metrics-addr = "0.0.0.0:9464"
metagraph-interval = "3s"
EOF
}
vpeer=$("$NEURON" keys show-peer-id --home "$OUT/$VALIDATOR" --keyring-backend test --key "$VALIDATOR")
{ echo "# $VALIDATOR: subnet 1 validator with its gateway (generated by scripts/testnet.sh)"; common "$VALIDATOR"
  cat <<EOF
task = ["ner"]
round-interval = "2s"
query-timeout = "5s"
gateway-addr = "0.0.0.0:7070"
EOF
} >"$OUT/$VALIDATOR/config/neuron.toml"
for pair in "${MINERS[@]}"; do
  m=${pair%%:*} model=${pair##*:}
  { echo "# $m: subnet 1 miner, ner model $model (generated by scripts/testnet.sh)"; common "$m"
    cat <<EOF
task = "ner"
model = "$model"
listen = ["/ip4/0.0.0.0/tcp/4001"]
announce = ["/dns4/$m/tcp/4001"]
allow-peer = ["$vpeer"]
EOF
  } >"$OUT/$m/config/neuron.toml"
done

# Names of the neuron hotkeys, for tools that print the metagraph (scripts/localnet-docker.sh summary).
for name in "$VALIDATOR" "${MINERS[@]%%:*}"; do echo "${ADDR[$name]}=$name"; done >"$OUT/hotkeys.txt"
# tokenmindd wrote its default node files into the neuron homes while handling their keys; a neuron needs none.
for name in "$VALIDATOR" "${MINERS[@]%%:*}"; do
  rm -rf "$OUT/$name/data" "$OUT/$name/config/"{app,client,config}.toml
done
chmod -R a+rwX "$OUT"
echo "generated $N validator homes in $OUT (chain $CHAIN_ID, peers ${PREFIX}0..${PREFIX}$((N-1))) and subnet 1 with" \
  "$VALIDATOR and ${MINERS[*]%%:*} (homes beside them)"
