// Command neuron runs a tokenmind neuron: a miner, a validator (with an optional gateway) or a standalone gateway.
// Flags follow the Cosmos CLI (--home, --keyring-backend, --key, --node, --chain-id), and keys are read from the same
// keyring as tokenmindd.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"cosmossdk.io/log/v2"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/neuron/chain"
	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/proclock"
)

// Version is reported in heartbeats.
const Version = "tokenmind-neuron/0.1.0"

// common holds the flags every subcommand shares.
type common struct {
	home, keyringBackend, key string
	node, chainID             string
	netuid                    uint16
	logFormat, logLevel       string
	metricsAddr               string
	config                    string
}

func (c *common) register(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringVar(&c.home, "home", app.DefaultNodeHome, "directory holding the keyring (shared with tokenmindd)")
	f.StringVar(&c.keyringBackend, "keyring-backend", "os", "keyring backend: os, file or test")
	f.StringVar(&c.key, "key", "", "name of the hotkey in the keyring")
	f.StringVar(&c.node, "node", "127.0.0.1:9090", "gRPC endpoint of a tokenmind node (host:port)")
	f.StringVar(&c.chainID, "chain-id", "", "chain ID, needed to sign transactions")
	f.Uint16Var(&c.netuid, "netuid", 1, "subnet")
	f.StringVar(&c.logFormat, "log-format", "text", "log format: json or text")
	f.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	f.StringVar(&c.metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address (empty: off)")
	f.StringVar(&c.config, "config", "", "TOML file of flag defaults (default <home>/config/neuron.toml; command-line flags win)")
}

func (c *common) logger() (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch c.logFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be json or text, not %q", c.logFormat)
}

func (c *common) identity() (*identity.Identity, error) {
	if c.key == "" {
		return nil, fmt.Errorf("--key (the hotkey's name in the keyring) is required")
	}
	kr, err := identity.OpenKeyring(c.keyringBackend, c.home, os.Stdin)
	if err != nil {
		return nil, err
	}
	return identity.LoadFromKeyring(kr, c.key)
}

// lockedIdentity loads the hotkey and makes this process the only neuron running with it from this home: a second
// one would sign under the same key (and the same libp2p peer ID) and write the same score, state and receipt
// files. The lock is an flock on <home>/neuron/<hotkey address>.lock, so a crashed process never leaves it held.
func (c *common) lockedIdentity() (*identity.Identity, *proclock.Lock, error) {
	id, err := c.identity()
	if err != nil {
		return nil, nil, err
	}
	l, err := proclock.Acquire(filepath.Join(c.home, "neuron", id.Address.String()+".lock"))
	var held *proclock.HeldError
	if errors.As(err, &held) {
		return nil, nil, fmt.Errorf("hotkey %q (%s) is in use by another neuron from %s: %w; one neuron process per home and key: stop that one first, or use another --key",
			c.key, id.Address, c.home, held)
	}
	if err != nil {
		return nil, nil, err
	}
	return id, l, nil
}

// chainClient dials the node with the app's encoding.
func (c *common) chainClient(log *slog.Logger) (*chain.Client, error) {
	a := app.New(log2nop(), dbm.NewMemDB(), true, simtestutil.NewAppOptionsWithFlagHome(os.TempDir()))
	return chain.Dial(chain.Config{
		GRPCAddr:          strings.TrimPrefix(strings.TrimPrefix(c.node, "tcp://"), "grpc://"),
		ChainID:           c.chainID,
		TxConfig:          a.TxConfig(),
		InterfaceRegistry: a.InterfaceRegistry(),
		Log:               log.With("component", "chain"),
	})
}

func log2nop() log.Logger { return log.NewNopLogger() }

// signalContext ends on SIGINT or SIGTERM.
func signalContext(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}

func newRootCmd() *cobra.Command {
	c := &common{}
	root := &cobra.Command{
		Use:           "neuron",
		Short:         "tokenmind neuron: miner, validator and gateway of the tokenmind network",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if c.config != "" {
				return applyConfigFile(cmd, c.config, true)
			}
			return applyConfigFile(cmd, configPath(c.home), false)
		},
	}
	c.register(root)
	root.AddCommand(minerCmd(c), validatorCmd(c), gatewayCmd(c), queryCmd(c), keysCmd(c), receiptsCmd(), healthCmd(c))
	return root
}

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}
