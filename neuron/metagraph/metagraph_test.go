package metagraph_test

import (
	"context"
	"errors"
	"testing"
	"time"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"

	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/metagraph"
)

type src struct {
	snap *metagraph.Snapshot
	err  error
}

func (s src) Metagraph(ctx context.Context, _ uint16) (*metagraph.Snapshot, error) {
	return s.snap, s.err
}

func TestCache(t *testing.T) {
	id, _ := identity.FromCosmos(cosmossecp.GenPrivKey())
	c := metagraph.NewCache(2)
	if c.IsRegistered(2, id.PeerID) {
		t.Fatal("empty cache admitted a peer")
	}
	if err := c.Set(&metagraph.Snapshot{NetUID: 3}); err == nil {
		t.Fatal("snapshot of another subnet accepted")
	}
	good := &metagraph.Snapshot{NetUID: 2, Neurons: []metagraph.Neuron{{UID: 5, Hotkey: id.Address, Stake: 9}}}
	if err := c.Refresh(context.Background(), src{snap: good}, time.Second); err != nil {
		t.Fatal(err)
	}
	n, ok := c.Lookup(id.PeerID)
	if !ok || n.UID != 5 || !c.IsRegistered(2, id.PeerID) || c.IsRegistered(3, id.PeerID) {
		t.Fatalf("lookup %+v %v", n, ok)
	}
	// A failed refresh keeps the previous snapshot.
	if err := c.Refresh(context.Background(), src{err: errors.New("node down")}, time.Second); err == nil {
		t.Fatal("error swallowed")
	}
	if !c.IsRegistered(2, id.PeerID) || c.Age() > time.Minute {
		t.Fatal("snapshot lost after a failed refresh")
	}
}
