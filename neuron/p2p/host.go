// Package p2p builds the neuron's libp2p host: identity from the hotkey, TCP (and optionally QUIC), Noise, yamux,
// a connection gater fed by the chain, and the resource manager with per-peer limits.
package p2p

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	yamux "github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	noise "github.com/libp2p/go-libp2p/p2p/security/noise"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"
)

// Config configures a host.
type Config struct {
	// Key is the hotkey as a libp2p key (identity.Identity.Libp2p).
	Key crypto.PrivKey
	// ListenAddrs, e.g. /ip4/0.0.0.0/tcp/4001 and /ip4/0.0.0.0/udp/4001/quic-v1. Every one must be bound or NewHost
	// fails naming it (a port another process holds is an error: TCP ports are not shared with SO_REUSEPORT). Empty:
	// the host only dials out and listens nowhere.
	ListenAddrs []string
	// AnnounceAddrs replaces the addresses the host advertises (e.g. the public address behind NAT); empty keeps
	// the listen addresses.
	AnnounceAddrs []string
	// EnableQUIC adds the QUIC transport (listen addresses must include a quic-v1 address to use it).
	EnableQUIC bool
	// Authorizer gates inbound connections; nil admits everyone (only for nodes that accept no queries).
	Authorizer Authorizer
	// Per-peer resource limits. Zero values take the defaults below.
	MaxStreamsPerPeer int
	MaxMemoryPerPeer  int64
	MaxConnsPerPeer   int
	// Registerer receives libp2p's and the gater's metrics; nil disables them.
	Registerer prometheus.Registerer
	Log        *slog.Logger
}

// Defaults for the per-peer limits.
const (
	DefaultMaxStreamsPerPeer = 256
	DefaultMaxMemoryPerPeer  = 64 << 20
	DefaultMaxConnsPerPeer   = 8
)

// NewHost builds and starts a libp2p host. The caller owns it and must Close it.
func NewHost(cfg Config) (host.Host, error) {
	if cfg.Key == nil {
		return nil, errors.New("p2p: no identity key")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	rm, err := newResourceManager(cfg)
	if err != nil {
		return nil, err
	}
	opts := []libp2p.Option{
		libp2p.Identity(cfg.Key),
		libp2p.NoListenAddrs, // listened on one by one below, so that each failure is an error naming its address
		// No SO_REUSEPORT: with it, a second process binds a port the first one already serves and both run on.
		libp2p.Transport(tcp.NewTCPTransport, tcp.DisableReuseport()),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		libp2p.ResourceManager(rm),
		libp2p.DisableRelay(),
	}
	if cfg.EnableQUIC {
		opts = append(opts, libp2p.Transport(quic.NewTransport))
	}
	if cfg.Registerer != nil {
		opts = append(opts, libp2p.PrometheusRegisterer(cfg.Registerer))
	} else {
		opts = append(opts, libp2p.DisableMetrics())
	}
	if cfg.Authorizer != nil {
		opts = append(opts, libp2p.ConnectionGater(NewGater(cfg.Authorizer, cfg.Log, cfg.Registerer)))
	}
	if len(cfg.AnnounceAddrs) > 0 {
		announce := make([]ma.Multiaddr, 0, len(cfg.AnnounceAddrs))
		for _, s := range cfg.AnnounceAddrs {
			a, err := ma.NewMultiaddr(s)
			if err != nil {
				return nil, fmt.Errorf("p2p: announce address %q: %w", s, err)
			}
			announce = append(announce, a)
		}
		opts = append(opts, libp2p.AddrsFactory(func([]ma.Multiaddr) []ma.Multiaddr { return announce }))
	}
	listen := make([]ma.Multiaddr, 0, len(cfg.ListenAddrs))
	for _, s := range cfg.ListenAddrs {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			_ = rm.Close()
			return nil, fmt.Errorf("p2p: listen address %q: %w", s, err)
		}
		listen = append(listen, a)
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		_ = rm.Close()
		return nil, fmt.Errorf("p2p: new host: %w", err)
	}
	for _, a := range listen {
		if err := h.Network().Listen(a); err != nil {
			_ = h.Close()
			hint := ""
			if strings.Contains(err.Error(), "address already in use") {
				hint = " (another process listens there: stop it or choose another address)"
			}
			return nil, fmt.Errorf("p2p: cannot listen on %s: %w%s", a, err, hint)
		}
	}
	return h, nil
}

func newResourceManager(cfg Config) (network.ResourceManager, error) {
	streams, mem, conns := cfg.MaxStreamsPerPeer, cfg.MaxMemoryPerPeer, cfg.MaxConnsPerPeer
	if streams <= 0 {
		streams = DefaultMaxStreamsPerPeer
	}
	if mem <= 0 {
		mem = DefaultMaxMemoryPerPeer
	}
	if conns <= 0 {
		conns = DefaultMaxConnsPerPeer
	}
	scaling := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&scaling)
	partial := rcmgr.PartialLimitConfig{
		PeerDefault: rcmgr.ResourceLimits{
			Streams:         rcmgr.LimitVal(streams),
			StreamsInbound:  rcmgr.LimitVal(streams),
			StreamsOutbound: rcmgr.LimitVal(streams),
			Conns:           rcmgr.LimitVal(conns),
			ConnsInbound:    rcmgr.LimitVal(conns),
			ConnsOutbound:   rcmgr.LimitVal(conns),
			Memory:          rcmgr.LimitVal64(mem),
		},
	}
	limits := partial.Build(scaling.AutoScale())
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits))
	if err != nil {
		return nil, fmt.Errorf("p2p: resource manager: %w", err)
	}
	return rm, nil
}
