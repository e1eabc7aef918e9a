package types_test

import (
	"errors"
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/testutil/validatetest"
	"github.com/tokenmind/tokenmind/x/payments/types"
)

func TestGenesisItemsValidate(t *testing.T) {
	ten, three := math.NewInt(10), math.NewInt(3)
	ch := func(f func(*types.Channel)) types.Channel {
		c := types.Channel{Id: 1, Payer: seedPayer, Netuid: 1, Gateway: seedGw, Deposit: ten, Claimed: three}
		if f != nil {
			f(&c)
		}
		return c
	}
	rev := func(f func(*types.Revenue)) types.Revenue {
		r := types.Revenue{Netuid: 1, Paid: ten, Gateway: math.NewInt(1), Owner: math.NewInt(1), Burned: math.ZeroInt(), Pool: math.NewInt(8)}
		if f != nil {
			f(&r)
		}
		return r
	}
	validatetest.Run(t, []validatetest.Case{
		validatetest.C("channel ok", ch(nil), nil, ""),
		validatetest.C("channel closing ok", ch(func(c *types.Channel) { c.ClosedAt, c.SettlesAt = 5, 10 }), nil, ""),
		validatetest.C("channel id 0", ch(func(c *types.Channel) { c.Id = 0 }), types.ErrInvalidGenesis, "id is 0"),
		validatetest.C("channel bad payer", ch(func(c *types.Channel) { c.Payer = "nope" }), types.ErrInvalidAddress, "payer \"nope\""),
		validatetest.C("channel empty gateway", ch(func(c *types.Channel) { c.Gateway = "" }), types.ErrInvalidAddress, "gateway is empty"),
		validatetest.C("channel netuid 0", ch(func(c *types.Channel) { c.Netuid = 0 }), types.ErrSubnetNotFound, "netuid"),
		validatetest.C("channel unset deposit", ch(func(c *types.Channel) { c.Deposit = math.Int{} }), types.ErrInvalidAmount, "deposit is not set"),
		validatetest.C("channel negative claimed", ch(func(c *types.Channel) { c.Claimed = math.NewInt(-1) }), types.ErrInvalidAmount, "claimed is -1"),
		validatetest.C("channel over-claimed", ch(func(c *types.Channel) { c.Claimed = math.NewInt(11) }), types.ErrInvalidAmount, "exceeds deposit"),
		validatetest.C("channel closed without settlement", ch(func(c *types.Channel) { c.ClosedAt = 5 }), types.ErrInvalidGenesis, "settles_at"),

		validatetest.C("rule free ok", types.AccessRule{Netuid: 1, QueryPrice: math.ZeroInt(), MinDeposit: math.ZeroInt()}, nil, ""),
		validatetest.C("rule paid ok", types.AccessRule{Netuid: 1, Paid: true, QueryPrice: math.NewInt(5), MinDeposit: math.NewInt(5)}, nil, ""),
		validatetest.C("rule netuid 0", types.AccessRule{Paid: true, QueryPrice: math.NewInt(5), MinDeposit: math.NewInt(5)}, types.ErrSubnetNotFound, "netuid"),
		validatetest.C("rule unset", types.AccessRule{Netuid: 1}, types.ErrInvalidAccessRule, "must be set"),
		validatetest.C("rule deposit below price", types.AccessRule{Netuid: 1, Paid: true, QueryPrice: math.NewInt(5), MinDeposit: math.NewInt(4)}, types.ErrInvalidAccessRule, "min_deposit 4"),
		validatetest.C("rule free with price", types.AccessRule{Netuid: 1, QueryPrice: math.NewInt(1), MinDeposit: math.ZeroInt()}, types.ErrInvalidAccessRule, "paid=true"),

		validatetest.C("revenue ok", rev(nil), nil, ""),
		validatetest.C("revenue netuid 0", rev(func(r *types.Revenue) { r.Netuid = 0 }), types.ErrSubnetNotFound, "netuid"),
		validatetest.C("revenue unset burned", rev(func(r *types.Revenue) { r.Burned = math.Int{} }), types.ErrInvalidAmount, "burned is not set"),
		validatetest.C("revenue negative owner", rev(func(r *types.Revenue) { r.Owner, r.Pool = math.NewInt(-1), math.NewInt(10) }), types.ErrInvalidAmount, "owner is -1"),
		validatetest.C("revenue split != paid", rev(func(r *types.Revenue) { r.Pool = math.NewInt(7) }), types.ErrInvalidGenesis, "paid is 10"),
	})
}

func TestGenesisValidate(t *testing.T) {
	if err := types.DefaultGenesis().Validate(); err != nil {
		t.Fatal(err)
	}
	ch := types.Channel{Id: 1, Payer: seedPayer, Netuid: 1, Gateway: seedGw, Deposit: math.NewInt(10), Claimed: math.NewInt(3)}
	rev := types.Revenue{Netuid: 1, Paid: math.NewInt(10), Gateway: math.NewInt(1), Owner: math.NewInt(1), Burned: math.ZeroInt(), Pool: math.NewInt(8)}
	rule := types.AccessRule{Netuid: 1, Paid: true, QueryPrice: math.NewInt(5), MinDeposit: math.NewInt(5)}
	ok := func() *types.GenesisState {
		return &types.GenesisState{
			Params: types.DefaultParams(), NextChannelId: 2, Channels: []types.Channel{ch},
			Revenues: []types.Revenue{rev}, AccessRules: []types.AccessRule{rule},
		}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := map[string]struct {
		f    func(*types.GenesisState)
		want string
	}{
		"channel id at next_channel_id": {func(g *types.GenesisState) { g.NextChannelId = 1 }, "below next_channel_id"},
		"next_channel_id 0":             {func(g *types.GenesisState) { g.NextChannelId = 0 }, "next_channel_id"},
		"duplicate channel":             {func(g *types.GenesisState) { g.Channels = append(g.Channels, ch); g.NextChannelId = 5 }, "duplicate channel id 1"},
		"over-claimed channel":          {func(g *types.GenesisState) { g.Channels[0].Claimed = math.NewInt(11) }, "channels[0]"},
		"closed channel":                {func(g *types.GenesisState) { g.Channels[0].ClosedAt = 5 }, "channels[0]"},
		"bad payer":                     {func(g *types.GenesisState) { g.Channels[0].Payer = "nope" }, "channels[0]: payer"},
		"bad revenue":                   {func(g *types.GenesisState) { g.Revenues[0].Pool = math.NewInt(7) }, "revenues[0]"},
		"duplicate revenue":             {func(g *types.GenesisState) { g.Revenues = append(g.Revenues, rev) }, "duplicate revenue"},
		"bad rule":                      {func(g *types.GenesisState) { g.AccessRules[0].MinDeposit = math.NewInt(4) }, "access_rules[0]"},
		"duplicate rule":                {func(g *types.GenesisState) { g.AccessRules = append(g.AccessRules, rule) }, "duplicate access rule"},
		"rule above max price": {func(g *types.GenesisState) {
			g.AccessRules[0].QueryPrice = types.DefaultMaxQueryPrice.AddRaw(1)
			g.AccessRules[0].MinDeposit = g.AccessRules[0].QueryPrice
		}, "max_query_price"},
	}
	for name, tc := range bad {
		g := ok()
		g.Channels = append([]types.Channel(nil), g.Channels...)
		g.Revenues = append([]types.Revenue(nil), g.Revenues...)
		g.AccessRules = append([]types.AccessRule(nil), g.AccessRules...)
		tc.f(g)
		if err := g.Validate(); !errors.Is(err, types.ErrInvalidGenesis) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want ErrInvalidGenesis mentioning %q", name, err, tc.want)
		}
	}
	g := ok()
	g.Params.SettleBlocks = 0
	if err := g.Validate(); !errors.Is(err, types.ErrInvalidParams) {
		t.Errorf("bad params: got %v, want ErrInvalidParams", err)
	}
}
