package chain

import (
	"context"
	"errors"
	"testing"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/identity"
)

func TestPeerIDFromAccountPubKey(t *testing.T) {
	c, _ := setup(t, &fakeSubnets{}, &fakeTx{}, Config{})
	key := cosmossecp.GenPrivKey()
	addr := sdk.AccAddress(key.PubKey().Address())
	if _, err := c.PeerID(context.Background(), addr); !errors.Is(err, ErrNoPubKey) {
		t.Fatalf("account without a key: err %v, want ErrNoPubKey", err)
	}
	knownPubKeys.Store(addr.String(), key.PubKey())
	t.Cleanup(func() { knownPubKeys.Delete(addr.String()) })
	got, err := c.PeerID(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	id, err := identity.FromCosmos(key)
	if err != nil {
		t.Fatal(err)
	}
	if got != id.PeerID {
		t.Fatalf("peer ID %s, want %s", got, id.PeerID)
	}
	// A record whose key does not hash to the address is refused.
	other := sdk.AccAddress(cosmossecp.GenPrivKey().PubKey().Address())
	knownPubKeys.Store(other.String(), key.PubKey())
	t.Cleanup(func() { knownPubKeys.Delete(other.String()) })
	if _, err := c.PeerID(context.Background(), other); err == nil {
		t.Fatal("mismatched public key accepted")
	}
}
