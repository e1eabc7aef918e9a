package keeper_test

import (
	"testing"
	"time"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

func serve(c *integration.App, netuid uint32, hotkey string, addrs ...string) *registration {
	r := c.Deliver([]sdk.Msg{&types.MsgServe{
		Hotkey: c.Account(hotkey).Addr.String(), Netuid: netuid, Multiaddrs: addrs,
		Model: "full", ProtocolVersion: 1,
	}}, c.Account(hotkey))
	return &registration{code: r.Code, codespace: r.Codespace, log: r.Log, res: r}
}

func TestServe(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	serve(c, netuid, "h1", "/ip4/127.0.0.1/tcp/4001").is(t, types.ErrNotRegistered)
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t)
	r := serve(c, netuid, "h1", "/ip4/127.0.0.1/tcp/4001", "/dns4/miner-1/tcp/4001")
	r.ok(t)
	requireEvent(t, r.res.Events, "tokenmind.subnets.v1.EventNeuronServing", "serving")
	n, err := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, 0)
	if err != nil || len(n.Serving.Multiaddrs) != 2 || n.Serving.Task != "ner" || n.Serving.Model != "full" {
		t.Fatalf("serving = %+v, %v", n.Serving, err)
	}
	// serving_rate_limit is 3 blocks in this chain.
	serve(c, netuid, "h1", "/ip4/127.0.0.1/tcp/4002").is(t, types.ErrRateLimited)
	c.NextBlocks(3)
	serve(c, netuid, "h1", "/ip4/127.0.0.1/tcp/4002").ok(t)
	c.NextBlocks(3)
	serve(c, netuid, "h1", "not-a-multiaddr").is(t, types.ErrInvalidServingInfo)
	bad := c.Deliver([]sdk.Msg{&types.MsgServe{
		Hotkey: c.Account("h1").Addr.String(), Netuid: netuid,
		Multiaddrs: []string{"/ip4/1.2.3.4/tcp/1"}, Task: "text-generation",
	}}, c.Account("h1"))
	c.RequireError(bad, types.ErrTaskMismatch)
}

// TestServeIsFreeForRegisteredHotkeys runs CheckTx on a node with a minimum gas price: a registered hotkey's
// MsgServe with no fee is admitted, while an unregistered hotkey or any other Msg without a fee is refused.
func TestServeIsFreeForRegisteredHotkeys(t *testing.T) {
	c := integration.New(t, accounts, integration.WithBaseAppOptions(baseapp.SetMinGasPrices("0.01umind")))
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t)
	msg := func(h string) []sdk.Msg {
		return []sdk.Msg{&types.MsgServe{Hotkey: c.Account(h).Addr.String(), Netuid: netuid, Multiaddrs: []string{"/ip4/127.0.0.1/tcp/4001"}}}
	}
	if res := c.CheckTx(c.SignTx(msg("h1"), c.Account("h1"))); res.Code != 0 {
		t.Fatalf("free serve of a registered hotkey refused: %s", res.Log)
	}
	if res := c.CheckTx(c.SignTx(msg("h2"), c.Account("h2"))); res.Code == 0 {
		t.Fatal("free serve of an unregistered hotkey admitted")
	}
	send := []sdk.Msg{&types.MsgCreateSubnet{
		Owner: c.Account("carol").Addr.String(), MaxCost: math.ZeroInt(),
		Identity: types.SubnetIdentity{Name: "n", TaskKind: "ner"},
	}}
	if res := c.CheckTx(c.SignTx(send, c.Account("carol"))); res.Code == 0 {
		t.Fatal("a fee-less non-hotkey tx was admitted despite the minimum gas price")
	}
}

func TestSetHyperparameters(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	alice := c.Account("alice").Addr.String()
	set := func(owner string, hp types.Hyperparameters) *registration {
		signer := c.Account("alice")
		if owner != alice {
			signer = c.Account("bob")
		}
		r := c.Deliver([]sdk.Msg{&types.MsgSetHyperparameters{Owner: owner, Netuid: netuid, Hyperparameters: hp}}, signer)
		return &registration{code: r.Code, codespace: r.Codespace, log: r.Log, res: r}
	}
	hp := mustSubnet(t, c, netuid).Hyperparameters
	set(c.Account("bob").Addr.String(), hp).is(t, types.ErrNotSubnetOwner)

	tooBig := hp
	tooBig.MaxAllowedUids = 5000
	set(alice, tooBig).is(t, types.ErrInvalidHyperparameters)

	// Fill the subnet (3 UIDs), then shrinking below its size is refused.
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t)
	register(c, netuid, "bob", "h2", math.ZeroInt()).ok(t)
	register(c, netuid, "bob", "h3", math.ZeroInt()).ok(t)
	shrink := hp
	shrink.MaxAllowedUids, shrink.MaxAllowedValidators, shrink.MinAllowedWeights = 2, 1, 1
	set(alice, shrink).is(t, types.ErrCannotShrinkSubnet)

	// A tempo change waits for the epoch boundary; the rate limit (100 blocks) applies after a success.
	c.NextBlocks(100)
	next := mustSubnet(t, c, netuid).Hyperparameters
	next.Tempo, next.ImmunityPeriod = 100, 42
	set(alice, next).ok(t)
	s := mustSubnet(t, c, netuid)
	if s.Hyperparameters.Tempo != 360 || s.PendingTempo != 100 || s.Hyperparameters.ImmunityPeriod != 42 {
		t.Fatalf("tempo %d pending %d immunity %d; want 360 pending 100 and immunity 42 at once",
			s.Hyperparameters.Tempo, s.PendingTempo, s.Hyperparameters.ImmunityPeriod)
	}
	set(alice, next).is(t, types.ErrRateLimited)
	if err := c.SubnetsKeeper.ApplyEpochBoundary(ctxWrite(c), netuid); err != nil {
		t.Fatal(err)
	}
	c.NextBlock()
	if s := mustSubnet(t, c, netuid); s.Hyperparameters.Tempo != 100 || s.PendingTempo != 0 {
		t.Fatalf("after the epoch boundary tempo %d pending %d", s.Hyperparameters.Tempo, s.PendingTempo)
	}
}

// TestParamsChangeByGovernance passes a real gov proposal that changes max_subnets.
func TestParamsChangeByGovernance(t *testing.T) {
	c := integration.New(t, accounts, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		var gov govv1.GenesisState
		a.AppCodec().MustUnmarshalJSON(g["gov"], &gov)
		short := 5 * time.Second
		gov.Params.VotingPeriod = &short
		gov.Params.MaxDepositPeriod = &short
		integration.SetGenesisModule(g, a, "gov", &gov)
	}))
	// Anyone but the gov authority is refused.
	p := types.DefaultParams()
	p.MaxSubnets = 7
	direct := c.Deliver([]sdk.Msg{&types.MsgUpdateParams{Authority: c.Account("alice").Addr.String(), Params: p}}, c.Account("alice"))
	if direct.Code == 0 {
		t.Fatal("a plain account changed the params")
	}
	govParams, err := c.GovKeeper.Params.Get(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	prop, err := govv1.NewMsgSubmitProposal([]sdk.Msg{&types.MsgUpdateParams{Authority: app.GovAuthority(), Params: p}},
		govParams.MinDeposit, c.Account("alice").Addr.String(), "", "max subnets", "raise the cap", false)
	if err != nil {
		t.Fatal(err)
	}
	r := c.MustDeliver([]sdk.Msg{prop}, c.Account("alice"))
	var resp govv1.MsgSubmitProposalResponse
	c.MsgResponse(r.Data, &resp)
	// The first account holds the genesis delegation, so its vote carries the stake.
	c.MustDeliver([]sdk.Msg{govv1.NewMsgVote(c.Account("alice").Addr, resp.ProposalId, govv1.OptionYes, "")}, c.Account("alice"))
	c.NextBlocks(8)
	got, err := c.SubnetsKeeper.GetParams(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	if got.MaxSubnets != 7 {
		prop, _ := c.GovKeeper.Proposals.Get(c.Ctx(), resp.ProposalId)
		t.Fatalf("max_subnets = %d after the proposal (status %s, reason %q)", got.MaxSubnets, prop.Status, prop.FailedReason)
	}
}

// TestServeRefusesAnAddressAnotherNeuronServes: one multiaddr is published by at most one UID of a subnet. A second
// hotkey's MsgServe with it is refused with ErrMultiaddrInUse naming the UID that serves it — in DeliverTx and, for
// the fee-free path, in CheckTx — also when it is spelled differently (zero-padded port, /p2p/ suffix, DNS case). The holder
// may republish its own address, and an address it gave up, or that a replaced UID served, is free again.
func TestServeRefusesAnAddressAnotherNeuronServes(t *testing.T) {
	c := replacementChain(t) // 3 UIDs, serving_rate_limit 1, immunity 5
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "alice", "h1", math.ZeroInt()).ok(t) // uid 0 (the owner's: never replaced)
	register(c, netuid, "bob", "h2", math.ZeroInt()).ok(t)   // uid 1
	register(c, netuid, "bob", "h3", math.ZeroInt()).ok(t)   // uid 2
	const addr = "/ip4/127.0.0.1/tcp/4001"
	serve(c, netuid, "h2", addr, "/dns4/miner-2/tcp/4001").ok(t)
	c.NextBlock()

	for _, a := range []string{addr, "/ip4/127.0.0.1/tcp/04001", addr + "/p2p/12D3KooWQmExample", "/dns4/MINER-2/tcp/4001"} {
		r := serve(c, netuid, "h3", "/ip4/10.0.0.3/tcp/4001", a)
		r.is(t, types.ErrMultiaddrInUse)
		if !contains(r.log, "uid 1") || !contains(r.log, c.Account("h2").Addr.String()) {
			t.Fatalf("refusal of %s does not name uid 1 and its hotkey: %s", a, r.log)
		}
	}
	free := func(h string, addrs ...string) []sdk.Msg {
		return []sdk.Msg{&types.MsgServe{Hotkey: c.Account(h).Addr.String(), Netuid: netuid, Multiaddrs: addrs}}
	}
	if res := c.CheckTx(c.SignTx(free("h3", addr), c.Account("h3"))); res.Code != types.ErrMultiaddrInUse.ABCICode() || res.Codespace != types.ModuleName {
		t.Fatalf("CheckTx of a fee-free serve of uid 1's address: %s/%d %s", res.Codespace, res.Code, res.Log)
	}
	if n, _ := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, 2); len(n.Serving.Multiaddrs) != 0 {
		t.Fatalf("refused serves changed uid 2's serving info: %+v", n.Serving)
	}

	// The holder republishes its own address (with another), then gives the DNS name up: another UID may take it.
	serve(c, netuid, "h2", addr, "/ip4/10.0.0.2/tcp/4001").ok(t)
	c.NextBlock()
	serve(c, netuid, "h3", "/dns4/miner-2/tcp/4001").ok(t)
	c.NextBlock()
	serve(c, netuid, "h2", "/dns4/miner-2/tcp/4001").is(t, types.ErrMultiaddrInUse)

	// uid 1 (h2) is replaced; its addresses are nobody's now, so the newcomer, or anyone else, may publish them.
	setEmissions(t, c, netuid, map[uint32]int64{0: 100, 1: 0, 2: 100})
	c.NextBlocks(6)
	if resp := registerResponse(t, c, register(c, netuid, "carol", "h4", math.ZeroInt())); resp.Uid != 1 {
		t.Fatalf("replaced uid %d, want 1", resp.Uid)
	}
	serve(c, netuid, "h3", addr).ok(t)
	c.NextBlock()
	serve(c, netuid, "h4", addr).is(t, types.ErrMultiaddrInUse)
	serve(c, netuid, "h4", "/ip4/10.0.0.2/tcp/4001").ok(t)
}

func TestServingAddrKey(t *testing.T) {
	for in, want := range map[string]string{
		"/ip4/127.0.0.1/tcp/4001":                       "/ip4/127.0.0.1/tcp/4001",
		"/ip4/127.0.0.1/tcp/04001":                      "/ip4/127.0.0.1/tcp/4001",
		"/ip4/127.000.0.1/tcp/1":                        "/ip4/127.000.0.1/tcp/1", // no valid IP (libp2p cannot dial it): kept
		"/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWAbc":       "/ip4/127.0.0.1/tcp/4001",
		"/ip6/0:0:0:0:0:0:0:1/udp/4001/quic-v1":         "/ip6/::1/udp/4001/quic-v1",
		"/dns4/Miner-1.Example/tcp/4001":                "/dns4/miner-1.example/tcp/4001",
		"/ip4/1.2.3.4/tcp/1/unknown/Value":              "/ip4/1.2.3.4/tcp/1/unknown/Value",
		"/ip4/1.2.3.4/udp/1/quic-v1/webtransport/p2p/x": "/ip4/1.2.3.4/udp/1/quic-v1/webtransport",
		"/dns4/p2p/tcp/1":                               "/dns4/p2p/tcp/1",
	} {
		if got := types.ServingAddrKey(in); got != want {
			t.Errorf("ServingAddrKey(%q) = %q, want %q", in, got, want)
		}
	}
}
