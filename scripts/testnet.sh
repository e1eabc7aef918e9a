#!/usr/bin/env bash
# Generates the home directories of an N-validator network: one genesis with N validators of equal power, funded
# test keys (alice, bob) and persistent peers addressed by host name (node0, node1, ... — the compose service names).
# Usage: scripts/testnet.sh [N] [OUTDIR] [HOST_PREFIX]    (defaults: 4 build/testnet node)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-4}
OUT=${2:-build/testnet}
PREFIX=${3:-node}
BIN=${TOKENMINDD:-build/tokenmindd}
CHAIN_ID=${CHAIN_ID:-tokenmind-local-1}
KR=(--keyring-backend test)

[ -x "$BIN" ] || { echo "no $BIN: run make build" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
for i in $(seq 0 $((N-1))); do
  h="$OUT/$PREFIX$i"
  "$BIN" init "$PREFIX$i" --chain-id "$CHAIN_ID" --home "$h" >/dev/null 2>&1
  "$BIN" keys add validator "${KR[@]}" --home "$h" >/dev/null 2>&1
done
H0="$OUT/${PREFIX}0"
for k in alice bob; do
  "$BIN" keys add "$k" "${KR[@]}" --home "$H0" >/dev/null 2>&1
  "$BIN" genesis add-genesis-account "$k" 10000000000000umind "${KR[@]}" --home "$H0"
done
for i in $(seq 0 $((N-1))); do
  addr=$("$BIN" keys show validator -a "${KR[@]}" --home "$OUT/$PREFIX$i")
  "$BIN" genesis add-genesis-account "$addr" 10000000000000umind --home "$H0"
done
python3 - "$H0/config/genesis.json" <<'PY'
import json, sys
p = sys.argv[1]; g = json.load(open(p)); a = g["app_state"]
a["gov"]["params"]["voting_period"] = "30s"
a["gov"]["params"]["expedited_voting_period"] = "15s"
sp = a["subnets"]["params"]; sp["subnet_min_cost"] = "1000000"
sp["default_hyperparameters"].update({"tempo": "20", "weights_rate_limit": "5", "serving_rate_limit": "2", "immunity_period": "100"})
json.dump(g, open(p, "w"), indent=1)
PY
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
  sed -i 's#^address = "localhost:9090"#address = "0.0.0.0:9090"#; s#^address = "tcp://localhost:1317"#address = "tcp://0.0.0.0:1317"#; s/^minimum-gas-prices = .*/minimum-gas-prices = "0umind"/' "$h/config/app.toml"
  sed -i 's/^keyring-backend = .*/keyring-backend = "test"/; s/^chain-id = .*/chain-id = "'"$CHAIN_ID"'"/' "$h/config/client.toml"
done
chmod -R a+rwX "$OUT"
echo "generated $N validator homes in $OUT (chain $CHAIN_ID, peers ${PREFIX}0..${PREFIX}$((N-1)))"
