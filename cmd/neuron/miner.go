package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/spf13/cobra"

	"github.com/tokenmind/tokenmind/neuron/chain"
	"github.com/tokenmind/tokenmind/neuron/heartbeat"
	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/metagraph"
	"github.com/tokenmind/tokenmind/neuron/metrics"
	"github.com/tokenmind/tokenmind/neuron/p2p"
	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task"
	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/task/textgen"
	"github.com/tokenmind/tokenmind/neuron/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// ProtocolVersion is announced with MsgServe.
const ProtocolVersion = 1

type minerFlags struct {
	task, model          string
	listen, announce     []string
	quic                 bool
	minStake             uint64
	noValidatorPermit    bool
	allowPeers           []string
	maxConcurrent        int
	metagraphInterval    time.Duration
	heartbeatInterval    time.Duration
	addrCheckInterval    time.Duration
	stallAfter           time.Duration
	backendCheckInterval time.Duration
	openai               openAIFlags
}

func minerCmd(c *common) *cobra.Command {
	f := &minerFlags{}
	cmd := &cobra.Command{
		Use:   "miner",
		Short: "serve a task to validators and gateways the chain (or the operator) allows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := c.logger()
			if err != nil {
				return err
			}
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			return runMiner(ctx, c, f, log)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.task, "task", ner.Name, "task to serve")
	fl.StringVar(&f.model, "model", ner.ModelFull, "backend of the task (ner: full, lite, broken; text-generation: openai)")
	fl.StringSliceVar(&f.listen, "listen", []string{"/ip4/0.0.0.0/tcp/4001"}, "libp2p listen multiaddrs")
	fl.StringSliceVar(&f.announce, "announce", nil, "multiaddrs to announce on chain and to peers (default: the listen addresses actually bound, minus unspecified ones)")
	fl.BoolVar(&f.quic, "quic", false, "enable the QUIC transport (listen on a /udp/N/quic-v1 address too)")
	fl.Uint64Var(&f.minStake, "min-stake", 0, "admit subnet neurons with at least this stake in umind (0: off)")
	fl.BoolVar(&f.noValidatorPermit, "no-validator-permit", false, "do not admit neurons just because they hold a validator permit")
	fl.StringSliceVar(&f.allowPeers, "allow-peer", nil, "peer IDs admitted regardless of the chain (gateways)")
	fl.IntVar(&f.maxConcurrent, "max-concurrent", protocol.DefaultMaxConcurrent, "requests worked on at once; more are answered OVERLOADED")
	fl.DurationVar(&f.metagraphInterval, "metagraph-interval", 12*time.Second, "how often to refresh the metagraph")
	fl.DurationVar(&f.heartbeatInterval, "heartbeat-interval", 15*time.Second, "how often to publish a heartbeat")
	fl.DurationVar(&f.addrCheckInterval, "addr-check-interval", 30*time.Second, "how often to compare the announced addresses with the chain's")
	fl.DurationVar(&f.stallAfter, "stall-after", chain.DefaultStallAfter, "warn when the chain height has not moved for this long")
	fl.DurationVar(&f.backendCheckInterval, "backend-check-interval", 15*time.Second, "how often to check that the task's backend (e.g. the OpenAI-compatible server) answers")
	f.openai.register(cmd)
	return cmd
}

func runMiner(ctx context.Context, c *common, f *minerFlags, log *slog.Logger) error {
	if c.chainID == "" {
		return errors.New("--chain-id is required (MsgServe is signed for it)")
	}
	id, lock, err := c.lockedIdentity()
	if err != nil {
		return err
	}
	defer func() {
		if err := lock.Release(); err != nil {
			log.Warn("release the key lock", "err", err)
		}
	}()
	log = log.With("hotkey", id.Address.String(), "peer", id.PeerID.String(), "netuid", c.netuid)

	var allow []peer.ID
	for _, s := range f.allowPeers {
		p, err := peer.Decode(s)
		if err != nil {
			return fmt.Errorf("--allow-peer %q: %w", s, err)
		}
		allow = append(allow, p)
	}

	backend, err := f.openai.config(f.task == textgen.Name)
	if err != nil {
		return err
	}
	tasks, err := taskRegistry(backend)
	if err != nil {
		return err
	}
	handlers, err := tasks.MinerHandlers(map[string]string{f.task: f.model})
	if err != nil {
		return err
	}
	handler, _ := handlers.Handler(f.task)

	// Bind every address first: a port in use fails the start-up, naming it, before anything is announced.
	lis, err := bindListeners(c.metricsAddr, "")
	if err != nil {
		return err
	}
	defer lis.Close()
	reg := metrics.NewRegistry()
	cache := metagraph.NewCache(c.netuid)
	auth := p2p.NewMetagraphAuthorizer(cache, p2p.Policy{
		AllowValidatorPermit: !f.noValidatorPermit,
		MinStake:             f.minStake,
		AllowList:            allow,
	})
	h, err := p2p.NewHost(p2p.Config{
		Key:           id.Libp2p,
		ListenAddrs:   f.listen,
		AnnounceAddrs: f.announce,
		EnableQUIC:    f.quic,
		Authorizer:    auth,
		Registerer:    reg,
		Log:           log.With("component", "p2p"),
	})
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	defer h.Close()

	cl, err := c.chainClient(log)
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := cache.Refresh(ctx, cl, 10*time.Second); err != nil {
		log.Warn("first metagraph refresh failed; inbound peers are refused until one succeeds", "err", err)
	}

	var checks []metrics.Check
	var bk *backendState
	if chk, ok := handler.(task.Checker); ok {
		bk = newBackendState(chk, reg, f.task)
		if err := bk.check(ctx); err != nil {
			log.Warn("backend unreachable: this miner answers every query with an error (validators score it 0) until it answers; 'neuron health' reports it",
				"task", f.task, "err", err)
		} else {
			log.Info("backend answers", "task", f.task)
		}
		checks = append(checks, metrics.Check{Name: "backend", Err: bk.err})
	}

	pm := protocol.NewMetrics(reg)
	srv, err := protocol.NewServer(h, protocol.ServerConfig{
		Key:           id.Libp2p,
		NetUID:        c.netuid,
		Handlers:      handlers,
		MaxConcurrent: f.maxConcurrent,
		Authorizer:    auth,
		Metrics:       pm,
		Log:           log.With("component", "protocol"),
	})
	if err != nil {
		return err
	}
	defer srv.Close()

	ps, err := heartbeat.NewPubSub(ctx, h)
	if err != nil {
		return err
	}
	hb, err := heartbeat.New(ps, c.netuid, cache, log.With("component", "heartbeat"), reg)
	if err != nil {
		return err
	}
	defer hb.Close()

	log.Info("miner started", "task", f.task, "model", handler.ModelID(), "listen", h.Addrs())

	ctx, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	var wg sync.WaitGroup
	defer wg.Wait() // runs before the deferred closes above: every goroutine has stopped first
	goFn := func(fn func()) { wg.Add(1); go func() { defer wg.Done(); fn() }() }

	goFn(func() { cache.Run(ctx, cl, f.metagraphInterval, 10*time.Second, log.With("component", "metagraph")) })
	goFn(func() { cl.Watch(ctx, nil) })
	goFn(func() {
		if err := hb.Run(ctx, nil); err != nil && ctx.Err() == nil {
			log.Warn("heartbeat receiver stopped", "err", err)
		}
	})
	goFn(func() { publishHeartbeats(ctx, hb, h, f, handler.ModelID(), pm.InFlight, log) })
	goFn(func() {
		announceLoop(ctx, cl, id, h, chain.ServeInfo{
			NetUID: c.netuid, ProtocolVersion: ProtocolVersion, Task: f.task, Model: f.model, ModelVersion: handler.ModelID(),
		}, f.addrCheckInterval, log.With("component", "serve"))
	})
	if bk != nil {
		goFn(func() { bk.run(ctx, f.backendCheckInterval, log.With("component", "backend")) })
	}
	if lis.metrics != nil {
		goFn(func() { serveMetrics(ctx, fail, lis.metrics, reg, log, checks...) })
	}
	<-ctx.Done()
	log.Info("shutting down")
	return failure(ctx)
}

// servingAddrs are the transport addresses to put on chain: the host's advertised addresses, without unspecified
// (0.0.0.0, ::) ones and without /p2p/ components.
func servingAddrs(h host.Host) []string {
	var out []string
	for _, a := range h.Addrs() {
		if manet.IsIPUnspecified(a) {
			continue
		}
		a, _ = ma.SplitFunc(a, func(c ma.Component) bool { return c.Protocol().Code == ma.P_P2P })
		if a == nil {
			continue
		}
		out = append(out, a.String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// announceLoop sends MsgServe at start-up and whenever the addresses differ from what the chain last accepted
// from us, retrying failures with backoff.
func announceLoop(ctx context.Context, cl *chain.Client, id *identity.Identity, h host.Host, info chain.ServeInfo, every time.Duration, log *slog.Logger) {
	var served []string
	backoff := time.Second
	for {
		addrs := servingAddrs(h)
		wait := every
		if len(addrs) == 0 {
			log.Warn("no announceable address (set --announce)")
		} else if !slices.Equal(addrs, served) {
			info.Multiaddrs = addrs
			res, err := cl.Serve(ctx, id.Cosmos, info)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				var txErr *chain.TxError
				if errors.As(err, &txErr) && txErr.Codespace == subnetstypes.ModuleName && txErr.Code == subnetstypes.ErrMultiaddrInUse.ABCICode() {
					log.Error("the chain refuses our address: another neuron of the subnet serves it; give this miner its own --listen port or --announce address",
						"multiaddrs", addrs, "err", txErr.Log)
				} else {
					log.Warn("MsgServe failed; retrying", "err", err, "in", backoff)
				}
				wait, backoff = backoff, min(backoff*2, every)
			} else {
				log.Info("serving info on chain", "multiaddrs", addrs, "height", res.Height, "tx", res.TxHash)
				served, backoff = addrs, time.Second
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func publishHeartbeats(ctx context.Context, hb *heartbeat.Service, h host.Host, f *minerFlags, modelID string, inFlight prometheus.Gauge, log *slog.Logger) {
	t := time.NewTicker(f.heartbeatInterval)
	defer t.Stop()
	for {
		var m dto.Metric
		load := uint32(0)
		if inFlight.Write(&m) == nil && f.maxConcurrent > 0 {
			load = uint32(min(1000, m.GetGauge().GetValue()*1000/float64(f.maxConcurrent)))
		}
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := hb.Publish(pctx, h.ID(), &types.Heartbeat{Task: f.task, ModelId: modelID, Version: Version, LoadPermille: load})
		cancel()
		if err != nil && ctx.Err() == nil {
			log.Debug("heartbeat not published", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
