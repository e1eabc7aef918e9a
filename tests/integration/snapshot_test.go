package integration_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// TestReplacedHotkeyLosesPositionSnapshots: a full subnet whose hotkeys all have delegators and epoch snapshots;
// registering a fourth hotkey replaces one. In that block the replaced hotkey's epoch-stake snapshot on the subnet
// goes (the x/subnets hook), its position snapshots there are queued and deleted by x/stake's EndBlock, its
// positions stay (their coldkeys remove them when they want), and every invariant holds.
func TestReplacedHotkeyLosesPositionSnapshots(t *testing.T) {
	c := integration.New(t, names, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.Tempo, hp.MaxAllowedUids, hp.MaxAllowedValidators, hp.ImmunityPeriod = 10, 3, 3, 4
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
	}))
	r := c.MustDeliver([]sdk.Msg{&subnetstypes.MsgCreateSubnet{
		Owner: c.Account("owner").Addr.String(), MaxCost: math.ZeroInt(),
		Identity: subnetstypes.SubnetIdentity{Name: "ner", TaskKind: "ner"},
	}}, c.Account("owner"))
	var created subnetstypes.MsgCreateSubnetResponse
	c.MsgResponse(r.Data, &created)
	netuid := created.Netuid
	hotkeys := []string{"v1", "m1", "m2"}
	for _, h := range hotkeys {
		reg(c, netuid, "cold", h)
	}
	for _, h := range hotkeys {
		for _, from := range []string{"cold", "delegator"} {
			c.MustDeliver([]sdk.Msg{&staketypes.MsgAddStake{
				Coldkey: c.Account(from).Addr.String(),
				Hotkey:  c.Account(h).Addr.String(), Amount: math.NewInt(1_000_000),
			}}, c.Account(from))
		}
	}
	snapshotsOf := func(hotkey sdk.AccAddress) int {
		n := 0
		for _, from := range []string{"cold", "delegator"} {
			_, has, err := c.StakeKeeper.PositionSnapshot(c.Ctx(), netuid, hotkey, c.Account(from).Addr)
			if err != nil {
				t.Fatal(err)
			}
			if has {
				n++
			}
		}
		return n
	}
	c.NextBlocks(11) // an epoch has recorded every position; immunity is over
	for _, h := range hotkeys {
		if n := snapshotsOf(c.Account(h).Addr); n != 2 {
			t.Fatalf("%s has %d position snapshots on subnet %d after an epoch, want 2", h, n, netuid)
		}
	}

	res := c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{
		Coldkey: c.Account("cold").Addr.String(),
		Hotkey:  c.Account("m3").Addr.String(), Netuid: netuid, MaxBurn: math.ZeroInt(),
	}}, c.Account("cold"), c.Account("m3"))
	var resp subnetstypes.MsgRegisterNeuronResponse
	c.MsgResponse(res.Data, &resp)
	if resp.ReplacedHotkey == "" {
		t.Fatal("registering into a full subnet replaced nobody")
	}
	integration.RequireEvent(t, res.Events, "tokenmind.stake.v1.EventEpochStakeCleared", "pruning")
	replaced := sdk.MustAccAddressFromBech32(resp.ReplacedHotkey)
	if n := snapshotsOf(replaced); n != 0 {
		t.Fatalf("the replaced hotkey still has %d position snapshots on subnet %d", n, netuid)
	}
	if has, _ := c.StakeKeeper.HasEpochStake(c.Ctx(), netuid, replaced); has {
		t.Fatal("the replaced hotkey keeps its epoch-stake snapshot")
	}
	if has, _ := c.StakeKeeper.SnapshotPrunes.Has(c.Ctx(), collections.Join(netuid, replaced)); has {
		t.Fatal("the prune job is still queued after EndBlock")
	}
	for _, from := range []string{"cold", "delegator"} {
		if got := c.StakeKeeper.GetStake(c.Ctx(), c.Account(from).Addr, replaced); got.LT(math.NewInt(1_000_000)) {
			t.Fatalf("%s's position on the replaced hotkey is %s", from, got)
		}
	}
	for _, h := range hotkeys {
		if addr := c.Account(h).Addr; !addr.Equals(replaced) && snapshotsOf(addr) != 2 {
			t.Fatalf("%s lost its position snapshots", h)
		}
	}
	if err := c.StakeKeeper.CheckInvariants(c.Ctx()); err != nil {
		t.Fatal(err)
	}
	if err := c.EmissionsKeeper.CheckInvariants(c.Ctx()); err != nil {
		t.Fatal(err)
	}
}
