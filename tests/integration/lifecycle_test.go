// Package integration_test walks the operator's journey across modules in the in-process app.
package integration_test

import (
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

var names = []string{"owner", "cold", "delegator", "v1", "m1", "m2", "m3"}

func chain(t *testing.T) *integration.App {
	t.Helper()
	return integration.New(t, names, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.MaxAllowedUids, hp.MaxAllowedValidators, hp.ImmunityPeriod, hp.ServingRateLimit = 3, 3, 4, 1
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
		st := staketypes.DefaultGenesis()
		st.Params.UnbondingBlocks = 5
		st.Params.TakeRateLimit = 3
		integration.SetGenesisModule(g, a, staketypes.ModuleName, st)
	}))
}

// burnedByRegistrations sums what reg paid, so the test can check the supply to the last umind.
var burnedByRegistrations = math.ZeroInt()

func reg(c *integration.App, netuid uint32, cold, hot string) uint32 {
	r := c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{
		Coldkey: c.Account(cold).Addr.String(),
		Hotkey:  c.Account(hot).Addr.String(), Netuid: netuid, MaxBurn: math.ZeroInt(),
	}}, c.Account(cold), c.Account(hot))
	var resp subnetstypes.MsgRegisterNeuronResponse
	c.MsgResponse(r.Data, &resp)
	burnedByRegistrations = burnedByRegistrations.Add(resp.Burned)
	return resp.Uid
}

// TestOperatorJourney: create subnet → register until full → replacement of the right UID → immunity respected →
// serve → stake / unstake / unbond → take, checking balances, supply and the stake invariants as it goes.
func TestOperatorJourney(t *testing.T) {
	c := chain(t)
	burnedByRegistrations = math.ZeroInt()
	supply0, minted0 := c.Supply(), totalMinted(t, c)
	r := c.MustDeliver([]sdk.Msg{&subnetstypes.MsgCreateSubnet{
		Owner: c.Account("owner").Addr.String(), MaxCost: math.ZeroInt(),
		Identity: subnetstypes.SubnetIdentity{Name: "ner", TaskKind: "ner"},
	}}, c.Account("owner"))
	var created subnetstypes.MsgCreateSubnetResponse
	c.MsgResponse(r.Data, &created)
	netuid := created.Netuid
	burned := created.Cost

	for i, h := range []string{"v1", "m1", "m2"} {
		if uid := reg(c, netuid, "cold", h); uid != uint32(i) {
			t.Fatalf("%s got uid %d, want %d", h, uid, i)
		}
	}
	// Full, all immune.
	full := c.Deliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{
		Coldkey: c.Account("cold").Addr.String(),
		Hotkey:  c.Account("m3").Addr.String(), Netuid: netuid, MaxBurn: math.ZeroInt(),
	}}, c.Account("cold"), c.Account("m3"))
	c.RequireError(full, subnetstypes.ErrSubnetFullAllImmune)

	// Stake to v1 (the validator); stake on m1 too so emission order is not the only tie-break.
	cold, del := c.Account("cold"), c.Account("delegator")
	c.MustDeliver([]sdk.Msg{&staketypes.MsgAddStake{Coldkey: cold.Addr.String(), Hotkey: c.Account("v1").Addr.String(), Amount: math.NewInt(5_000_000)}}, cold)
	c.MustDeliver([]sdk.Msg{&staketypes.MsgAddStake{Coldkey: del.Addr.String(), Hotkey: c.Account("v1").Addr.String(), Amount: math.NewInt(3_000_000)}}, del)
	if got := c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account("v1").Addr); !got.Equal(math.NewInt(8_000_000)) {
		t.Fatalf("v1 stake = %s", got)
	}
	// Staking to an unregistered hotkey is refused.
	bad := c.Deliver([]sdk.Msg{&staketypes.MsgAddStake{Coldkey: del.Addr.String(), Hotkey: c.Account("m3").Addr.String(), Amount: math.NewInt(3_000_000)}}, del)
	c.RequireError(bad, staketypes.ErrHotkeyNotRegistered)

	// The metagraph shows the stake.
	mg := metagraph(t, c, netuid)
	if !mg.Neurons[0].Stake.Equal(math.NewInt(8_000_000)) {
		t.Fatalf("metagraph stake of uid 0 = %s", mg.Neurons[0].Stake)
	}

	// Immunity over: the oldest zero-emission neuron that is not v1... all emissions are 0, so uid 0 (oldest) goes,
	// unless it earns. Give v1 (uid 0) emission as an epoch would, then uid 1 (m1) is the one replaced.
	if err := c.SubnetsKeeper.SetEpochOutput(c.WriteCtx(), netuid, 0, subnetstypes.EpochOutput{Emission: math.NewInt(10), ValidatorPermit: true}); err != nil {
		t.Fatal(err)
	}
	c.NextBlocks(5)
	if uid := reg(c, netuid, "cold", "m3"); uid != 1 {
		t.Fatalf("m3 replaced uid %d, want 1", uid)
	}
	// m3 is immune now: the next candidate is uid 2.
	imm, err := subnetsQuery(c).Immunity(c.Ctx(), &subnetstypes.QueryImmunityRequest{Netuid: netuid})
	if err != nil || imm.NextReplacedUid != 2 {
		t.Fatalf("next replaced %d (%v), want 2", imm.NextReplacedUid, err)
	}

	// Serve from the miner hotkey.
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgServe{
		Hotkey: c.Account("m3").Addr.String(), Netuid: netuid,
		Multiaddrs: []string{"/ip4/127.0.0.1/tcp/4001"}, Model: "full",
	}}, c.Account("m3"))

	// Unstake: the position falls at once, the coins come back after unbonding_blocks.
	before := c.Balance(del.Addr)
	c.MustDeliver([]sdk.Msg{&staketypes.MsgRemoveStake{Coldkey: del.Addr.String(), Hotkey: c.Account("v1").Addr.String(), Amount: math.NewInt(1_000_000)}}, del)
	if got := c.StakeKeeper.GetStake(c.Ctx(), del.Addr, c.Account("v1").Addr); !got.Equal(math.NewInt(2_000_000)) {
		t.Fatalf("delegator stake after removal = %s", got)
	}
	if !c.Balance(del.Addr).Equal(before) {
		t.Fatal("unstaked coins returned before unbonding")
	}
	tooMuch := c.Deliver([]sdk.Msg{&staketypes.MsgRemoveStake{Coldkey: del.Addr.String(), Hotkey: c.Account("v1").Addr.String(), Amount: math.NewInt(9_000_000)}}, del)
	c.RequireError(tooMuch, staketypes.ErrInsufficientStake)
	c.NextBlocks(6)
	if got := c.Balance(del.Addr).Sub(before); !got.Equal(math.NewInt(1_000_000)) {
		t.Fatalf("after unbonding the delegator got back %s, want 1000000", got)
	}

	// Take: only the hotkey's owner coldkey, within bounds, rate limited.
	v1 := c.Account("v1").Addr.String()
	notOwner := c.Deliver([]sdk.Msg{&staketypes.MsgSetTake{Coldkey: del.Addr.String(), Hotkey: v1, TakeBps: 900}}, del)
	c.RequireError(notOwner, staketypes.ErrNotHotkeyOwner)
	c.MustDeliver([]sdk.Msg{&staketypes.MsgSetTake{Coldkey: cold.Addr.String(), Hotkey: v1, TakeBps: 900}}, cold)
	if got := c.StakeKeeper.GetTake(c.Ctx(), c.Account("v1").Addr); got != 900 {
		t.Fatalf("take = %d", got)
	}
	tooSoon := c.Deliver([]sdk.Msg{&staketypes.MsgSetTake{Coldkey: cold.Addr.String(), Hotkey: v1, TakeBps: 1000}}, cold)
	c.RequireError(tooSoon, staketypes.ErrTakeRateLimited)
	tooHigh := c.Deliver([]sdk.Msg{&staketypes.MsgSetTake{Coldkey: cold.Addr.String(), Hotkey: v1, TakeBps: 5000}}, cold)
	c.RequireError(tooHigh, staketypes.ErrTakeOutOfBounds)

	// Money: supply = start - what creation and registrations burned + what x/emissions minted, to the umind.
	if err := c.StakeKeeper.CheckInvariants(c.Ctx()); err != nil {
		t.Fatalf("stake invariants: %v", err)
	}
	minted := totalMinted(t, c).Sub(minted0)
	if !minted.IsPositive() {
		t.Fatal("x/emissions minted nothing over the journey")
	}
	if want := supply0.Sub(burned).Sub(burnedByRegistrations).Add(minted); !c.Supply().Equal(want) {
		t.Fatalf("supply %s, want %s (start %s - creation %s - registrations %s + minted %s)", c.Supply(), want, supply0,
			burned, burnedByRegistrations, minted)
	}
}
