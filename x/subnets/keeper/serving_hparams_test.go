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
	r := c.Deliver([]sdk.Msg{&types.MsgServe{Hotkey: c.Account(hotkey).Addr.String(), Netuid: netuid, Multiaddrs: addrs,
		Model: "full", ProtocolVersion: 1}}, c.Account(hotkey))
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
	bad := c.Deliver([]sdk.Msg{&types.MsgServe{Hotkey: c.Account("h1").Addr.String(), Netuid: netuid,
		Multiaddrs: []string{"/ip4/1.2.3.4/tcp/1"}, Task: "text-generation"}}, c.Account("h1"))
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
	send := []sdk.Msg{&types.MsgCreateSubnet{Owner: c.Account("carol").Addr.String(), MaxCost: math.ZeroInt(),
		Identity: types.SubnetIdentity{Name: "n", TaskKind: "ner"}}}
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
