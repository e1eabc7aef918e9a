package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/testutil/integration"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

type subnetsResult struct {
	code      uint32
	codespace string
	log       string
}

// is fails unless the tx failed with want, or succeeded when want is nil.
func (r *subnetsResult) is(t *testing.T, want *errorsmod.Error) {
	t.Helper()
	if want == nil {
		if r.code != 0 {
			t.Fatalf("tx failed: %s/%d %s", r.codespace, r.code, r.log)
		}
		return
	}
	if r.code != want.ABCICode() || r.codespace != want.Codespace() {
		t.Fatalf("want %s (%d), got %s/%d %s", want.Error(), want.ABCICode(), r.codespace, r.code, r.log)
	}
}

func collectionsJoin(a, b uint32) collections.Pair[uint32, uint32] { return collections.Join(a, b) }

// setRawNeuron writes a neuron record straight into the store, under Neurons' prefix and past its indexes, as a
// corrupt record would sit there (the keeper's IndexedMap refuses a hotkey that is not an address).
func setRawNeuron(t *testing.T, c *integration.App, ctx sdk.Context, n subnetstypes.Neuron) {
	t.Helper()
	key, err := collections.EncodeKeyWithPrefix(subnetstypes.NeuronsKey.Bytes(),
		collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), collections.Join(n.Netuid, n.Uid))
	if err != nil {
		t.Fatal(err)
	}
	bz, err := n.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	ctx.KVStore(c.GetKey(subnetstypes.StoreKey)).Set(key, bz)
}
