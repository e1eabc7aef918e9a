# tokenmind — run `make help` for the targets.
SHELL := /usr/bin/env bash
BUILDDIR ?= $(CURDIR)/build
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/cosmos/cosmos-sdk/version.Name=tokenmind -X github.com/cosmos/cosmos-sdk/version.AppName=tokenmindd -X github.com/cosmos/cosmos-sdk/version.Version=$(VERSION)
GO_TEST_FLAGS ?= -count=1

.PHONY: localnet-docker localnet-docker-stop test-faults test-docker test-faults-docker
.PHONY: help build build-static install test test-unit test-vectors test-e2e lint lint-golangci proto-deps proto-gen proto-check localnet localnet-stop localnet-reset faucet bench

help: ## show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-18s %s\n", $$1, $$2}'

build: ## build tokenmindd (and the other binaries) into ./build
	@mkdir -p $(BUILDDIR)
	go build -ldflags '$(LDFLAGS)' -o $(BUILDDIR)/ ./cmd/...

build-static: ## build fully static binaries (CGO_ENABLED=0) into ./build/static
	@mkdir -p $(BUILDDIR)/static
	CGO_ENABLED=0 go build -trimpath -ldflags '-s -w $(LDFLAGS)' -o $(BUILDDIR)/static/ ./cmd/...

install: ## go install the binaries
	go install -ldflags '$(LDFLAGS)' ./cmd/...

test: lint proto-check test-unit test-vectors test-e2e ## everything CI runs: lint, proto drift check, unit/integration, Yuma vectors, end-to-end

test-unit: ## unit, keeper, integration and vector tests
	go test $(GO_TEST_FLAGS) $$(go list ./... | grep -v /tests/e2e)

test-vectors: ## replay the Yuma reference vectors (../shared/yuma/vectors.json, plus $$YUMA_VECTORS) and print the summary
	@go test -count=1 -run '^TestVectors$$' -v ./yuma/ | grep -E '^(yuma vectors:|--- FAIL|FAIL|ok)' ; test $${PIPESTATUS[0]} -eq 0

test-e2e: build ## end-to-end tests with the real binaries on loopback
	TOKENMIND_BIN=$(BUILDDIR) go test $(GO_TEST_FLAGS) -timeout 35m ./tests/e2e/...

lint: ## go vet, gofmt, the no-map-range check on consensus code and golangci-lint
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed on:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...
	go run ./scripts/maprange ./x/... ./yuma/... ./app/...
	$(GOLANGCI_LINT) run --concurrency $(LINT_CONCURRENCY) ./...

# golangci-lint is a tool dependency of tools/go.mod (installed from the Go module proxy on first use).
GOLANGCI_LINT := go tool -modfile=tools/go.mod golangci-lint
LINT_CONCURRENCY ?= 1

lint-golangci: ## golangci-lint with .golangci.yml (the Cosmos SDK's linters, gofumpt, gci); LINT_ARGS=--fix to fix
	$(GOLANGCI_LINT) run --concurrency $(LINT_CONCURRENCY) $(LINT_ARGS) ./...

bench: ## run the benchmarks (see docs/PERFORMANCE.md)
	go test -run '^$$' -bench . -benchmem ./...

proto-deps: ## refresh third_party/proto from the Go module cache
	./scripts/proto-deps.sh

proto-gen: ## regenerate Go code from proto/ (offline)
	./scripts/protocgen.sh

proto-check: ## fail if regenerating the protobuf code changes, adds or removes any generated file
	./scripts/proto-check.sh

localnet: build ## start the localnet in ./.localnet: resume it (keys, subnets, stake kept) or set a new one up
	./scripts/localnet.sh start

localnet-stop: ## stop the localnet's node and neurons; its state stays in ./.localnet for the next make localnet
	./scripts/localnet.sh stop

localnet-reset: build ## say what is deleted, delete ./.localnet (chain, keys, neuron state, logs) and set a new localnet up
	./scripts/localnet.sh reset

faucet: ## fund a key or address on the running localnet: make faucet TO=<key|mind1...> [AMOUNT=100MIND]
	@test -n "$(TO)" || { echo "usage: make faucet TO=<key name or mind1... address> [AMOUNT=5000000umind|2.5MIND]"; exit 2; }
	./scripts/localnet.sh faucet "$(TO)" $(AMOUNT)

localnet-docker: build build-static ## the whole network in docker-compose: 4 chain validators, 3 miners, a validator with its gateway
	./scripts/localnet-docker.sh start

localnet-docker-stop: ## stop and remove the docker-compose network (homes stay in build/testnet)
	./scripts/localnet-docker.sh stop

test-docker: build build-static ## compose smoke test of the whole network: blocks, epoch payouts, gateway query, one node down (needs a Docker engine)
	./scripts/compose-smoke.sh

test-faults-docker: build build-static ## fault scenarios 1-5 against the compose containers: stop/pause/restart services, a gateway burst (needs a Docker engine)
	./scripts/compose-faults.sh

test-faults: build ## the five fault scenarios with the real binaries as processes on loopback (TestValidatorFaults, TestNeuronFaults)
	TOKENMIND_BIN=$(BUILDDIR) go test -count=1 -timeout 20m -run 'Faults' -v ./tests/e2e/
