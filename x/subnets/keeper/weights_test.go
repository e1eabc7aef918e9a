package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// weightsChain starts a chain whose new subnets have 8 UIDs, weights_rate_limit 3, min_allowed_weights 2,
// max_weight_limit 40000 and weights_version_key 5.
func weightsChain(t *testing.T, opts ...integration.Option) *integration.App {
	t.Helper()
	return integration.New(t, accounts, append([]integration.Option{integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := types.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.MaxAllowedUids = 8
		hp.MaxAllowedValidators = 8
		hp.WeightsRateLimit = 3
		hp.MinAllowedWeights = 2
		hp.MaxWeightLimit = 40000
		hp.WeightsVersionKey = 5
		integration.SetGenesisModule(g, a, types.ModuleName, gs)
	})}, opts...)...)
}

func setWeights(c *integration.App, netuid uint32, hotkey string, uids, values []uint32, vk uint64) *registration {
	r := c.Deliver([]sdk.Msg{&types.MsgSetWeights{Hotkey: c.Account(hotkey).Addr.String(), Netuid: netuid, Uids: uids, Values: values, VersionKey: vk}}, c.Account(hotkey))
	return &registration{code: r.Code, codespace: r.Codespace, log: r.Log, data: r.Data, res: r}
}

func grantPermit(t *testing.T, c *integration.App, netuid, uid uint32) {
	t.Helper()
	if err := c.SubnetsKeeper.SetEpochOutput(c.WriteCtx(), netuid, uid, types.EpochOutput{Emission: math.ZeroInt(), ValidatorPermit: true}); err != nil {
		t.Fatal(err)
	}
}

// TestSetWeightsRejections walks every rejection of MsgSetWeights through the real Msg server, then a success.
func TestSetWeightsRejections(t *testing.T) {
	c := weightsChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t)   // uid 0, validator
	register(c, netuid, "bob", "h2", math.ZeroInt()).ok(t)   // uid 1
	register(c, netuid, "carol", "h3", math.ZeroInt()).ok(t) // uid 2
	register(c, netuid, "alice", "h4", math.ZeroInt()).ok(t) // uid 3, the owner's hotkey
	u := func(v ...uint32) []uint32 { return v }
	// h4 registered in the last block; the rate limit counts from registration.
	setWeights(c, netuid, "h4", u(1, 2), u(1, 1), 5).is(t, types.ErrRateLimited)

	setWeights(c, netuid, "h1", u(1, 2), u(1), 5).is(t, types.ErrWeightsLengthMismatch)
	setWeights(c, 99, "h1", u(1, 2), u(1, 1), 5).is(t, types.ErrSubnetNotFound)
	setWeights(c, netuid, "h1", u(1, 2), u(1, 70000), 5).is(t, types.ErrMaxWeightExceeded)
	setWeights(c, netuid, "h1", u(0, 1, 2, 3, 4), u(1, 1, 1, 1, 1), 5).is(t, types.ErrTooManyWeights)
	setWeights(c, netuid, "h5", u(1, 2), u(1, 1), 5).is(t, types.ErrNotRegistered)
	setWeights(c, netuid, "h1", u(1, 2), u(1, 1), 4).is(t, types.ErrWeightsVersionTooLow)
	setWeights(c, netuid, "h1", u(1, 2), u(1, 1), 5).is(t, types.ErrNoValidatorPermit)
	// A lone self-weight needs no permit.
	setWeights(c, netuid, "h2", u(1), u(9), 5).ok(t)
	setWeights(c, netuid, "h2", u(1), u(9), 5).is(t, types.ErrRateLimited)
	// The subnet owner's hotkeys need no permit.
	c.NextBlocks(3)
	setWeights(c, netuid, "h4", u(0, 1), u(1, 1), 5).ok(t)

	grantPermit(t, c, netuid, 0)
	setWeights(c, netuid, "h1", u(1, 1), u(1, 1), 5).is(t, types.ErrDuplicateUids)
	setWeights(c, netuid, "h1", u(1, 7), u(1, 1), 5).is(t, types.ErrInvalidUid)
	setWeights(c, netuid, "h1", u(2), u(1), 5).is(t, types.ErrTooFewWeights)
	setWeights(c, netuid, "h1", u(2, 1), u(65535, 100), 5).is(t, types.ErrMaxWeightExceeded)

	before := c.Height()
	ok := setWeights(c, netuid, "h1", u(3, 2, 1), u(300, 600, 200), 5)
	ok.ok(t)
	requireEvent(t, ok.res.Events, "tokenmind.subnets.v1.EventWeightsSet", "count")
	row, err := c.SubnetsKeeper.Weights.Get(c.Ctx(), collectionsJoin(netuid, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := []types.WeightEntry{{Uid: 1, Value: 21845}, {Uid: 2, Value: 65535}, {Uid: 3, Value: 32768}}
	if len(row.Entries) != 3 || row.Entries[0] != want[0] || row.Entries[1] != want[1] || row.Entries[2] != want[2] {
		t.Fatalf("stored row %v, want %v (sorted by uid, max-upscaled)", row.Entries, want)
	}
	n, _ := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, 0)
	if n.LastUpdate != uint64(before+1) {
		t.Fatalf("last_update %d, want %d", n.LastUpdate, before+1)
	}
	res := setWeights(c, netuid, "h1", u(1, 2), u(1, 1), 5)
	res.is(t, types.ErrRateLimited)
	if !contains(res.log, "next allowed at height") {
		t.Fatalf("rate-limit message is not actionable: %s", res.log)
	}

	// Genesis export carries the weight rows and imports them back.
	gs, err := c.SubnetsKeeper.ExportGenesis(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	if len(gs.Weights) != 3 || gs.Weights[0].Uid != 0 || len(gs.Weights[0].Entries) != 3 {
		t.Fatalf("exported weights %+v", gs.Weights)
	}
	if err := gs.Validate(); err != nil {
		t.Fatal(err)
	}

	// Under commit-reveal, direct sets are refused.
	hp := mustSubnet(t, c, netuid).Hyperparameters
	hp.CommitRevealEnabled = true
	c.MustDeliver([]sdk.Msg{&types.MsgSetHyperparameters{Owner: c.Account("alice").Addr.String(), Netuid: netuid, Hyperparameters: hp}}, c.Account("alice"))
	c.NextBlocks(3)
	setWeights(c, netuid, "h1", u(1, 2), u(1, 1), 5).is(t, types.ErrCommitRevealEnabled)
}

// TestSetWeightsIsFreeForRegisteredHotkeys: weights txs skip fees when they would succeed, and are refused in
// CheckTx when they would not.
func TestSetWeightsIsFreeForRegisteredHotkeys(t *testing.T) {
	c := weightsChain(t, integration.WithBaseAppOptions(baseapp.SetMinGasPrices("0.01umind")))
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t)
	c.NextBlocks(3)
	msg := func(vk uint64) []sdk.Msg {
		return []sdk.Msg{&types.MsgSetWeights{Hotkey: c.Account("h1").Addr.String(), Netuid: netuid, Uids: []uint32{0}, Values: []uint32{1}, VersionKey: vk}}
	}
	if res := c.CheckTx(c.SignTx(msg(5), c.Account("h1"))); res.Code != 0 {
		t.Fatalf("free self-weight refused: %s", res.Log)
	}
	if res := c.CheckTx(c.SignTx(msg(1), c.Account("h1"))); res.Code != types.ErrWeightsVersionTooLow.ABCICode() {
		t.Fatalf("free weights that would fail admitted or wrong error: %d %s", res.Code, res.Log)
	}
}
