// Package metagraph holds the node's cached view of one subnet's neurons as the chain reports them. The chain client
// (implemented by the lead against x/subnets and x/stake) fills it through the Source interface; the connection gater,
// the heartbeat topic validator and the validator's scorer read it.
package metagraph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/identity"
)

// Neuron is one UID slot of a subnet.
type Neuron struct {
	UID             uint16
	Hotkey          sdk.AccAddress
	Coldkey         sdk.AccAddress
	Stake           uint64 // umind staked to the hotkey (the stake that counts in an epoch)
	ValidatorPermit bool
	Addrs           []string // serving multiaddrs as registered (without /p2p/ suffix)
}

// Snapshot is the metagraph of one subnet at one block.
type Snapshot struct {
	NetUID  uint16
	Height  int64
	Neurons []Neuron

	byAddr map[string]int
}

// Index builds the lookup tables; call it once after filling Neurons (Cache.Set does it).
func (s *Snapshot) Index() {
	s.byAddr = make(map[string]int, len(s.Neurons))
	for i, n := range s.Neurons {
		s.byAddr[string(n.Hotkey)] = i
	}
}

// ByAddress returns the neuron whose hotkey is addr.
func (s *Snapshot) ByAddress(addr sdk.AccAddress) (Neuron, bool) {
	if s == nil {
		return Neuron{}, false
	}
	if s.byAddr == nil {
		s.Index()
	}
	i, ok := s.byAddr[string(addr)]
	if !ok {
		return Neuron{}, false
	}
	return s.Neurons[i], true
}

// ByPeer returns the neuron whose hotkey is behind peer ID p.
func (s *Snapshot) ByPeer(p peer.ID) (Neuron, bool) {
	addr, err := identity.AddressFromPeerID(p)
	if err != nil {
		return Neuron{}, false
	}
	return s.ByAddress(addr)
}

// Source fetches a subnet's metagraph from the chain. The chain client implements it; every call must honor ctx.
type Source interface {
	Metagraph(ctx context.Context, netuid uint16) (*Snapshot, error)
}

// Cache holds the latest snapshot. Reads are lock-free and never block on the chain.
type Cache struct {
	netuid  uint16
	snap    atomic.Pointer[Snapshot]
	updated atomic.Int64 // unix nanos of the last successful refresh
}

// NewCache returns an empty cache for netuid. Until the first Set every lookup fails closed.
func NewCache(netuid uint16) *Cache { return &Cache{netuid: netuid} }

// NetUID is the subnet this cache follows.
func (c *Cache) NetUID() uint16 { return c.netuid }

// Set installs a new snapshot.
func (c *Cache) Set(s *Snapshot) error {
	if s == nil {
		return errors.New("metagraph: nil snapshot")
	}
	if s.NetUID != c.netuid {
		return fmt.Errorf("metagraph: snapshot for subnet %d, cache follows %d", s.NetUID, c.netuid)
	}
	s.Index()
	c.snap.Store(s)
	c.updated.Store(time.Now().UnixNano())
	return nil
}

// Snapshot returns the latest snapshot, or nil before the first refresh.
func (c *Cache) Snapshot() *Snapshot { return c.snap.Load() }

// Age is the time since the last successful refresh (a very large value before the first).
func (c *Cache) Age() time.Duration {
	u := c.updated.Load()
	if u == 0 {
		return time.Duration(1<<63 - 1)
	}
	return time.Since(time.Unix(0, u))
}

// Lookup returns the neuron behind peer p on this subnet.
func (c *Cache) Lookup(p peer.ID) (Neuron, bool) { return c.snap.Load().ByPeer(p) }

// IsRegistered reports whether peer p is a registered neuron of subnet netuid.
func (c *Cache) IsRegistered(netuid uint16, p peer.ID) bool {
	if netuid != c.netuid {
		return false
	}
	_, ok := c.Lookup(p)
	return ok
}

// Refresh fetches once from src, bounded by timeout.
func (c *Cache) Refresh(ctx context.Context, src Source, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s, err := src.Metagraph(ctx, c.netuid)
	if err != nil {
		return fmt.Errorf("metagraph: fetch subnet %d: %w", c.netuid, err)
	}
	return c.Set(s)
}

// Run refreshes every interval until ctx ends. Failures are logged and the previous snapshot is kept.
func (c *Cache) Run(ctx context.Context, src Source, interval, timeout time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := c.Refresh(ctx, src, timeout); err != nil && ctx.Err() == nil {
			log.Warn("metagraph refresh failed", "netuid", c.netuid, "err", err, "age", c.Age())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
