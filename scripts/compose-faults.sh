#!/usr/bin/env bash
# Fault scenarios of the multi-node network, run against the real containers of docker-compose.yml (the process
# versions are tests/e2e/faults_test.go and tests/e2e/neuron_faults_test.go):
#   1. docker stop one of four chain validators: blocks keep coming; docker start: it catches up and its app hash
#      equals node0's
#   2. docker stop two of four: the chain halts without forking (the live two agree at the halt height); started
#      again it resumes, and a bank send committed before the halt is there on every node
#   3. docker pause miner1 (connections stay open, nothing answers): the validator's rounds still end at the query
#      timeout and miner1's incentive falls; docker unpause: it comes back to the top
#   4. docker restart validator1: its score book continues from where it was and its last_update on chain keeps
#      advancing every tempo
#   5. a burst of gateway queries from the host larger than the miners can serve: every failure is a typed
#      ResourceExhausted, nothing crashes or turns unhealthy, and a normal query succeeds afterwards
# Prints one line per check with its timing; always removes the network (trap), printing the services' state and
# logs on failure. Needs a Docker engine and build/{tokenmindd,neuron} + build/static/* (make test-faults-docker
# builds them). Its own compose project, homes and host ports keep it apart from the smoke test and localnet-docker.
set -euo pipefail
export PROJECT=${PROJECT:-tokenmind-faults}
export TESTNET_DIR=${TESTNET_DIR:-./build/testnet-faults}
export TM_RPC_PORT=${TM_RPC_PORT:-46657} TM_GRPC_PORT=${TM_GRPC_PORT:-49090} TM_API_PORT=${TM_API_PORT:-41317}
export TM_GATEWAY_PORT=${TM_GATEWAY_PORT:-47070}
# shellcheck source=scripts/localnet-docker.sh
source "$(dirname "$0")/localnet-docker.sh"

TEMPO=20
QUERY_TIMEOUT_S=3      # the validator's query timeout in this project (neuron.toml below)
MINER_SLOTS=2          # max-concurrent of every miner in this project
T0=$(date +%s)
TS=$T0                 # start of the current scenario
step() { echo "compose-faults: [$(( $(date +%s) - T0 ))s] $*"; }
check() { echo "compose-faults: [$(( $(date +%s) - T0 ))s] ok  $*"; }
fail() { echo "compose-faults: [$(( $(date +%s) - T0 ))s] FAIL $*" >&2; exit 1; }
scenario() { TS=$(date +%s); step "== scenario $*"; }
done_scenario() { step "== scenario $1 passed in $(( $(date +%s) - TS ))s"; }

cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "compose-faults: FAILED (exit $rc) after $(( $(date +%s) - T0 ))s; state of the services and their last logs:" >&2
    dc ps >&2 || true
    dc logs --no-color --tail 30 >&2 || true
  fi
  docker ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter status=paused | xargs -r docker unpause >/dev/null 2>&1 || true
  dc down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$TESTNET_DIR"
  exit "$rc"
}
trap cleanup EXIT

node_height() { tmd "$1" status --node tcp://127.0.0.1:26657 2>/dev/null | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p' || true; }
# wait_node_height NODE H SECONDS
wait_node_height() {
  local h
  for _ in $(seq 1 "$3"); do
    h=$(node_height "$1"); if [ -n "$h" ] && [ "$h" -ge "$2" ]; then echo "$h"; return 0; fi; sleep 1
  done
  fail "$1 did not reach height $2 within $3s (at ${h:-?})"
}
app_hash() { # NODE HEIGHT: the app hash in the header of block HEIGHT as NODE stores it
  tmd "$1" q block --type=height "$2" --node tcp://127.0.0.1:26657 -o json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["app_hash"])' 2>/dev/null || true
}
same_app_hash() { # HEIGHT NODE...: every node has the same non-empty app hash at HEIGHT
  local h=$1 want got; shift
  want=$(app_hash node0 "$h")
  [ -n "$want" ] || fail "node0 has no block $h"
  for n in "$@"; do
    got=$(app_hash "$n" "$h")
    [ "$got" = "$want" ] || fail "app hash at $h: node0 $want, $n ${got:-none}"
  done
  echo "$want"
}
balance() { # NODE ADDRESS
  tmd "$1" q bank balance "$2" umind --node tcp://127.0.0.1:26657 -o json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"]["amount"])' 2>/dev/null || true
}

# mg: subnet 1's metagraph from the host, one line per neuron: "uid name incentive last_update".
mg() {
  local out; out=$("$BIN" q subnets metagraph 1 --node "$NODE" -o json 2>/dev/null) || return 0
  NAMES=$(cat "$TESTNET_DIR/hotkeys.txt") python3 -c '
import json, os, sys
names = dict(l.split("=", 1) for l in os.environ["NAMES"].split())
for e in json.loads(sys.stdin.read()).get("neurons", []):
    n, o = e["neuron"], e.get("output", {})
    print(n.get("uid", 0), names.get(n["hotkey"], "?"), int(o.get("incentive", 0)), int(n.get("last_update", 0)))
' <<<"$out"
}
incentive() { mg | awk -v n="$1" '$2 == n { print $3 }'; }
last_update() { mg | awk -v n="$1" '$2 == n { print $4 }'; }
uid_of() { mg | awk -v n="$1" '$2 == n { print $1 }'; }
top_miner() { mg | awk '$2 ~ /^miner/ { print $3, $2 }' | sort -n | tail -1 | cut -d' ' -f2; }
samples() { # UID: samples of UID in the validator's score book
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"].get(sys.argv[2], {}).get("samples", 0))' \
    "$TESTNET_DIR/validator1/neuron/scores-1.json" "$1" 2>/dev/null || echo 0
}
# round_lines SINCE: the validator's "round done" log records since the unix time SINCE, as "failed duration_ms".
round_lines() {
  docker logs --since "$1" "$(cid validator1)" 2>&1 | python3 -c '
import json, sys
for l in sys.stdin:
    try: r = json.loads(l)
    except ValueError: continue
    if r.get("msg") == "round done": print(int(r["failed"]), int(r["duration_ms"]))
'
}
# poll SECONDS WHAT COMMAND...: run COMMAND every second until it succeeds; fails the run after SECONDS.
poll() {
  local s=$1 what=$2 start; shift 2; start=$(date +%s)
  until "$@"; do
    [ $(( $(date +%s) - start )) -lt "$s" ] || fail "$what: not within ${s}s"
    sleep 1
  done
}

# ---------------------------------------------------------------------------------------------------------------
./scripts/testnet.sh 4 "$TESTNET_DIR" node >/dev/null
# This project's neurons: two request slots per miner (a burst overloads them), an unlimited per-client gateway rate
# (the host's burst all comes from one address: refusals must come from the miners, not the rate limiter), a 3 s
# query timeout and a faster score average (a cut-off miner's score falls within a few rounds).
for m in miner1 miner2 miner3; do echo "max-concurrent = $MINER_SLOTS" >>"$TESTNET_DIR/$m/config/neuron.toml"; done
sed -i "s/^query-timeout = .*/query-timeout = \"${QUERY_TIMEOUT_S}s\"/" "$TESTNET_DIR/validator1/config/neuron.toml"
printf 'gateway-rate = 0\nalpha = 0.5\n' >>"$TESTNET_DIR/validator1/config/neuron.toml"
step "generated the homes in $TESTNET_DIR (miners max-concurrent $MINER_SLOTS, validator query-timeout ${QUERY_TIMEOUT_S}s)"
out=$(docker build -q -t tokenmind:local . 2>&1) || { echo "$out" >&2; exit 1; }
step "built image tokenmind:local"
out=$(dc up -d 2>&1) || { echo "$out" >&2; exit 1; }
h=$(wait_height 3)
step "chain producing blocks (height $h)"

# ---------------------------------------------------------------------------------------------------------------
scenario "1: docker stop one of four chain validators"
docker stop "$(cid node3)" >/dev/null
stopped=$(date +%s)
h=$(height)
h2=$(wait_height $((h + 5)) 60)
check "with node3 stopped the chain went from $h to $h2 in $(( $(date +%s) - stopped ))s"
docker start "$(cid node3)" >/dev/null
started=$(date +%s)
target=$(height)
wait_node_height node3 "$target" 90 >/dev/null
check "node3 restarted and caught up to height $target (${target}-${h} = $((target - h)) blocks behind) in $(( $(date +%s) - started ))s"
sleep 1
hash=$(same_app_hash "$target" node1 node2 node3)
hash1=$(same_app_hash $((h + 1)) node3)
check "app hash at $((h + 1)) (${hash1:0:12}..., made while node3 was down) and at $target (${hash:0:12}...) equal on node0..node3"
done_scenario 1

# ---------------------------------------------------------------------------------------------------------------
scenario "2: docker stop two of four chain validators"
BOB=$(tmd node0 keys show bob -a --keyring-backend test --home /data)
before=$(balance node0 "$BOB")
# tx_send checks the broadcast result, retries what is safe to retry (node unreachable, sequence mismatch, mempool
# full) and waits for the block, so a refusal or a lost tx fails here with its reason instead of as a timeout.
txhash=$(tx_send node0_cli bank send alice "$BOB" 12345umind --from alice) || fail "bank send alice -> bob (reason above)"
want=$((before + 12345))
poll 10 "bob's balance shows the committed send (tx $txhash)" test "$(balance node0 "$BOB")" = "$want"
committed=$(height)
check "bank send alice -> bob 12345umind committed by height $committed (tx ${txhash:0:12}..., bob $before -> $want)"
docker stop "$(cid node2)" "$(cid node3)" >/dev/null
stopped=$(date +%s)
sleep 3 # let a round in flight finish
halted=$(height)
sleep 6
[ "$(height)" = "$halted" ] || fail "the chain went on with two of four validators stopped ($halted -> $(height))"
h1=$(node_height node1)
[ "$h1" = "$halted" ] || fail "node1 is at $h1, node0 at $halted"
hash=$(same_app_hash "$halted" node1)
check "with node2+node3 stopped the chain halted at $halted (6s without a block); node0 and node1 agree (app hash ${hash:0:12}...)"
docker start "$(cid node2)" "$(cid node3)" >/dev/null
started=$(date +%s)
h=$(wait_height $((halted + 3)) 120)
check "node2+node3 started: the chain resumed to $h in $(( $(date +%s) - started ))s (halted for $(( started - stopped ))s)"
for n in node1 node2 node3; do wait_node_height "$n" $((halted + 3)) 60 >/dev/null; done
hash=$(same_app_hash $((halted + 2)) node1 node2 node3)
for n in node0 node1 node2 node3; do
  got=$(balance "$n" "$BOB")
  [ "$got" = "$want" ] || fail "$n: bob has ${got:-?}, want $want (the send committed before the halt)"
done
check "no fork after resuming (app hash at $((halted + 2)) equal on all four: ${hash:0:12}...); the send is there on all four (bob $want)"
done_scenario 2

# ---------------------------------------------------------------------------------------------------------------
step "waiting for the neurons: all services healthy and an epoch that pays the miners"
wait_healthy 120
poll 180 "an epoch paying the miners (full above broken)" miners_paid
summary | sed 's/^/    /'
M1_UID=$(uid_of miner1)
V_UID=$(uid_of validator1)

# ---------------------------------------------------------------------------------------------------------------
scenario "5: a burst of gateway queries larger than the miners can serve"
LONG=$(python3 -c 'print(("Angela Merkel met Emmanuel Macron in Berlin on Tuesday. " * 200)[:8000])')
BURST=$(mktemp -d)
export NEURON GATEWAY LONG BURST
burst_start=$(date +%s%N)
seq 1 200 | xargs -P 40 -I{} sh -c '"$NEURON" query --gateway "$GATEWAY" --task ner --top-k 1 "$LONG" >"$BURST/{}" 2>&1; echo $? >"$BURST/{}.rc"'
burst_ms=$(( ($(date +%s%N) - burst_start) / 1000000 ))
ok=0 exhausted=0 other=0 overloaded=0
for i in $(seq 1 200); do
  if [ "$(cat "$BURST/$i.rc")" = 0 ] && grep -q '(valid)' "$BURST/$i"; then ok=$((ok + 1))
  elif grep -q 'code = ResourceExhausted' "$BURST/$i"; then
    exhausted=$((exhausted + 1)); grep -q OVERLOADED "$BURST/$i" && overloaded=$((overloaded + 1))
  else other=$((other + 1)); [ "$other" -gt 1 ] || { echo "    first other outcome:"; sed 's/^/    /' "$BURST/$i" | head -5; }
  fi
done
rm -rf "$BURST"
step "burst of 200 queries (40 at once, $(( ${#LONG} / 1000 )) kB text, --top-k 1) in ${burst_ms} ms: $ok OK, $exhausted ResourceExhausted ($overloaded of them miners OVERLOADED), $other other"
[ "$other" = 0 ] || fail "a query failed with something other than ResourceExhausted"
[ "$exhausted" -gt 0 ] || fail "the burst did not exceed the miners' capacity (no ResourceExhausted)"
[ "$ok" -gt 0 ] || fail "no query of the burst was answered"
check "every failure of the burst is the typed ResourceExhausted"
states=$(docker inspect --format '{{.Name}} {{.State.Status}} restarts={{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' $(dc ps -q))
if grep -v ' running restarts=0 healthy$' <<<"$states"; then fail "a service is not running and healthy after the burst"; fi
check "all 8 services still running (no restart) and healthy"
poll 30 "a normal query after the burst" sh -c '"$NEURON" query --gateway "$GATEWAY" --task ner "Barack Obama visited Paris." 2>&1 | grep -q "(valid)"'
check "a normal query succeeds after the burst"
done_scenario 5

# ---------------------------------------------------------------------------------------------------------------
scenario "3: docker pause miner1"
top_is_miner1() { [ "$(top_miner)" = miner1 ]; }
poll 120 "miner1 on top before the pause" top_is_miner1
inc_before=$(incentive miner1)
paused=$(date +%s)
docker pause "$(cid miner1)" >/dev/null
three_failed_rounds() { [ "$(round_lines "$paused" | awk '$1 >= 1' | wc -l)" -ge 3 ]; }
poll 60 "three rounds with the paused miner failing" three_failed_rounds
longest=$(round_lines "$paused" | awk '$1 >= 1 { if ($2 > m) m = $2 } END { print m + 0 }')
n_failed=$(round_lines "$paused" | awk '$1 >= 1' | wc -l)
[ "$longest" -le $(( QUERY_TIMEOUT_S * 1000 + 1500 )) ] || fail "a round with miner1 paused took ${longest} ms (query timeout ${QUERY_TIMEOUT_S}s)"
check "$n_failed rounds with miner1 failing within $(( $(date +%s) - paused ))s of the pause, the longest ${longest} ms (query timeout ${QUERY_TIMEOUT_S}s)"
inc_fell() { [ "$(incentive miner1)" -lt $(( inc_before / 2 )) ]; }
poll 150 "miner1's incentive halves" inc_fell
check "miner1's incentive fell $inc_before -> $(incentive miner1) within $(( $(date +%s) - paused ))s of the pause"
docker unpause "$(cid miner1)" >/dev/null
unpaused=$(date +%s)
poll 150 "miner1 back on top" top_is_miner1
check "miner1 unpaused: back on top (incentive $(incentive miner1)) within $(( $(date +%s) - unpaused ))s"
done_scenario 3

# ---------------------------------------------------------------------------------------------------------------
scenario "4: docker restart validator1"
s_before=$(samples "$M1_UID")
lu_before=$(last_update validator1)
started_at=$(docker inspect -f '{{.State.StartedAt}}' "$(cid validator1)")
restarted=$(date +%s)
docker restart "$(cid validator1)" >/dev/null
[ "$(docker inspect -f '{{.State.StartedAt}}' "$(cid validator1)")" != "$started_at" ] || fail "validator1 was not restarted"
check "validator1 restarted in $(( $(date +%s) - restarted ))s; miner1 (uid $M1_UID) had $s_before samples, validator last_update $lu_before"
s_first=$(samples "$M1_UID")
[ "$s_first" -ge "$s_before" ] || fail "the score book restarted: $s_before samples before, $s_first after"
more_samples() { [ "$(samples "$M1_UID")" -gt "$s_before" ]; }
poll 60 "the score book continues" more_samples
check "score book continues: miner1 samples $s_before -> $(samples "$M1_UID") within $(( $(date +%s) - restarted ))s (never reset)"
updates=("$(last_update validator1)") # read after the restart: the two advances below are the new process's
two_updates() {
  local lu; lu=$(last_update validator1)
  [ -n "$lu" ] && [ "$lu" -gt "${updates[-1]}" ] && updates+=("$lu")
  [ "${#updates[@]}" -ge 3 ]
}
poll $(( 4 * TEMPO + 30 )) "two weight updates after the restart" two_updates
for i in 1 2; do
  gap=$(( updates[i] - updates[i - 1] ))
  [ "$gap" -le $(( 2 * TEMPO )) ] || fail "weights updates at heights ${updates[*]}: a gap of $gap blocks (tempo $TEMPO)"
done
check "validator1 last_update on chain $lu_before before the restart, ${updates[*]} after (tempo $TEMPO) within $(( $(date +%s) - restarted ))s of the restart"
done_scenario 4

step "passed in $(( $(date +%s) - T0 ))s"
