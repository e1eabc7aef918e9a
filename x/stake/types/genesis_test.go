package types_test

import (
	"errors"
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// itemCase is one genesis item and what its Validate must say: nil, or an error of the given type whose message
// contains want (the field it names).
type itemCase struct {
	name string
	item interface{ Validate() error }
	is   error
	want string
}

func runItems(t *testing.T, cases []itemCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.item.Validate()
			if tc.is == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if !errors.Is(err, tc.is) {
				t.Fatalf("got %v, want %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestGenesisItemsValidate(t *testing.T) {
	one := math.OneInt()
	runItems(t, []itemCase{
		{"position ok", types.StakePosition{Coldkey: seedCold, Hotkey: seedHot, Amount: one}, nil, ""},
		{"position bad coldkey", types.StakePosition{Coldkey: "mind1nope", Hotkey: seedHot, Amount: one}, types.ErrInvalidAddress, "coldkey"},
		{"position empty hotkey", types.StakePosition{Coldkey: seedCold, Amount: one}, types.ErrInvalidAddress, "hotkey is empty"},
		{"position zero", types.StakePosition{Coldkey: seedCold, Hotkey: seedHot, Amount: math.ZeroInt()}, types.ErrInvalidAmount, "positive"},
		{"position unset amount", types.StakePosition{Coldkey: seedCold, Hotkey: seedHot}, types.ErrInvalidAmount, "not set"},

		{"take ok", types.HotkeyTake{Hotkey: seedHot, TakeBps: 1800, LastSetHeight: 5}, nil, ""},
		{"take above 100%", types.HotkeyTake{Hotkey: seedHot, TakeBps: types.BpsDenominator + 1}, types.ErrTakeOutOfBounds, "take_bps"},
		{"take negative height", types.HotkeyTake{Hotkey: seedHot, LastSetHeight: -1}, types.ErrInvalidGenesis, "last_set_height"},
		{"take bad hotkey", types.HotkeyTake{Hotkey: "x"}, types.ErrInvalidAddress, "hotkey"},

		{"unbonding ok", types.UnbondingEntry{Id: 1, Coldkey: seedCold, Hotkey: seedHot, Amount: one, CreationHeight: 1, CompletionHeight: 2}, nil, ""},
		{"unbonding id 0", types.UnbondingEntry{Coldkey: seedCold, Hotkey: seedHot, Amount: one}, types.ErrInvalidGenesis, "id is 0"},
		{"unbonding heights reversed", types.UnbondingEntry{Id: 1, Coldkey: seedCold, Hotkey: seedHot, Amount: one, CreationHeight: 3, CompletionHeight: 2}, types.ErrInvalidGenesis, "creation_height"},
		{"unbonding negative height", types.UnbondingEntry{Id: 1, Coldkey: seedCold, Hotkey: seedHot, Amount: one, CreationHeight: -1}, types.ErrInvalidGenesis, "creation_height"},
		{"unbonding negative amount", types.UnbondingEntry{Id: 1, Coldkey: seedCold, Hotkey: seedHot, Amount: math.NewInt(-1)}, types.ErrInvalidAmount, "amount is -1"},
		{"unbonding bad coldkey", types.UnbondingEntry{Id: 1, Coldkey: "cold", Hotkey: seedHot, Amount: one}, types.ErrInvalidAddress, "coldkey \"cold\""},

		{"epoch stake ok", types.EpochStakeSnapshot{Netuid: 1, Hotkey: seedHot, Amount: one}, nil, ""},
		{"epoch stake zero", types.EpochStakeSnapshot{Netuid: 1, Hotkey: seedHot, Amount: math.ZeroInt()}, types.ErrInvalidAmount, "amount"},
		{"epoch stake bad hotkey", types.EpochStakeSnapshot{Netuid: 1, Amount: one}, types.ErrInvalidAddress, "hotkey"},

		{"prune ok", types.SnapshotPrune{Netuid: 1, Hotkey: seedHot}, nil, ""},
		{"prune ok after", types.SnapshotPrune{Netuid: 1, Hotkey: seedHot, AfterColdkey: seedCold}, nil, ""},
		{"prune bad after", types.SnapshotPrune{Netuid: 1, Hotkey: seedHot, AfterColdkey: "zz"}, types.ErrInvalidAddress, "after_coldkey"},
		{"prune bad hotkey", types.SnapshotPrune{Netuid: 1, Hotkey: "zz"}, types.ErrInvalidAddress, "hotkey"},

		{"position snapshot ok", types.PositionSnapshot{Netuid: 1, Hotkey: seedHot, Coldkey: seedCold, Amount: one}, nil, ""},
		{"position snapshot bad coldkey", types.PositionSnapshot{Netuid: 1, Hotkey: seedHot, Amount: one}, types.ErrInvalidAddress, "coldkey is empty"},
		{"position snapshot zero", types.PositionSnapshot{Netuid: 1, Hotkey: seedHot, Coldkey: seedCold, Amount: math.ZeroInt()}, types.ErrInvalidAmount, "amount"},
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
