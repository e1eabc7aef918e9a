package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
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
