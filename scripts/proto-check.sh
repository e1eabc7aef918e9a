#!/usr/bin/env bash
# Fails when the committed generated code differs from what make proto-gen produces: a changed, a new or a removed
# *.pb.go / *.pb.gw.go file. It compares checksums before and after regenerating, so it works in a dirty work tree too.
set -euo pipefail
cd "$(dirname "$0")/.."
sums() { find x neuron -name '*.pb.go' -o -name '*.pb.gw.go' | sort | xargs sha256sum; }
before=$(sums)
./scripts/protocgen.sh
after=$(sums)
if [ "$before" != "$after" ]; then
  echo "generated code is stale: run make proto-gen and commit the result. Differences (sha256, path):"
  diff <(echo "$before") <(echo "$after") || true
  exit 1
fi
echo "proto-check: generated code is up to date ($(echo "$after" | wc -l) files)"
