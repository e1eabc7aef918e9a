package types_test

import (
	"errors"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

func TestGenesisValidate(t *testing.T) {
	if err := types.DefaultGenesisState().Validate(ac); err != nil {
		t.Fatal(err)
	}
	ch := types.Channel{Id: 1, Payer: seedPayer, Netuid: 1, Gateway: seedGw, Deposit: math.NewInt(10), Claimed: math.NewInt(3)}
	rev := types.Revenue{Netuid: 1, Paid: math.NewInt(10), Gateway: math.NewInt(1), Owner: math.NewInt(1), Burned: math.ZeroInt(), Pool: math.NewInt(8)}
	rule := types.AccessRule{Netuid: 1, Paid: true, QueryPrice: math.NewInt(5), MinDeposit: math.NewInt(5)}
	ok := func() *types.GenesisState {
		return &types.GenesisState{Params: types.DefaultParams(), NextChannelId: 2, Channels: []types.Channel{ch},
			Revenues: []types.Revenue{rev}, AccessRules: []types.AccessRule{rule}}
	}
	if err := ok().Validate(ac); err != nil {
		t.Fatal(err)
	}
	bad := []func(*types.GenesisState){
		func(g *types.GenesisState) { g.NextChannelId = 1 },
		func(g *types.GenesisState) { g.NextChannelId = 0 },
		func(g *types.GenesisState) { g.Channels = append(g.Channels, ch); g.NextChannelId = 5 },
		func(g *types.GenesisState) { g.Channels[0].Claimed = math.NewInt(11) },
		func(g *types.GenesisState) { g.Channels[0].ClosedAt = 5 },
		func(g *types.GenesisState) { g.Channels[0].Payer = "nope" },
		func(g *types.GenesisState) { g.Revenues[0].Pool = math.NewInt(7) },
		func(g *types.GenesisState) { g.Revenues = append(g.Revenues, rev) },
		func(g *types.GenesisState) { g.AccessRules[0].MinDeposit = math.NewInt(4) },
		func(g *types.GenesisState) { g.AccessRules[0].QueryPrice = types.DefaultMaxQueryPrice.AddRaw(1) },
		func(g *types.GenesisState) { g.Params.SettleBlocks = 0 },
	}
	for i, f := range bad {
		g := ok()
		g.Channels = append([]types.Channel(nil), g.Channels...)
		f(g)
		if err := g.Validate(ac); err == nil || (!errors.Is(err, types.ErrInvalidGenesis) && !errors.Is(err, types.ErrInvalidParams)) {
			t.Errorf("case %d: got %v", i, err)
		}
	}
}
