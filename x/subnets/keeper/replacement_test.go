package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	"github.com/tokenmind/tokenmind/x/subnets/keeper"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// replacementChain starts a chain whose new subnets have 3 UIDs (all may validate), immunity 5 blocks, weights
// every block with at least one weight, and a reveal one epoch after a commit.
func replacementChain(t *testing.T) *integration.App {
	t.Helper()
	return integration.New(t, accounts, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := types.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.MaxAllowedUids = 3
		hp.MaxAllowedValidators = 3
		hp.ImmunityPeriod = 5
		hp.WeightsRateLimit = 1
		hp.MinAllowedWeights = 1
		hp.ServingRateLimit = 1
		integration.SetGenesisModule(g, a, types.ModuleName, gs)
	}))
}

// registeredEvent decodes the EventNeuronRegistered of a tx's events.
func registeredEvent(t *testing.T, events []abci.Event) *types.EventNeuronRegistered {
	t.Helper()
	for _, e := range events {
		if e.Type != "tokenmind.subnets.v1.EventNeuronRegistered" {
			continue
		}
		msg, err := sdk.ParseTypedEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		return msg.(*types.EventNeuronRegistered)
	}
	t.Fatal("no EventNeuronRegistered")
	return nil
}

func hasEventType(events []abci.Event, typ string) bool {
	for _, e := range events {
		if e.Type == typ {
			return true
		}
	}
	return false
}

func setEmissions(t *testing.T, c *integration.App, netuid uint32, emissions map[uint32]int64) {
	t.Helper()
	ctx := c.WriteCtx() // one write context: a second WriteCtx would discard the first one's writes
	for uid := uint32(0); uid < 16; uid++ {
		e, ok := emissions[uid]
		if !ok {
			continue
		}
		if err := c.SubnetsKeeper.SetEpochOutput(ctx, netuid, uid, types.EpochOutput{Emission: math.NewInt(e)}); err != nil {
			t.Fatal(err)
		}
	}
	c.NextBlock()
}

func registerResponse(t *testing.T, c *integration.App, r *registration) types.MsgRegisterNeuronResponse {
	t.Helper()
	r.ok(t)
	var resp types.MsgRegisterNeuronResponse
	unpackResponse(t, c, r.data, &resp)
	return resp
}

// TestOwnerHotkeyIsNeverPruned: on a full subnet where the owner's hotkey earns least, is the oldest, has the lowest
// UID and is past its immunity, a registration replaces someone else; and neither the owner nor governance can
// switch that protection off.
func TestOwnerHotkeyIsNeverPruned(t *testing.T) {
	c := replacementChain(t)
	netuid := createSubnet(t, c, "alice")
	ownerHot := registerResponse(t, c, register(c, netuid, "alice", "h1", math.ZeroInt())) // uid 0, the owner's
	register(c, netuid, "bob", "h2", math.ZeroInt()).ok(t)                                 // uid 1
	register(c, netuid, "carol", "h3", math.ZeroInt()).ok(t)                               // uid 2
	if ownerHot.Uid != 0 {
		t.Fatalf("owner's hotkey got uid %d, want 0", ownerHot.Uid)
	}
	// Every rule but owner protection picks uid 0: emission 0 (lowest), oldest registration, lowest UID.
	setEmissions(t, c, netuid, map[uint32]int64{0: 0, 1: 100, 2: 50})
	c.NextBlocks(6)
	imm := queryImmunity(t, c, netuid)
	for _, u := range imm.Uids {
		if u.ImmunityRemaining != 0 {
			t.Fatalf("uid %d still immune by age (%d blocks); the test needs every immunity over", u.Uid, u.ImmunityRemaining)
		}
	}
	if !imm.Uids[0].OwnerProtected || imm.Uids[1].OwnerProtected || imm.Uids[2].OwnerProtected {
		t.Fatalf("owner protection %v, want only uid 0", imm.Uids)
	}
	if !imm.Full || !imm.HasNextReplaced || imm.NextReplacedUid != 2 {
		t.Fatalf("immunity query = %+v, want uid 2 next (uid 0 is the owner's)", imm)
	}

	r := register(c, netuid, "carol", "h4", math.ZeroInt())
	resp := registerResponse(t, c, r)
	if resp.Uid != 2 || resp.ReplacedHotkey != c.Account("h3").Addr.String() {
		t.Fatalf("replaced uid %d (%s), want uid 2 (h3)", resp.Uid, resp.ReplacedHotkey)
	}
	n, err := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, 0)
	if err != nil || n.Hotkey != c.Account("h1").Addr.String() {
		t.Fatalf("uid 0 = %+v, %v; the owner's hotkey must still hold it", n, err)
	}
	if _, err := c.SubnetsKeeper.GetUid(c.Ctx(), netuid, c.Account("h1").Addr); err != nil {
		t.Fatalf("owner's hotkey deregistered: %v", err)
	}

	// The owner cannot make their own hotkey prunable: 0 is refused statelessly, with the reason.
	hp := mustSubnet(t, c, netuid).Hyperparameters
	hp.ImmuneOwnerUidsLimit = 0
	res := c.Deliver([]sdk.Msg{&types.MsgSetHyperparameters{Owner: c.Account("alice").Addr.String(), Netuid: netuid, Hyperparameters: hp}}, c.Account("alice"))
	c.RequireError(res, types.ErrInvalidHyperparameters)
	if !strings.Contains(res.Log, "immune_owner_uids_limit must be >= 1") {
		t.Fatalf("refusal does not say what to change: %s", res.Log)
	}
	if got := mustSubnet(t, c, netuid).Hyperparameters.ImmuneOwnerUidsLimit; got != 1 {
		t.Fatalf("immune_owner_uids_limit = %d after a refused change", got)
	}

	// Governance cannot lower the bound to 0 either.
	p := types.DefaultParams()
	p.MinHyperparameters.ImmuneOwnerUidsLimit = 0
	_, err = keeper.NewMsgServerImpl(c.SubnetsKeeper).UpdateParams(c.WriteCtx(), &types.MsgUpdateParams{Authority: app.GovAuthority(), Params: p})
	if !types.ErrInvalidParams.Is(err) || !strings.Contains(err.Error(), "immune_owner_uids_limit") {
		t.Fatalf("gov lowering the owner-protection bound to 0: err %v, want ErrInvalidParams naming the field", err)
	}
	c.NextBlock()
	if got, _ := c.SubnetsKeeper.GetParams(c.Ctx()); got.MinHyperparameters.ImmuneOwnerUidsLimit < 1 {
		t.Fatalf("min immune_owner_uids_limit = %d after a refused update", got.MinHyperparameters.ImmuneOwnerUidsLimit)
	}
}

// TestReplacementResetsEveryPerUidState: the UID being replaced has an epoch output, a weights row, a bonds row,
// incoming weights and bonds, a pending commit, serving info and an x/stake epoch-stake snapshot; after the
// replacement none of it remains for the newcomer, other UIDs' state is untouched, and the event says who was
// replaced and why.
func TestReplacementResetsEveryPerUidState(t *testing.T) {
	c := replacementChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t)   // uid 0
	register(c, netuid, "bob", "h2", math.ZeroInt()).ok(t)   // uid 1: the one to be replaced
	register(c, netuid, "carol", "h3", math.ZeroInt()).ok(t) // uid 2
	h1, h2, h3 := c.Account("h1").Addr, c.Account("h2").Addr, c.Account("h3").Addr
	key := func(uid uint32) collections.Pair[uint32, uint32] { return collections.Join(netuid, uid) }
	hkey := func(h sdk.AccAddress) collections.Pair[uint32, sdk.AccAddress] { return collections.Join(netuid, h) }
	stake := math.NewInt(10_000_000)
	for _, h := range []string{"h1", "h2"} {
		c.MustDeliver([]sdk.Msg{&staketypes.MsgAddStake{Coldkey: c.Account("bob").Addr.String(), Hotkey: c.Account(h).Addr.String(), Amount: stake}}, c.Account("bob"))
	}
	serve(c, netuid, "h2", "/ip4/10.0.0.2/tcp/4001").ok(t)

	// What epochs would have written: outputs with permits, bonds, and x/stake's epoch-stake snapshots.
	ctx := c.WriteCtx()
	for uid, out := range []types.EpochOutput{
		{Emission: math.NewInt(300), ValidatorPermit: true, Dividends: 30000, ValidatorTrust: 60000, EpochHeight: 1},
		{Emission: math.NewInt(7), ValidatorPermit: true, Incentive: 11, Dividends: 13, Consensus: 17, ValidatorTrust: 19, EpochHeight: 1},
		{Emission: math.NewInt(200), ValidatorPermit: true, Incentive: 50000, EpochHeight: 1},
	} {
		if err := c.SubnetsKeeper.SetEpochOutput(ctx, netuid, uint32(uid), out); err != nil {
			t.Fatal(err)
		}
	}
	for uid, row := range [][]types.WeightEntry{
		{{Uid: 1, Value: 40000}, {Uid: 2, Value: 20000}},
		{{Uid: 0, Value: 65535}},
		{{Uid: 1, Value: 65535}}, // only a bond to the replaced UID: the whole row goes
	} {
		if err := c.SubnetsKeeper.SetBondRow(ctx, netuid, uint32(uid), row); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.StakeKeeper.SnapshotEpochStake(ctx, netuid, []sdk.AccAddress{h1, h2, h3}); err != nil {
		t.Fatal(err)
	}
	c.NextBlock()

	// Weights through the real Msg server: uid 1 sets its own row, uids 0 and 2 weight it.
	setWeights(c, netuid, "h1", []uint32{1, 2}, []uint32{100, 50}, 0).ok(t)
	setWeights(c, netuid, "h2", []uint32{0, 2}, []uint32{10, 10}, 0).ok(t)
	setWeights(c, netuid, "h3", []uint32{0, 1}, []uint32{5, 5}, 0).ok(t)
	// Then commit-reveal, and pending commits of uid 1 and uid 0.
	hp := mustSubnet(t, c, netuid).Hyperparameters
	hp.CommitRevealEnabled = true
	c.MustDeliver([]sdk.Msg{&types.MsgSetHyperparameters{Owner: c.Account("alice").Addr.String(), Netuid: netuid, Hyperparameters: hp}}, c.Account("alice"))
	for _, name := range []string{"h1", "h2"} {
		h := c.Account(name)
		hash := types.WeightsCommitHash(h.Addr, netuid, []uint32{2}, []uint32{1}, []byte("salt"), 0)
		c.MustDeliver([]sdk.Msg{&types.MsgCommitWeights{Hotkey: h.Addr.String(), Netuid: netuid, CommitHash: hash}}, h)
	}

	// Everything is in place before the replacement (otherwise the checks below would prove nothing).
	read := c.Ctx()
	sk := c.SubnetsKeeper
	for _, m := range []struct {
		what string
		rows collections.Map[collections.Pair[uint32, uint32], types.WeightRow]
	}{{"weights", sk.Weights}, {"bonds", sk.Bonds}} {
		for uid := uint32(0); uid < 3; uid++ {
			if has, err := m.rows.Has(read, key(uid)); err != nil || !has {
				t.Fatalf("setup: no %s row for uid %d (%v)", m.what, uid, err)
			}
		}
	}
	if out, _ := sk.GetEpochOutput(read, netuid, 1); out.EpochHeight == 0 {
		t.Fatal("setup: uid 1 has no epoch output")
	}
	if has, _ := sk.WeightCommits.Has(read, hkey(h2)); !has {
		t.Fatal("setup: uid 1 has no pending commit")
	}
	if has, _ := c.StakeKeeper.HasEpochStake(read, netuid, h2); !has {
		t.Fatal("setup: uid 1 has no epoch-stake snapshot")
	}
	if n, _ := sk.GetNeuron(read, netuid, 1); len(n.Serving.Multiaddrs) == 0 {
		t.Fatal("setup: uid 1 serves nothing")
	}

	c.NextBlocks(6) // every immunity is over
	if imm := queryImmunity(t, c, netuid); !imm.HasNextReplaced || imm.NextReplacedUid != 1 {
		t.Fatalf("immunity query = %+v, want uid 1 (lowest emission) next", imm)
	}
	r := register(c, netuid, "carol", "h4", math.ZeroInt())
	resp := registerResponse(t, c, r)
	at := uint64(c.Height())
	if resp.Uid != 1 || resp.ReplacedHotkey != h2.String() {
		t.Fatalf("replaced uid %d (%s), want uid 1 (h2)", resp.Uid, resp.ReplacedHotkey)
	}
	ev := registeredEvent(t, r.res.Events)
	if ev.Uid != 1 || ev.Hotkey != c.Account("h4").Addr.String() || ev.ReplacedHotkey != h2.String() {
		t.Fatalf("event %+v: want uid 1 given to h4, replacing h2", ev)
	}
	for _, want := range []string{"subnet full (3 uids)", "uid 1", "lowest emission", "7 umind"} {
		if !strings.Contains(ev.ReplaceReason, want) {
			t.Fatalf("replace_reason %q does not say %q", ev.ReplaceReason, want)
		}
	}
	if !hasEventType(r.res.Events, "tokenmind.stake.v1.EventEpochStakeCleared") {
		t.Fatal("x/stake was not told: no EventEpochStakeCleared in the registration tx")
	}

	read = c.Ctx()
	// The UID's own state is gone.
	if out, _ := sk.GetEpochOutput(read, netuid, 1); out.EpochHeight != 0 {
		t.Error("the replaced UID's epoch output survived")
	}
	if out, _ := sk.GetEpochOutput(read, netuid, 0); out.EpochHeight == 0 {
		t.Error("replacing uid 1 cleared the output of uid 0, which shares its chunk")
	}
	if out, _ := sk.GetEpochOutput(read, netuid, 1); !out.Emission.IsZero() || out.ValidatorPermit || out.Incentive != 0 || out.Dividends != 0 {
		t.Errorf("the newcomer reads epoch output %+v, want zero and no validator permit", out)
	}
	if has, _ := sk.Weights.Has(read, key(1)); has {
		t.Error("the replaced UID's weights row survived")
	}
	if has, _ := sk.Bonds.Has(read, key(1)); has {
		t.Error("the replaced UID's bonds row survived")
	}
	if has, _ := sk.WeightCommits.Has(read, hkey(h2)); has {
		t.Error("the replaced hotkey's pending commit survived")
	}
	if has, _ := c.StakeKeeper.HasEpochStake(read, netuid, h2); has {
		t.Error("the replaced hotkey's epoch-stake snapshot survived")
	}
	if _, err := sk.GetUid(read, netuid, h2); !types.ErrNotRegistered.Is(err) {
		t.Errorf("h2 still resolves to a UID: %v", err)
	}
	if nets, _ := sk.HotkeySubnets(read, h2); len(nets) != 0 {
		t.Errorf("h2 still lists subnets %v", nets)
	}
	n, err := sk.GetNeuron(read, netuid, 1)
	if err != nil || n.Hotkey != c.Account("h4").Addr.String() || n.Coldkey != c.Account("carol").Addr.String() ||
		n.RegisteredAt != at || n.LastUpdate != at || len(n.Serving.Multiaddrs) != 0 {
		t.Errorf("uid 1 = %+v, %v; want h4/carol registered at %d with no serving info", n, err, at)
	}

	// Other rows no longer give it weight or hold bonds to it; everything else in them is unchanged.
	w0, _ := sk.Weights.Get(read, key(0))
	w2, _ := sk.Weights.Get(read, key(2))
	for _, row := range [][]types.WeightEntry{w0.Entries, w2.Entries} {
		for _, e := range row {
			if e.Uid == 1 && e.Value != 0 {
				t.Errorf("a weight of %d to the replaced UID survived in %v", e.Value, row)
			}
		}
	}
	if len(w0.Entries) != 2 || w0.Entries[1] != (types.WeightEntry{Uid: 2, Value: 32768}) {
		t.Errorf("uid 0's weight to uid 2 changed: %v", w0.Entries)
	}
	if len(w2.Entries) != 2 || w2.Entries[0] != (types.WeightEntry{Uid: 0, Value: 65535}) {
		t.Errorf("uid 2's weight to uid 0 changed: %v", w2.Entries)
	}
	b0, _ := sk.Bonds.Get(read, key(0))
	if len(b0.Entries) != 1 || b0.Entries[0] != (types.WeightEntry{Uid: 2, Value: 20000}) {
		t.Errorf("uid 0's bonds = %v, want only its bond to uid 2", b0.Entries)
	}
	if has, _ := sk.Bonds.Has(read, key(2)); has {
		t.Error("uid 2's bonds row, which held only a bond to the replaced UID, survived")
	}
	// Other UIDs keep their own state.
	if out, _ := sk.GetEpochOutput(read, netuid, 0); !out.Emission.Equal(math.NewInt(300)) || !out.ValidatorPermit {
		t.Errorf("uid 0's epoch output changed: %+v", out)
	}
	if has, _ := sk.WeightCommits.Has(read, hkey(h1)); !has {
		t.Error("uid 0's pending commit was dropped")
	}
	if has, _ := c.StakeKeeper.HasEpochStake(read, netuid, h1); !has {
		t.Error("uid 0's epoch-stake snapshot was dropped")
	}
	// The old hotkey's stake is not lost: bob still owns it and can move it.
	if got := c.StakeKeeper.GetStake(read, c.Account("bob").Addr, h2); !got.Equal(stake) {
		t.Errorf("bob's stake on the replaced hotkey = %s, want %s", got, stake)
	}
	// No row anywhere points past the subnet or at a missing neuron: the exported genesis validates.
	gs, err := sk.ExportGenesis(read)
	if err != nil {
		t.Fatal(err)
	}
	if err := gs.Validate(); err != nil {
		t.Fatalf("genesis after the replacement: %v", err)
	}
}

// TestRegistrationCannotPayTheBurn: a coldkey that holds less than the price gets ErrInsufficientFunds saying how
// much is missing; nothing is charged or registered, and on a full subnet nobody is replaced.
func TestRegistrationCannotPayTheBurn(t *testing.T) {
	c := replacementChain(t)
	netuid := createSubnet(t, c, "alice")
	carol := c.Account("carol")
	// carol keeps 1000 umind; the price is at least min_burn (500000 umind).
	c.MustDeliver([]sdk.Msg{banktypes.NewMsgSend(carol.Addr, c.Account("alice").Addr,
		sdk.NewCoins(sdk.NewCoin(app.BondDenom, c.Balance(carol.Addr).SubRaw(1000))))}, carol)
	if got := c.Balance(carol.Addr); !got.Equal(math.NewInt(1000)) {
		t.Fatalf("carol holds %s, want 1000", got)
	}

	check := func(stage string) {
		t.Helper()
		before, supply, s := c.Balance(carol.Addr), supplyNetOfMint(c), mustSubnet(t, c, netuid)
		r := register(c, netuid, "carol", "h5", math.ZeroInt())
		r.is(t, types.ErrInsufficientFunds)
		for _, want := range []string{"costs", "holds 1000umind", "more and retry"} {
			if !strings.Contains(r.log, want) {
				t.Fatalf("%s: error %q does not say %q", stage, r.log, want)
			}
		}
		if !c.Balance(carol.Addr).Equal(before) || !supplyNetOfMint(c).Equal(supply) {
			t.Fatalf("%s: a refused registration moved money: balance %s -> %s", stage, before, c.Balance(carol.Addr))
		}
		after := mustSubnet(t, c, netuid)
		if after.N != s.N {
			t.Fatalf("%s: n %d -> %d", stage, s.N, after.N)
		}
		// The price did not take the 1.26 bump of a registration (it only decays).
		if after.Burn.GT(s.Burn) {
			t.Fatalf("%s: price rose from %s to %s on a refused registration", stage, s.Burn, after.Burn)
		}
		if _, err := c.SubnetsKeeper.GetUid(c.Ctx(), netuid, c.Account("h5").Addr); err == nil {
			t.Fatalf("%s: h5 registered without paying", stage)
		}
		if owner, _, _ := c.SubnetsKeeper.HotkeyOwner(c.Ctx(), c.Account("h5").Addr); owner != nil {
			t.Fatalf("%s: h5 became carol's without a registration", stage)
		}
	}
	check("room on the subnet")

	// Full subnet with a replaceable neuron: still refused, and the would-be victim keeps its UID and state.
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t)
	register(c, netuid, "bob", "h2", math.ZeroInt()).ok(t)
	register(c, netuid, "bob", "h3", math.ZeroInt()).ok(t)
	setEmissions(t, c, netuid, map[uint32]int64{0: 5, 1: 100, 2: 100})
	c.NextBlocks(6)
	if imm := queryImmunity(t, c, netuid); !imm.HasNextReplaced || imm.NextReplacedUid != 0 {
		t.Fatalf("immunity query = %+v, want uid 0 replaceable", imm)
	}
	check("full subnet")
	if n, err := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, 0); err != nil || n.Hotkey != c.Account("h1").Addr.String() {
		t.Fatalf("uid 0 = %+v, %v; an unpaid registration replaced it", n, err)
	}
	if out, _ := c.SubnetsKeeper.GetEpochOutput(c.Ctx(), netuid, 0); !out.Emission.Equal(math.NewInt(5)) {
		t.Fatalf("uid 0's epoch output was reset by an unpaid registration: %+v", out)
	}
}

// TestReplacementTieBreak walks the three rules through real registrations, each case built so that only the rule
// under test decides: two neurons registered in the same block with equal emission go by the lower UID; among equal
// emissions the older registration goes even at the higher UID; and the lowest emission goes even when it is the
// newest registration at the highest UID.
func TestReplacementTieBreak(t *testing.T) {
	c := replacementChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t) // uid 0, alone in its block
	// uids 1 and 2 in one block.
	sameBlock := func(cold, hot string) []byte {
		return c.SignTx([]sdk.Msg{&types.MsgRegisterNeuron{
			Coldkey: c.Account(cold).Addr.String(), Hotkey: c.Account(hot).Addr.String(),
			Netuid: netuid, MaxBurn: math.ZeroInt(),
		}}, c.Account(cold), c.Account(hot))
	}
	res := c.NextBlock(sameBlock("bob", "h2"), sameBlock("carol", "h3"))
	for i, r := range res.TxResults {
		if r.Code != 0 {
			t.Fatalf("same-block registration %d failed: %s", i, r.Log)
		}
	}
	registeredAt := func(uid uint32) uint64 {
		t.Helper()
		n, err := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, uid)
		if err != nil {
			t.Fatal(err)
		}
		return n.RegisteredAt
	}
	if registeredAt(1) != registeredAt(2) || registeredAt(0) >= registeredAt(1) {
		t.Fatalf("registered at %d, %d, %d; want uid 0 older and uids 1, 2 in one block", registeredAt(0), registeredAt(1), registeredAt(2))
	}

	replace := func(coldkey, hotkey string, wantUID uint32, wantOld string, wantReason, notReason []string) {
		t.Helper()
		if imm := queryImmunity(t, c, netuid); !imm.HasNextReplaced || imm.NextReplacedUid != wantUID {
			t.Fatalf("immunity query names uid %d (has %v), want %d", imm.NextReplacedUid, imm.HasNextReplaced, wantUID)
		}
		r := register(c, netuid, coldkey, hotkey, math.ZeroInt())
		resp := registerResponse(t, c, r)
		if resp.Uid != wantUID || resp.ReplacedHotkey != c.Account(wantOld).Addr.String() {
			t.Fatalf("%s got uid %d replacing %s; want uid %d replacing %s", hotkey, resp.Uid, resp.ReplacedHotkey, wantUID, wantOld)
		}
		reason := registeredEvent(t, r.res.Events).ReplaceReason
		for _, w := range wantReason {
			if !strings.Contains(reason, w) {
				t.Fatalf("replace_reason %q does not say %q", reason, w)
			}
		}
		for _, w := range notReason {
			if strings.Contains(reason, w) {
				t.Fatalf("replace_reason %q says %q, which did not decide", reason, w)
			}
		}
	}

	// Rule 3: uids 1 and 2 tie on emission and registration block; uid 0 earns more. The lower UID goes.
	setEmissions(t, c, netuid, map[uint32]int64{0: 10, 1: 0, 2: 0})
	c.NextBlocks(6)
	replace("carol", "h4", 1, "h2",
		[]string{"uid 1 had the lowest emission", "2 tied on emission", "2 registered in that block, the lowest uid goes first"}, nil)

	// Rule 2: uid 1 (h4, just registered) and uid 2 (h3, older) tie on emission; the older goes although its UID
	// is higher.
	c.NextBlocks(6)
	if registeredAt(2) >= registeredAt(1) {
		t.Fatalf("uid 2 registered at %d, uid 1 at %d; want uid 2 older", registeredAt(2), registeredAt(1))
	}
	replace("carol", "h5", 2, "h3",
		[]string{"uid 2 had the lowest emission", "2 tied on emission, the oldest registration"}, []string{"registered in that block"})

	// Rule 1: uid 2 (h5) is now the newest registration at the highest UID, but earns least.
	setEmissions(t, c, netuid, map[uint32]int64{0: 10, 1: 10, 2: 9})
	c.NextBlocks(6)
	if registeredAt(0) >= registeredAt(2) || registeredAt(1) >= registeredAt(2) {
		t.Fatalf("registered at %d, %d, %d; want uid 2 newest", registeredAt(0), registeredAt(1), registeredAt(2))
	}
	// h2 was replaced earlier; bob still owns it and registers it again.
	replace("bob", "h2", 2, "h5", []string{"uid 2 had the lowest emission at the last epoch, 9 umind, of 3 replaceable"}, []string{"tied"})
}
