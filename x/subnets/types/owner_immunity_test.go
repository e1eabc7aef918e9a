package types_test

import (
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// TestImmuneOwnerUidsLimitAtLeastOne: the subnet owner's first hotkey is never pruned, so 0 is refused everywhere a
// hyperparameter set or its bounds enter the chain: governance bounds, genesis (params and subnets) and
// MsgSetHyperparameters.
func TestImmuneOwnerUidsLimitAtLeastOne(t *testing.T) {
	if got := types.DefaultMinHyperparameters().ImmuneOwnerUidsLimit; got < 1 {
		t.Fatalf("default lower bound of immune_owner_uids_limit = %d, want >= 1", got)
	}
	if got := types.DefaultHyperparameters().ImmuneOwnerUidsLimit; got < 1 {
		t.Fatalf("default immune_owner_uids_limit = %d, want >= 1", got)
	}

	p := types.DefaultParams()
	p.MinHyperparameters.ImmuneOwnerUidsLimit = 0
	err := p.Validate()
	if !types.ErrInvalidParams.Is(err) || !strings.Contains(err.Error(), "min_hyperparameters.immune_owner_uids_limit must be >= 1") {
		t.Fatalf("params with a lower bound of 0: %v", err)
	}
	// Even with the default also at 0 (so the default is within the bounds), the bound itself is refused.
	p.DefaultHyperparameters.ImmuneOwnerUidsLimit = 0
	if err := p.Validate(); !types.ErrInvalidParams.Is(err) {
		t.Fatalf("params with bound and default 0 accepted: %v", err)
	}
	gs := types.DefaultGenesis()
	gs.Params.MinHyperparameters.ImmuneOwnerUidsLimit = 0
	if err := gs.Validate(); err == nil || !strings.Contains(err.Error(), "immune_owner_uids_limit") {
		t.Fatalf("genesis with a lower bound of 0: %v", err)
	}

	// A subnet in genesis whose own limit is 0.
	gs = types.DefaultGenesis()
	hp := types.DefaultHyperparameters()
	hp.ImmuneOwnerUidsLimit = 0
	gs.NextNetuid = 2
	gs.Subnets = []types.Subnet{{
		Netuid: 1, Owner: addr(1), Identity: types.SubnetIdentity{Name: "n", TaskKind: "ner"},
		Hyperparameters: hp, Burn: math.ZeroInt(), Locked: math.ZeroInt(),
	}}
	if err := gs.Validate(); err == nil || !strings.Contains(err.Error(), "immune_owner_uids_limit must be >= 1") {
		t.Fatalf("genesis subnet with immune_owner_uids_limit 0: %v", err)
	}
	gs.Subnets[0].Hyperparameters.ImmuneOwnerUidsLimit = 1
	if err := gs.Validate(); err != nil {
		t.Fatalf("the same genesis with 1: %v", err)
	}

	// The owner's Msg, before any state is read, and against the default bounds.
	msg := &types.MsgSetHyperparameters{Owner: addr(1), Netuid: 1, Hyperparameters: hp}
	if err := msg.ValidateBasic(); !types.ErrInvalidHyperparameters.Is(err) {
		t.Fatalf("MsgSetHyperparameters with 0: %v", err)
	}
	if err := hp.ValidateWithin(types.DefaultMinHyperparameters(), types.DefaultMaxHyperparameters()); err == nil {
		t.Fatal("0 is within the default governance bounds")
	}
	hp.ImmuneOwnerUidsLimit = 1
	if err := (&types.MsgSetHyperparameters{Owner: addr(1), Netuid: 1, Hyperparameters: hp}).ValidateBasic(); err != nil {
		t.Fatalf("MsgSetHyperparameters with 1: %v", err)
	}
}
