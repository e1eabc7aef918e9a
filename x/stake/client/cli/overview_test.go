package cli_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/stake/client/cli"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// TestOverviewInProcess builds a coldkey's portfolio in the in-process app through the same gRPC queries the CLI
// sends: two hotkeys it registered (one validator with a delegator and an epoch output, one miner at uid 1), stake
// on a hotkey of someone else, a pending unbonding, and the subnet it owns.
func TestOverviewInProcess(t *testing.T) {
	c := integration.New(t, []string{"cold", "other", "v1", "m1", "o1", "idle"}, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
	}))
	cold, other := c.Account("cold"), c.Account("other")
	r := c.MustDeliver([]sdk.Msg{&subnetstypes.MsgCreateSubnet{
		Owner: cold.Addr.String(), MaxCost: math.ZeroInt(),
		Identity: subnetstypes.SubnetIdentity{Name: "ner", TaskKind: "ner"},
	}}, cold)
	var created subnetstypes.MsgCreateSubnetResponse
	c.MsgResponse(r.Data, &created)
	netuid := created.Netuid
	register := func(coldkey *integration.Account, hot string) {
		c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{
			Coldkey: coldkey.Addr.String(), Hotkey: c.Account(hot).Addr.String(),
			Netuid: netuid, MaxBurn: math.ZeroInt(),
		}}, coldkey, c.Account(hot))
	}
	register(cold, "v1")  // uid 0
	register(cold, "m1")  // uid 1
	register(other, "o1") // uid 2
	v1, m1, o1 := c.Account("v1").Addr.String(), c.Account("m1").Addr.String(), c.Account("o1").Addr.String()
	c.MustDeliver([]sdk.Msg{
		&staketypes.MsgAddStake{Coldkey: cold.Addr.String(), Hotkey: v1, Amount: math.NewInt(5_000_000)},
		&staketypes.MsgAddStake{Coldkey: cold.Addr.String(), Hotkey: o1, Amount: math.NewInt(1_000_000)},
	}, cold)
	c.MustDeliver([]sdk.Msg{&staketypes.MsgAddStake{Coldkey: other.Addr.String(), Hotkey: v1, Amount: math.NewInt(3_000_000)}}, other)
	c.MustDeliver([]sdk.Msg{&staketypes.MsgRemoveStake{Coldkey: cold.Addr.String(), Hotkey: v1, Amount: math.NewInt(1_000_000)}}, cold)
	out := subnetstypes.EpochOutput{Dividends: 65535, Emission: math.NewInt(12_345), ValidatorPermit: true, EpochHeight: uint64(c.Height())}
	if err := c.SubnetsKeeper.SetEpochOutput(c.WriteCtx(), netuid, 0, out); err != nil {
		t.Fatal(err)
	}
	c.NextBlock()

	conn := &baseapp.QueryServiceTestHelper{GRPCQueryRouter: c.GRPCQueryRouter(), Ctx: c.Ctx()}
	o, err := cli.BuildOverview(c.Ctx(), conn, cold.Addr.String())
	if err != nil {
		t.Fatal(err)
	}
	if o.Coldkey != cold.Addr.String() || o.Height != uint64(c.Height()) {
		t.Fatalf("coldkey %s at %d, want %s at %d", o.Coldkey, o.Height, cold.Addr, c.Height())
	}
	if !o.Balance.Equal(c.Balance(cold.Addr)) {
		t.Errorf("balance %s, bank says %s", o.Balance, c.Balance(cold.Addr))
	}
	if !o.Staked.Equal(math.NewInt(5_000_000)) || !o.Unbonding.Equal(math.NewInt(1_000_000)) {
		t.Errorf("staked %s unbonding %s, want 5000000 and 1000000", o.Staked, o.Unbonding)
	}
	if len(o.SubnetsOwned) != 1 || o.SubnetsOwned[0] != netuid {
		t.Errorf("subnets owned %v, want [%d]", o.SubnetsOwned, netuid)
	}
	if len(o.Hotkeys) != 2 {
		t.Fatalf("%d hotkeys, want v1 and m1: %+v", len(o.Hotkeys), o.Hotkeys)
	}
	byKey := map[string]cli.OwnedHotkey{}
	for _, h := range o.Hotkeys {
		byKey[h.Hotkey] = h
	}
	hv, hm := byKey[v1], byKey[m1]
	if !hv.TotalStake.Equal(math.NewInt(7_000_000)) || !hv.OwnStake.Equal(math.NewInt(4_000_000)) || len(hv.Delegators) != 2 || hv.TakeBps != 1800 {
		t.Errorf("v1: total %s own %s, %d delegators, take %d; want 7000000, 4000000, 2, 1800", hv.TotalStake, hv.OwnStake, len(hv.Delegators), hv.TakeBps)
	}
	if len(hv.Registrations) != 1 {
		t.Fatalf("v1 registrations %+v", hv.Registrations)
	}
	if reg := hv.Registrations[0]; reg.Netuid != netuid || reg.UID != 0 || reg.Dividends != 65535 || !reg.Emission.Equal(math.NewInt(12_345)) || !reg.ValidatorPermit {
		t.Errorf("v1 registration %+v", reg)
	}
	if len(hm.Registrations) != 1 || hm.Registrations[0].UID != 1 || !hm.TotalStake.IsZero() || len(hm.Delegators) != 0 {
		t.Errorf("m1: %+v", hm)
	}
	if len(o.Delegations) != 1 || o.Delegations[0].Hotkey != o1 || !o.Delegations[0].Amount.Equal(math.NewInt(1_000_000)) {
		t.Errorf("delegations %+v, want 1000000 on o1", o.Delegations)
	}
	if len(o.Unbondings) != 1 || o.Unbondings[0].Hotkey != v1 || o.Unbondings[0].CompletionHeight <= c.Height() {
		t.Errorf("unbondings %+v", o.Unbondings)
	}
	if !o.TotalEmission.Equal(math.NewInt(12_345)) {
		t.Errorf("total emission %s", o.TotalEmission)
	}

	var buf bytes.Buffer
	if err := cli.WriteOverview(&buf, o); err != nil {
		t.Fatal(err)
	}
	table := buf.String()
	for _, want := range []string{
		"coldkey " + cold.Addr.String(), "staked 5 MIND", "unbonding 1 MIND", "owns subnets 1",
		"HOTKEYS (2)", "STAKE ON OTHER HOTKEYS (1)", "UNBONDING (1)", "18.00%", "0.012345",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	// uid 0 is a value: v1's line shows netuid 1 and uid 0.
	if !lineHas(table, v1, " 1 ", " 0 ", "7 ", "4 ", "1.0000", "yes") {
		t.Errorf("no line for v1 with netuid 1, uid 0, stake 7, own 4, dividends 1.0000, permit:\n%s", table)
	}

	// JSON keeps every field, zeros included.
	buf.Reset()
	if err := json.NewEncoder(&buf).Encode(o); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"uid":0`, `"incentive":0`, `"total_stake":"0"`, `"amount":"1000000"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JSON lacks %s: %s", want, buf.String())
		}
	}

	// A coldkey with nothing: an empty portfolio, not an error.
	idle, err := cli.BuildOverview(c.Ctx(), conn, c.Account("idle").Addr.String())
	if err != nil || len(idle.Hotkeys) != 0 || len(idle.Delegations) != 0 || !idle.Staked.IsZero() {
		t.Fatalf("idle coldkey: %+v, %v", idle, err)
	}
}

func lineHas(table, key string, parts ...string) bool {
	for _, l := range strings.Split(table, "\n") {
		if !strings.HasPrefix(l, key) {
			continue
		}
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return true
		}
	}
	return false
}
