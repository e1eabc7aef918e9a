package types_test

import (
	"errors"
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/testutil/validatetest"
	"github.com/tokenmind/tokenmind/x/stake/types"
)

func TestGenesisItemsValidate(t *testing.T) {
	one := math.OneInt()
	validatetest.Run(t, []validatetest.Case{
		validatetest.C("position ok", types.StakePosition{Coldkey: seedCold, Hotkey: seedHot, Amount: one}, nil, ""),
		validatetest.C("position bad coldkey", types.StakePosition{Coldkey: "mind1nope", Hotkey: seedHot, Amount: one}, types.ErrInvalidAddress, "coldkey"),
		validatetest.C("position empty hotkey", types.StakePosition{Coldkey: seedCold, Amount: one}, types.ErrInvalidAddress, "hotkey is empty"),
		validatetest.C("position zero", types.StakePosition{Coldkey: seedCold, Hotkey: seedHot, Amount: math.ZeroInt()}, types.ErrInvalidAmount, "positive"),
		validatetest.C("position unset amount", types.StakePosition{Coldkey: seedCold, Hotkey: seedHot}, types.ErrInvalidAmount, "not set"),

		validatetest.C("take ok", types.HotkeyTake{Hotkey: seedHot, TakeBps: 1800, LastSetHeight: 5}, nil, ""),
		validatetest.C("take above 100%", types.HotkeyTake{Hotkey: seedHot, TakeBps: types.BpsDenominator + 1}, types.ErrTakeOutOfBounds, "take_bps"),
		validatetest.C("take negative height", types.HotkeyTake{Hotkey: seedHot, LastSetHeight: -1}, types.ErrInvalidGenesis, "last_set_height"),
		validatetest.C("take bad hotkey", types.HotkeyTake{Hotkey: "x"}, types.ErrInvalidAddress, "hotkey"),

		validatetest.C("unbonding ok", types.UnbondingEntry{Id: 1, Coldkey: seedCold, Hotkey: seedHot, Amount: one, CreationHeight: 1, CompletionHeight: 2}, nil, ""),
		validatetest.C("unbonding id 0", types.UnbondingEntry{Coldkey: seedCold, Hotkey: seedHot, Amount: one}, types.ErrInvalidGenesis, "id is 0"),
		validatetest.C("unbonding heights reversed", types.UnbondingEntry{Id: 1, Coldkey: seedCold, Hotkey: seedHot, Amount: one, CreationHeight: 3, CompletionHeight: 2}, types.ErrInvalidGenesis, "creation_height"),
		validatetest.C("unbonding negative height", types.UnbondingEntry{Id: 1, Coldkey: seedCold, Hotkey: seedHot, Amount: one, CreationHeight: -1}, types.ErrInvalidGenesis, "creation_height"),
		validatetest.C("unbonding negative amount", types.UnbondingEntry{Id: 1, Coldkey: seedCold, Hotkey: seedHot, Amount: math.NewInt(-1)}, types.ErrInvalidAmount, "amount is -1"),
		validatetest.C("unbonding bad coldkey", types.UnbondingEntry{Id: 1, Coldkey: "cold", Hotkey: seedHot, Amount: one}, types.ErrInvalidAddress, "coldkey \"cold\""),

		validatetest.C("epoch stake ok", types.EpochStakeSnapshot{Netuid: 1, Hotkey: seedHot, Amount: one}, nil, ""),
		validatetest.C("epoch stake zero", types.EpochStakeSnapshot{Netuid: 1, Hotkey: seedHot, Amount: math.ZeroInt()}, types.ErrInvalidAmount, "amount"),
		validatetest.C("epoch stake bad hotkey", types.EpochStakeSnapshot{Netuid: 1, Amount: one}, types.ErrInvalidAddress, "hotkey"),

		validatetest.C("prune ok", types.SnapshotPrune{Netuid: 1, Hotkey: seedHot}, nil, ""),
		validatetest.C("prune ok after", types.SnapshotPrune{Netuid: 1, Hotkey: seedHot, AfterColdkey: seedCold}, nil, ""),
		validatetest.C("prune bad after", types.SnapshotPrune{Netuid: 1, Hotkey: seedHot, AfterColdkey: "zz"}, types.ErrInvalidAddress, "after_coldkey"),
		validatetest.C("prune bad hotkey", types.SnapshotPrune{Netuid: 1, Hotkey: "zz"}, types.ErrInvalidAddress, "hotkey"),

		validatetest.C("position snapshot ok", types.PositionSnapshot{Netuid: 1, Hotkey: seedHot, Coldkey: seedCold, Amount: one}, nil, ""),
		validatetest.C("position snapshot bad coldkey", types.PositionSnapshot{Netuid: 1, Hotkey: seedHot, Amount: one}, types.ErrInvalidAddress, "coldkey is empty"),
		validatetest.C("position snapshot zero", types.PositionSnapshot{Netuid: 1, Hotkey: seedHot, Coldkey: seedCold, Amount: math.ZeroInt()}, types.ErrInvalidAmount, "amount"),
	})
}

// GenesisState.Validate calls each item's Validate and reports where the bad item is.
func TestGenesisValidateCallsItems(t *testing.T) {
	gs := types.DefaultGenesis()
	gs.Positions = []types.StakePosition{
		{Coldkey: seedCold, Hotkey: seedHot, Amount: math.OneInt()},
		{Coldkey: seedCold, Hotkey: seedHot2, Amount: math.ZeroInt()},
	}
	err := gs.Validate()
	if !errors.Is(err, types.ErrInvalidGenesis) || !strings.Contains(err.Error(), "positions[1]") {
		t.Fatalf("got %v, want ErrInvalidGenesis naming positions[1]", err)
	}
	gs.Positions[1].Amount = math.OneInt()
	if err := gs.Validate(); err != nil {
		t.Fatalf("valid genesis rejected: %v", err)
	}
	// One address spelled twice (bech32 is case-insensitive) is one position.
	gs.Positions[1] = types.StakePosition{Coldkey: strings.ToUpper(seedCold), Hotkey: seedHot, Amount: math.OneInt()}
	if err := gs.Validate(); err == nil || !strings.Contains(err.Error(), "duplicate position") {
		t.Fatalf("got %v, want a duplicate position", err)
	}
}
