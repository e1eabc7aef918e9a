# shellcheck shell=bash
# Transaction helpers shared by the localnet and compose scripts (source this file).
#
#   tx_send CLI ARGS...   runs `CLI tx ARGS... --yes --output json`, checks the broadcast result (CheckTx code and
#                         raw_log), retries what is safe to retry, waits until the tx is in a block and succeeded,
#                         and prints its hash. On failure it prints why on stderr and returns 1.
#
# CLI is a command or shell function that runs tokenmindd with the node, home and keyring flags of the caller,
# e.g. `tmd() { ./build/tokenmindd --home .localnet/chain "$@"; }`; it is also used for `q tx HASH`.
# Safe to retry: a CLI that never reached the node (connection refused, timeouts, EOF) and CheckTx refusals that
# mean "not now" — account sequence mismatch (32: an earlier tx of the signer is still in the mempool) and mempool
# full (20). "tx already in mempool" (19) is waited for like a success. Anything else is reported at once, since a
# retry would fail the same way. TX_ATTEMPTS (default 6) and TX_WAIT (seconds to wait for a block, default 60)
# tune it.

# _tx_fields reads the CLI output and prints "code<TAB>txhash<TAB>codespace<TAB>raw_log" from its last JSON line
# (some commands print a note before the JSON), or nothing if there is none.
_tx_fields() {
  python3 -c '
import json, sys
res = None
for line in sys.stdin.read().splitlines():
    line = line.strip()
    if line.startswith("{"):
        try: res = json.loads(line)
        except ValueError: pass
if res is not None and ("code" in res or "txhash" in res):
    log = (res.get("raw_log") or "").replace("\t", " ").replace("\n", " ")
    print("%s\t%s\t%s\t%s" % (res.get("code", 0), res.get("txhash", ""), res.get("codespace", "") or "-", log))
'
}

# _tx_transient succeeds when CLI output says the node could not be reached (nothing was broadcast).
_tx_transient() {
  grep -qiE 'connection refused|connection reset|post failed|EOF|timed out|timeout|deadline exceeded|Unavailable|no such host|catching up' <<<"$1"
}

tx_send() {
  local cli=$1; shift
  local attempts=${TX_ATTEMPTS:-6} wait=${TX_WAIT:-60} out rc fields code hash space log reason="" i
  for ((i = 1; i <= attempts; i++)); do
    rc=0; out=$("$cli" tx "$@" --yes --output json 2>&1) || rc=$?
    fields=$(_tx_fields <<<"$out")
    if [ -z "$fields" ]; then
      reason="tokenmindd exited $rc without a tx result: $(tail -c 400 <<<"$out")"
      if [ "$rc" -ne 0 ] && _tx_transient "$out"; then sleep 2; continue; fi
      echo "tx $*: $reason" >&2; return 1
    fi
    IFS=$'\t' read -r code hash space log <<<"$fields"
    case "$code" in
      0|19) break ;;
      20|32) reason="CheckTx refused it with code $code ($space): $log"; sleep 2; continue ;;
      *) echo "tx $*: refused by the node (CheckTx code $code, codespace $space): $log" >&2; return 1 ;;
    esac
  done
  if [ "$i" -gt "$attempts" ]; then echo "tx $*: gave up after $attempts attempts; last: $reason" >&2; return 1; fi
  local start=$SECONDS
  while [ $((SECONDS - start)) -lt "$wait" ]; do
    if out=$("$cli" q tx "$hash" --output json 2>/dev/null) && fields=$(_tx_fields <<<"$out") && [ -n "$fields" ]; then
      IFS=$'\t' read -r code _ space log <<<"$fields"
      if [ "$code" = 0 ]; then echo "$hash"; return 0; fi
      echo "tx $*: included in a block but failed (tx $hash, code $code, codespace $space): $log" >&2; return 1
    fi
    sleep 0.5
  done
  echo "tx $*: accepted into the mempool (tx $hash) but not in a block within ${wait}s; not resent, since it may" \
    "still be included (check: tokenmindd q tx $hash)" >&2
  return 1
}
