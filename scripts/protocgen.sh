#!/usr/bin/env bash
# Regenerates the Go code for every proto package under proto/tokenmind, offline: buf and the plugins come from
# tools/go.mod, imported protos from third_party/proto.
set -euo pipefail
cd "$(dirname "$0")/.."
BUF=(go tool -modfile=tools/go.mod buf)
for dir in $(find proto/tokenmind -name '*.proto' -exec dirname {} \; | sort -u); do
  "${BUF[@]}" generate --template buf.gen.gogo.yaml --path "$dir"
done
# gocosmos writes to the go_package path; move the files into the module tree.
if [ -d github.com/tokenmind/tokenmind ]; then
  cp -r github.com/tokenmind/tokenmind/* ./
  rm -rf github.com
fi
gofmt -w $(find x neuron -name '*.pb.go' -o -name '*.pb.gw.go' 2>/dev/null) >/dev/null 2>&1 || true
