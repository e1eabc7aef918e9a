package types_test

import (
	"errors"
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

func TestGenesisItemsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		item interface{ Validate() error }
		want string // "" for valid; else a substring of the ErrInvalidGenesis error
	}{
		{"pool ok", types.PendingPool{Netuid: 1, Amount: math.NewInt(5)}, ""},
		{"pool empty", types.PendingPool{Netuid: 1, Amount: math.ZeroInt()}, ""},
		{"pool netuid 0", types.PendingPool{Amount: math.ZeroInt()}, "netuid is 0"},
		{"pool negative", types.PendingPool{Netuid: 1, Amount: math.NewInt(-1)}, "amount is -1"},
		{"pool unset", types.PendingPool{Netuid: 1}, "amount is not set"},
		{"schedule ok", types.SubnetSchedule{Netuid: 2, Stake: math.NewInt(10), Started: true}, ""},
		{"schedule netuid 0", types.SubnetSchedule{Stake: math.ZeroInt()}, "netuid is 0"},
		{"schedule negative stake", types.SubnetSchedule{Netuid: 2, Stake: math.NewInt(-2)}, "stake is -2"},
		{"schedule unset stake", types.SubnetSchedule{Netuid: 2}, "stake is not set"},
	} {
		err := tc.item.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: want valid, got %v", tc.name, err)
		case tc.want != "" && (!errors.Is(err, types.ErrInvalidGenesis) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want ErrInvalidGenesis mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestGenesisValidateCallsItems(t *testing.T) {
	valid := func() *types.GenesisState {
		gs := types.DefaultGenesis()
		gs.SeenNetuid = 2
		gs.Pools = []types.PendingPool{{Netuid: 1, Amount: math.NewInt(3)}, {Netuid: 2, Amount: math.ZeroInt()}}
		gs.Schedules = []types.SubnetSchedule{{Netuid: 1, Stake: math.OneInt()}, {Netuid: 2, Stake: math.ZeroInt()}}
		return gs
	}
	if err := valid().Validate(); err != nil {
		t.Fatalf("valid genesis rejected: %v", err)
	}
	for _, tc := range []struct {
		name   string
		mutate func(*types.GenesisState)
		want   string
	}{
		{"bad pool", func(gs *types.GenesisState) { gs.Pools[1].Amount = math.NewInt(-1) }, "pools[1]: amount is -1"},
		{"second pool", func(gs *types.GenesisState) { gs.Pools[1].Netuid = 1 }, "pools[1]: a second pool of subnet 1"},
		{"bad schedule", func(gs *types.GenesisState) { gs.Schedules[0].Netuid = 0 }, "schedules[0]: netuid is 0"},
		{"schedule above seen", func(gs *types.GenesisState) { gs.SeenNetuid = 1 }, "schedules[1]: netuid 2; want at most seen_netuid (1)"},
		{"second schedule", func(gs *types.GenesisState) { gs.Schedules[1].Netuid = 1 }, "a second schedule of subnet 1"},
		{"negative minted", func(gs *types.GenesisState) { gs.TotalMinted = math.NewInt(-1) }, "total_minted is -1"},
		{"unset undistributed", func(gs *types.GenesisState) { gs.Undistributed = math.Int{} }, "undistributed is not set"},
	} {
		gs := valid()
		tc.mutate(gs)
		err := gs.Validate()
		if !errors.Is(err, types.ErrInvalidGenesis) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want ErrInvalidGenesis mentioning %q", tc.name, err, tc.want)
		}
	}
}
