#!/usr/bin/env bash
# Copies the .proto files our protos import from the Go module cache into third_party/proto (committed), so proto
# generation works offline with no buf registry.
set -euo pipefail
cd "$(dirname "$0")/.."
SDK_VERSION=${SDK_VERSION:-v0.54.4}; GOGO_VERSION=${GOGO_VERSION:-v1.7.2}
CPROTO_VERSION=${CPROTO_VERSION:-v1.0.0-beta.5}; GW_VERSION=${GW_VERSION:-v1.16.0}
go mod download github.com/cosmos/cosmos-sdk@"$SDK_VERSION" github.com/cosmos/gogoproto@"$GOGO_VERSION" \
  github.com/cosmos/cosmos-proto@"$CPROTO_VERSION" github.com/grpc-ecosystem/grpc-gateway@"$GW_VERSION"
M=$(go env GOMODCACHE); OUT=third_party/proto
rm -rf "$OUT"; mkdir -p "$OUT/google"
cp -r "$M/github.com/cosmos/cosmos-sdk@$SDK_VERSION/proto/cosmos" "$M/github.com/cosmos/cosmos-sdk@$SDK_VERSION/proto/amino" \
  "$M/github.com/cosmos/cosmos-sdk@$SDK_VERSION/proto/tendermint" "$OUT/"
cp -r "$M/github.com/cosmos/gogoproto@$GOGO_VERSION/gogoproto" "$OUT/"
cp -r "$M/github.com/cosmos/cosmos-proto@$CPROTO_VERSION/proto/cosmos_proto" "$OUT/"
cp -r "$M/github.com/grpc-ecosystem/grpc-gateway@$GW_VERSION/third_party/googleapis/google/api" "$OUT/google/"
chmod -R u+w "$OUT"; find "$OUT" -type f ! -name '*.proto' -delete; find "$OUT" -type d -empty -delete
echo "third_party/proto refreshed: $(find "$OUT" -name '*.proto' | wc -l) files"
