package p2p

import (
	"log/slog"
	"sync"

	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokenmind/tokenmind/neuron/metagraph"
)

// Authorizer decides whether a remote peer may hold an inbound connection to this node.
type Authorizer interface {
	Allowed(p peer.ID) bool
}

// AuthorizerFunc adapts a function to Authorizer.
type AuthorizerFunc func(peer.ID) bool

// Allowed implements Authorizer.
func (f AuthorizerFunc) Allowed(p peer.ID) bool { return f(p) }

// Policy is who may query a miner.
type Policy struct {
	// AllowValidatorPermit admits neurons of the subnet holding a validator permit.
	AllowValidatorPermit bool
	// MinStake admits neurons of the subnet with at least this stake (umind); 0 disables the stake rule.
	MinStake uint64
	// AllowRegistered admits every registered neuron of the subnet (e.g. for a validator's own inbound gossip).
	AllowRegistered bool
	// AllowList holds operator-approved peers (gateways) admitted regardless of the chain.
	AllowList []peer.ID
}

// MetagraphAuthorizer applies a Policy to the cached metagraph. It fails closed: no snapshot, no entry.
type MetagraphAuthorizer struct {
	cache  *metagraph.Cache
	policy Policy

	mu    sync.RWMutex
	allow map[peer.ID]struct{}
}

// NewMetagraphAuthorizer returns an Authorizer over cache with policy.
func NewMetagraphAuthorizer(cache *metagraph.Cache, policy Policy) *MetagraphAuthorizer {
	a := &MetagraphAuthorizer{cache: cache, policy: policy, allow: map[peer.ID]struct{}{}}
	for _, p := range policy.AllowList {
		a.allow[p] = struct{}{}
	}
	return a
}

// SetAllowList replaces the operator allow-list (e.g. on config reload).
func (a *MetagraphAuthorizer) SetAllowList(ps []peer.ID) {
	m := make(map[peer.ID]struct{}, len(ps))
	for _, p := range ps {
		m[p] = struct{}{}
	}
	a.mu.Lock()
	a.allow = m
	a.mu.Unlock()
}

// Allowed implements Authorizer.
func (a *MetagraphAuthorizer) Allowed(p peer.ID) bool {
	a.mu.RLock()
	_, ok := a.allow[p]
	a.mu.RUnlock()
	if ok {
		return true
	}
	n, ok := a.cache.Lookup(p)
	if !ok {
		return false
	}
	switch {
	case a.policy.AllowRegistered:
		return true
	case a.policy.AllowValidatorPermit && n.ValidatorPermit:
		return true
	case a.policy.MinStake > 0 && n.Stake >= a.policy.MinStake:
		return true
	}
	return false
}

// Gater is a libp2p connection gater that admits inbound connections only from peers the Authorizer allows. The
// decision is made in InterceptSecured, right after the Noise handshake proved the remote's key and before any stream
// is opened, so a refused peer never gets a byte of protocol read. Outbound connections are always allowed.
type Gater struct {
	auth    Authorizer
	log     *slog.Logger
	refused prometheus.Counter
}

// NewGater returns a gater backed by auth. reg may be nil.
func NewGater(auth Authorizer, log *slog.Logger, reg prometheus.Registerer) *Gater {
	g := &Gater{auth: auth, log: log, refused: prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: "neuron", Subsystem: "p2p", Name: "gater_refused_total",
		Help: "Inbound connections refused at the secured handshake.",
	})}
	if reg != nil {
		reg.MustRegister(g.refused)
	}
	return g
}

// InterceptPeerDial implements connmgr.ConnectionGater.
func (g *Gater) InterceptPeerDial(peer.ID) bool { return true }

// InterceptAddrDial implements connmgr.ConnectionGater.
func (g *Gater) InterceptAddrDial(peer.ID, ma.Multiaddr) bool { return true }

// InterceptAccept implements connmgr.ConnectionGater. The remote is not authenticated yet; the resource manager
// bounds how many of these can be in flight.
func (g *Gater) InterceptAccept(network.ConnMultiaddrs) bool { return true }

// InterceptSecured implements connmgr.ConnectionGater.
func (g *Gater) InterceptSecured(dir network.Direction, p peer.ID, addrs network.ConnMultiaddrs) bool {
	if dir != network.DirInbound {
		return true
	}
	if g.auth.Allowed(p) {
		return true
	}
	g.refused.Inc()
	g.log.Debug("refused inbound peer", "peer", p, "remote", addrs.RemoteMultiaddr())
	return false
}

// InterceptUpgraded implements connmgr.ConnectionGater.
func (g *Gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }
