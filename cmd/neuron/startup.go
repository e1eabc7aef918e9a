package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokenmind/tokenmind/neuron/chain"
	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/metagraph"
	"github.com/tokenmind/tokenmind/neuron/metrics"
	"github.com/tokenmind/tokenmind/neuron/protocol"
)

// listeners are the TCP addresses a neuron serves besides libp2p (nil when off), bound at start-up so that a port
// in use fails the start naming it instead of leaving a process that runs without them.
type listeners struct {
	metrics, gateway net.Listener
}

func bindListeners(metricsAddr, gatewayAddr string) (*listeners, error) {
	l := &listeners{}
	var err error
	if metricsAddr != "" {
		if l.metrics, err = metrics.Listen(metricsAddr); err != nil {
			return nil, err
		}
	}
	if gatewayAddr != "" {
		if l.gateway, err = listenTCP("--gateway-addr", gatewayAddr); err != nil {
			l.Close()
			return nil, err
		}
	}
	return l, nil
}

// Close releases the listeners not yet handed to a server (a second close is harmless).
func (l *listeners) Close() {
	for _, x := range []net.Listener{l.metrics, l.gateway} {
		if x != nil {
			_ = x.Close()
		}
	}
}

// listenTCP binds addr (the value of flag) at start-up, so that a port in use fails the start naming it.
func listenTCP(flag, addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w%s", flag, addr, err, metrics.InUseHint(err))
	}
	return l, nil
}

// serveMetrics serves the metrics until ctx ends; a server that stops on its own stops the process (fail).
func serveMetrics(ctx context.Context, fail context.CancelCauseFunc, lis net.Listener, reg *prometheus.Registry, log *slog.Logger, checks ...metrics.Check) {
	if err := metrics.Serve(ctx, lis, reg, log, checks...); err != nil && ctx.Err() == nil {
		fail(fmt.Errorf("metrics server stopped: %w", err))
	}
}

// failure is the error that stopped a run: the cause a component gave to the run's context, or nil when the run
// ended because it was asked to (a signal).
func failure(ctx context.Context) error {
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// requester is what a node that queries miners (validator, gateway) runs on.
type requester struct {
	lis   *listeners
	reg   *prometheus.Registry
	cl    *chain.Client
	h     host.Host
	qc    *protocol.Client
	cache *metagraph.Cache
}

// startRequester binds the metrics and gateway addresses first, then dials the chain, builds the outbound-only
// host and the query client, and refreshes the metagraph once (a failure is logged; the cache's Run retries).
func startRequester(ctx context.Context, c *common, id *identity.Identity, gatewayAddr string, listen []string, log *slog.Logger) (*requester, error) {
	lis, err := bindListeners(c.metricsAddr, gatewayAddr)
	if err != nil {
		return nil, err
	}
	r := &requester{lis: lis, reg: metrics.NewRegistry(), cache: metagraph.NewCache(c.netuid)}
	if r.cl, err = c.chainClient(log); err != nil {
		r.Close()
		return nil, err
	}
	if r.h, err = requesterHost(id, listen, r.reg, log); err != nil {
		r.Close()
		return nil, err
	}
	if r.qc, err = protocol.NewClient(r.h, protocol.ClientConfig{Metrics: protocol.NewMetrics(r.reg)}); err != nil {
		r.Close()
		return nil, err
	}
	if err := r.cache.Refresh(ctx, r.cl, 10*time.Second); err != nil {
		log.Warn("first metagraph refresh failed; the metagraph refresh retries", "err", err)
	}
	return r, nil
}

// Close releases the host, the chain client and the listeners.
func (r *requester) Close() {
	if r.h != nil {
		_ = r.h.Close()
	}
	if r.cl != nil {
		_ = r.cl.Close()
	}
	r.lis.Close()
}
