package keeper_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/emissions/keeper"
	"github.com/tokenmind/tokenmind/x/emissions/types"
)

// queueKeys lists the epoch queue as "height/netuid".
func queueKeys(t *testing.T, ctx sdk.Context, k *keeper.Keeper) []string {
	t.Helper()
	iter, err := k.EpochQueue.Iterate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := iter.Keys()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(keys))
	for i, key := range keys {
		out[i] = fmt.Sprintf("%d/%d", key.K1(), key.K2())
	}
	return out
}

// roundTrip exports c's x/emissions state, imports it into a fresh chain, exports again and requires the two exports
// to be identical and the epoch queue to be rebuilt entry for entry. It returns the first export.
func roundTrip(t *testing.T, c *integration.App) *types.GenesisState {
	t.Helper()
	exported, err := c.EmissionsKeeper.ExportGenesis(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	if err := exported.Validate(); err != nil {
		t.Fatalf("exported genesis does not validate: %v", err)
	}
	fresh := integration.New(t, names)
	ctx := fresh.WriteCtx()
	if err := fresh.EmissionsKeeper.InitGenesis(ctx, exported); err != nil {
		t.Fatal(err)
	}
	again, err := fresh.EmissionsKeeper.ExportGenesis(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, b := c.AppCodec().MustMarshalJSON(exported), c.AppCodec().MustMarshalJSON(again)
	if string(a) != string(b) {
		t.Fatalf("genesis changed across export/import:\nfirst:  %s\nsecond: %s", a, b)
	}
	want, got := queueKeys(t, c.Ctx(), c.EmissionsKeeper), queueKeys(t, ctx, fresh.EmissionsKeeper)
	if len(want) != len(got) {
		t.Fatalf("epoch queue %v, rebuilt %v", want, got)
	}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("epoch queue %v, rebuilt %v", want, got)
		}
	}
	return exported
}

// TestGenesisRoundTrip exports x/emissions twice: early (subnets scheduled but not started, the emission waiting in
// undistributed) and later (started subnets with pools, an epoch waiting for room in the queue). Each export
// validates, imports into a fresh chain and exports identically, with the epoch queue rebuilt from the schedules.
func TestGenesisRoundTrip(t *testing.T) {
	c := emisChain(t, func(gs *types.GenesisState) { gs.Params.HalvingInterval, gs.Params.OwnerCutBps = 1000, 1234 })
	netuids := createSubnetsInOneBlock(t, c, "alice", "bob", "carol")
	c.NextBlocks(2)

	early := roundTrip(t, c)
	if len(early.Schedules) != 3 || early.Schedules[0].Started || !early.Undistributed.IsPositive() || len(early.Pools) != 0 ||
		early.SeenNetuid != 3 || !early.TotalMinted.IsPositive() || early.Params.OwnerCutBps != 1234 {
		t.Fatalf("early export: %+v", early)
	}

	untilStarted(t, c, netuids...)
	due := schedule(t, c, netuids[0]).NextEpochHeight
	for uint64(c.Height())+1 < due {
		c.NextBlock()
	}
	setParams(t, c, c.WriteCtx(), func(p *types.Params) { p.MaxEpochsPerBlock = 1 })
	c.NextBlock() // subnet 1 runs, 2 and 3 wait at the height they fell due
	late := roundTrip(t, c)
	if len(late.Pools) != 3 || !late.Undistributed.IsZero() || late.Params.MaxEpochsPerBlock != 1 {
		t.Fatalf("late export: %+v", late)
	}
	for i, s := range late.Schedules {
		if !s.Started || !late.Pools[i].Amount.IsPositive() {
			t.Fatalf("late export: schedule %+v pool %+v", s, late.Pools[i])
		}
	}
	if late.Schedules[1].NextEpochHeight != due || late.Schedules[0].NextEpochHeight != due+10 {
		t.Fatalf("late export schedules %+v: subnet 2 should wait at %d, subnet 1 be next at %d", late.Schedules, due, due+10)
	}
}

// TestInitGenesisRejectsInvalidState: the checks of GenesisState.Validate guard InitGenesis.
func TestInitGenesisRejectsInvalidState(t *testing.T) {
	c := emisChain(t, nil)
	bad := map[string]func(gs *types.GenesisState){
		"schedule above seen_netuid": func(gs *types.GenesisState) {
			gs.Schedules = []types.SubnetSchedule{{Netuid: 2, Stake: math.ZeroInt()}}
			gs.SeenNetuid = 1
		},
		"duplicate schedule": func(gs *types.GenesisState) {
			gs.SeenNetuid = 1
			gs.Schedules = []types.SubnetSchedule{{Netuid: 1, Stake: math.ZeroInt()}, {Netuid: 1, Stake: math.ZeroInt()}}
		},
		"negative pool":          func(gs *types.GenesisState) { gs.Pools = []types.PendingPool{{Netuid: 1, Amount: math.NewInt(-1)}} },
		"negative undistributed": func(gs *types.GenesisState) { gs.Undistributed = math.NewInt(-5) },
		"invalid params":         func(gs *types.GenesisState) { gs.Params.MaxEpochsPerBlock = 0 },
	}
	for _, name := range []string{"schedule above seen_netuid", "duplicate schedule", "negative pool", "negative undistributed", "invalid params"} {
		gs := types.DefaultGenesis()
		bad[name](gs)
		if err := c.EmissionsKeeper.InitGenesis(c.WriteCtx(), gs); err == nil {
			t.Errorf("%s: InitGenesis accepted it", name)
		}
	}
}

// TestUpdateParamsRejections: MsgUpdateParams from anyone but the gov authority is refused with ErrUnauthorized
// (through a real tx), and invalid params from the gov authority with ErrInvalidParams; neither changes anything.
// Valid params from the authority apply and emit EventParamsUpdated.
func TestUpdateParamsRejections(t *testing.T) {
	c := emisChain(t, nil)
	orig, _ := c.EmissionsKeeper.Params.Get(c.Ctx())
	p := types.DefaultParams()
	p.SecurityShareBps = 2000
	r := c.Deliver([]sdk.Msg{&types.MsgUpdateParams{Authority: c.Account("alice").Addr.String(), Params: p}}, c.Account("alice"))
	c.RequireError(r, sdkerrors.ErrUnauthorized)

	ms := keeper.NewMsgServerImpl(c.EmissionsKeeper)
	invalid := map[string]func(p *types.Params){
		"security share above 100 %": func(p *types.Params) { p.SecurityShareBps = 10_001 },
		"owner cut above 100 %":      func(p *types.Params) { p.OwnerCutBps = 20_000 },
		"no epochs per block":        func(p *types.Params) { p.MaxEpochsPerBlock = 0 },
		"negative emission":          func(p *types.Params) { p.BlockEmission = math.NewInt(-1) },
		"unknown split policy":       func(p *types.Params) { p.SubnetSplitPolicy = 7 },
	}
	for _, name := range []string{"security share above 100 %", "owner cut above 100 %", "no epochs per block", "negative emission", "unknown split policy"} {
		p := types.DefaultParams()
		invalid[name](&p)
		_, err := ms.UpdateParams(c.WriteCtx(), &types.MsgUpdateParams{Authority: app.GovAuthority(), Params: p})
		if !errors.Is(err, types.ErrInvalidParams) {
			t.Errorf("%s: UpdateParams = %v, want ErrInvalidParams", name, err)
		}
	}
	c.NextBlock()
	if got, _ := c.EmissionsKeeper.Params.Get(c.Ctx()); got.String() != orig.String() {
		t.Fatalf("params changed by refused updates: %v", got)
	}

	ctx := c.WriteCtx()
	if _, err := ms.UpdateParams(ctx, &types.MsgUpdateParams{Authority: app.GovAuthority(), Params: p}); err != nil {
		t.Fatal(err)
	}
	integration.RequireEvent(t, ctx.EventManager().ABCIEvents(), "tokenmind.emissions.v1.EventParamsUpdated", "params")
	c.NextBlock()
	if got, _ := c.EmissionsKeeper.Params.Get(c.Ctx()); got.SecurityShareBps != 2000 {
		t.Fatalf("security_share_bps %d after a valid update", got.SecurityShareBps)
	}
}

// TestParamsChangeByGovernance passes a real gov proposal that raises security_share_bps to 25 %: the params change
// and the next block sends exactly a quarter of the emission to the fee collector. A proposal with invalid params
// fails at execution with the params' error and changes nothing.
func TestParamsChangeByGovernance(t *testing.T) {
	c := integration.New(t, names, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		var gov govv1.GenesisState
		a.AppCodec().MustUnmarshalJSON(g["gov"], &gov)
		short := 5 * time.Second
		gov.Params.VotingPeriod = &short
		gov.Params.MaxDepositPeriod = &short
		integration.SetGenesisModule(g, a, "gov", &gov)
	}))
	govParams, err := c.GovKeeper.Params.Get(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	propose := func(p types.Params, title string) (uint64, bool) {
		t.Helper()
		prop, err := govv1.NewMsgSubmitProposal([]sdk.Msg{&types.MsgUpdateParams{Authority: app.GovAuthority(), Params: p}},
			govParams.MinDeposit, c.Account("alice").Addr.String(), "", title, title, false)
		if err != nil {
			t.Fatal(err)
		}
		r := c.Deliver([]sdk.Msg{prop}, c.Account("alice"))
		if r.Code != 0 {
			return 0, false
		}
		var resp govv1.MsgSubmitProposalResponse
		c.MsgResponse(r.Data, &resp)
		// The first account holds the genesis delegation, so its vote carries the stake.
		c.MustDeliver([]sdk.Msg{govv1.NewMsgVote(c.Account("alice").Addr, resp.ProposalId, govv1.OptionYes, "")}, c.Account("alice"))
		c.NextBlocks(8)
		return resp.ProposalId, true
	}

	bad := types.DefaultParams()
	bad.SecurityShareBps = 12_000
	id, submitted := propose(bad, "invalid security share")
	if !submitted {
		t.Fatal("the proposal was refused at submission")
	}
	// Submission does not run the Msg; execution does, and fails with the params' error.
	if prop, _ := c.GovKeeper.Proposals.Get(c.Ctx(), id); prop.Status != govv1.StatusFailed || !strings.Contains(prop.FailedReason, "must be <= 10000") {
		t.Fatalf("a proposal with invalid x/emissions params ended %s (%q), want failed with the reason", prop.Status, prop.FailedReason)
	}
	if got, _ := c.EmissionsKeeper.Params.Get(c.Ctx()); got.SecurityShareBps != types.DefaultSecurityShareBps {
		t.Fatalf("security_share_bps %d after an invalid proposal", got.SecurityShareBps)
	}

	p := types.DefaultParams()
	p.SecurityShareBps = 2500
	id, submitted = propose(p, "security share 25%")
	if !submitted {
		t.Fatal("the proposal was refused")
	}
	got, err := c.EmissionsKeeper.Params.Get(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	if got.SecurityShareBps != 2500 {
		prop, _ := c.GovKeeper.Proposals.Get(c.Ctx(), id)
		t.Fatalf("security_share_bps = %d after the proposal (status %s, reason %q)", got.SecurityShareBps, prop.Status, prop.FailedReason)
	}
	c.NextBlock()
	if fc := moduleBalance(c, "fee_collector"); !fc.Equal(math.NewInt(250_000)) {
		t.Fatalf("fee collector holds %s after a block with a 25%% security share of 1 MIND", fc)
	}
}
