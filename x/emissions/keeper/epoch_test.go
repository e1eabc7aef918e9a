package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/emissions/keeper"
	"github.com/tokenmind/tokenmind/x/emissions/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
	"github.com/tokenmind/tokenmind/yuma"
)

var names = []string{"alice", "bob", "carol", "dave", "erin", "frank", "v1", "v2", "v3", "m1", "m2", "m3", "m4", "m5"}

// newChain: new subnets have tempo 10, weights_rate_limit 1 and room for 16 UIDs.
func newChain(t *testing.T) *integration.App {
	t.Helper()
	return newChainWith(t, names)
}

// newChainWith is newChain with the given accounts.
func newChainWith(t *testing.T, accounts []string) *integration.App {
	t.Helper()
	return integration.New(t, accounts, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.Tempo, hp.WeightsRateLimit, hp.MaxAllowedUids, hp.MaxAllowedValidators = 10, 1, 16, 8
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
	}))
}

func createSubnet(t *testing.T, c *integration.App, owner string) uint32 {
	t.Helper()
	r := c.MustDeliver([]sdk.Msg{&subnetstypes.MsgCreateSubnet{
		Owner: c.Account(owner).Addr.String(), MaxCost: math.ZeroInt(),
		Identity: subnetstypes.SubnetIdentity{Name: "ner", TaskKind: "ner"},
	}}, c.Account(owner))
	var resp subnetstypes.MsgCreateSubnetResponse
	c.MsgResponse(r.Data, &resp)
	return resp.Netuid
}

func register(c *integration.App, netuid uint32, coldkey, hotkey string) {
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{
		Coldkey: c.Account(coldkey).Addr.String(),
		Hotkey:  c.Account(hotkey).Addr.String(), Netuid: netuid, MaxBurn: math.ZeroInt(),
	}}, c.Account(coldkey), c.Account(hotkey))
}

func addStake(c *integration.App, coldkey, hotkey string, amount int64) {
	c.MustDeliver([]sdk.Msg{&staketypes.MsgAddStake{
		Coldkey: c.Account(coldkey).Addr.String(),
		Hotkey:  c.Account(hotkey).Addr.String(), Amount: math.NewInt(amount),
	}}, c.Account(coldkey))
}

func setWeights(c *integration.App, netuid uint32, hotkey string, uids, values []uint32) {
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgSetWeights{
		Hotkey: c.Account(hotkey).Addr.String(), Netuid: netuid,
		Uids: uids, Values: values,
	}}, c.Account(hotkey))
}

func schedule(t *testing.T, c *integration.App, netuid uint32) types.SubnetSchedule {
	t.Helper()
	s, err := c.EmissionsKeeper.Schedules.Get(c.Ctx(), netuid)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// toEpoch commits blocks up to the one before netuid's next epoch.
func toEpoch(t *testing.T, c *integration.App, netuid uint32) {
	t.Helper()
	next := schedule(t, c, netuid).NextEpochHeight
	for uint64(c.Height())+1 < next {
		c.NextBlock()
	}
}

// expectedEpoch computes, from the committed state before the epoch block, the Yuma input the epoch will use
// (in a throwaway cache: the stake snapshot is not kept) and yuma.RunEpoch's output on it.
func expectedEpoch(t *testing.T, c *integration.App, netuid uint32, poolAdd math.Int) (*keeper.EpochState, *yuma.EpochOutput) {
	t.Helper()
	ctx, _ := c.Ctx().CacheContext()
	ctx = ctx.WithBlockHeight(c.Height() + 1)
	params, err := c.EmissionsKeeper.Params.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pool, _ := c.EmissionsKeeper.Pool(ctx, netuid)
	if err := c.EmissionsKeeper.PendingPool.Set(ctx, netuid, pool.Add(poolAdd)); err != nil {
		t.Fatal(err)
	}
	st, err := c.EmissionsKeeper.BuildEpochInput(ctx, params, schedule(t, c, netuid), uint64(c.Height()+1))
	if err != nil {
		t.Fatal(err)
	}
	out, err := yuma.RunEpoch(st.Input)
	if err != nil {
		t.Fatal(err)
	}
	return st, out
}

func requireInvariants(t *testing.T, c *integration.App) {
	t.Helper()
	if err := c.EmissionsKeeper.CheckInvariants(c.Ctx()); err != nil {
		t.Fatal(err)
	}
	if err := c.StakeKeeper.CheckInvariants(c.Ctx()); err != nil {
		t.Fatal(err)
	}
}

// TestEpochOutputsAndPayoutsFollowYuma: 3 validators of different stake and 5 miners; over several tempos the
// outputs stored on chain equal yuma.RunEpoch on the same inputs, and the payouts follow them to the last umind.
func TestEpochOutputsAndPayoutsFollowYuma(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	for _, v := range [][2]string{{"bob", "v1"}, {"carol", "v2"}, {"dave", "v3"}} {
		register(c, netuid, v[0], v[1])
	}
	for _, m := range []string{"m1", "m2", "m3", "m4", "m5"} {
		register(c, netuid, "erin", m)
	}
	addStake(c, "bob", "v1", 300_000_000)
	addStake(c, "carol", "v2", 200_000_000)
	addStake(c, "dave", "v3", 100_000_000)
	addStake(c, "frank", "v1", 50_000_000) // a delegator of v1

	// Bootstrap: the first epoch snapshots stake, the second grants permits from it. bobPrev and frankPrev are
	// their positions on v1 as the previous epoch recorded them (before that epoch's payouts).
	var bobPrev, frankPrev math.Int
	v1Position := func(name string) math.Int {
		return c.StakeKeeper.GetStake(c.Ctx(), c.Account(name).Addr, c.Account("v1").Addr)
	}
	for i := 0; i < 2; i++ {
		toEpoch(t, c, netuid)
		bobPrev, frankPrev = v1Position("bob"), v1Position("frank")
		c.NextBlock()
	}
	for uid := uint32(0); uid < 3; uid++ {
		o, _ := c.SubnetsKeeper.GetEpochOutput(c.Ctx(), netuid, uid)
		if !o.ValidatorPermit {
			t.Fatalf("validator uid %d has no permit after two epochs", uid)
		}
	}
	miners := []uint32{3, 4, 5, 6, 7}
	setWeights(c, netuid, "v1", miners, []uint32{100, 200, 300, 400, 500})
	setWeights(c, netuid, "v2", miners, []uint32{100, 200, 300, 400, 600})
	setWeights(c, netuid, "v3", miners, []uint32{500, 400, 300, 200, 100})

	params, _ := c.EmissionsKeeper.Params.Get(c.Ctx())
	perBlock := params.BlockEmission.Sub(params.BlockEmission.MulRaw(int64(params.SecurityShareBps)).QuoRaw(10_000))
	hotkeys := []string{"v1", "v2", "v3", "m1", "m2", "m3", "m4", "m5"}
	coldkeys := []string{"bob", "carol", "dave", "erin", "erin", "erin", "erin", "erin"}
	for epoch := 0; epoch < 4; epoch++ {
		toEpoch(t, c, netuid)
		st, want := expectedEpoch(t, c, netuid, perBlock)
		var stakeBefore []math.Int
		for _, h := range hotkeys {
			stakeBefore = append(stakeBefore, c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account(h).Addr))
		}
		bobBefore, frankBefore := v1Position("bob"), v1Position("frank")
		ownerBefore, supplyBefore := c.Balance(c.Account("alice").Addr), c.Supply()
		c.NextBlock()
		h := uint64(c.Height())

		// Outputs and bonds stored on chain equal yuma.RunEpoch's.
		totalServer, totalValidator := uint64(0), uint64(0)
		for i := range hotkeys {
			o, _ := c.SubnetsKeeper.GetEpochOutput(c.Ctx(), netuid, uint32(i))
			if o.EpochHeight != h || o.Consensus != uint32(want.ConsensusU16[i]) || o.Incentive != uint32(want.IncentiveU16[i]) ||
				o.Dividends != uint32(want.DividendsU16[i]) || o.ValidatorTrust != uint32(want.ValidatorTrustU16[i]) ||
				!o.Emission.Equal(math.NewIntFromUint64(want.Emission[i])) || o.ValidatorPermit != want.NewValidatorPermits[i] {
				t.Fatalf("epoch %d uid %d: stored %+v, yuma says C=%d I=%d D=%d VT=%d E=%d permit=%v", epoch, i, o,
					want.ConsensusU16[i], want.IncentiveU16[i], want.DividendsU16[i], want.ValidatorTrustU16[i], want.Emission[i], want.NewValidatorPermits[i])
			}
			rows, _ := c.SubnetsKeeper.BondRows(c.Ctx(), netuid, len(hotkeys))
			if len(rows[i]) != len(want.Bonds[i]) {
				t.Fatalf("epoch %d uid %d: bonds %v, want %v", epoch, i, rows[i], want.Bonds[i])
			}
			for j, b := range want.Bonds[i] {
				if rows[i][j].Uid != uint32(b.UID) || rows[i][j].Value != uint32(b.Value) {
					t.Fatalf("epoch %d uid %d: bonds %v, want %v", epoch, i, rows[i], want.Bonds[i])
				}
			}
			// Each hotkey's stake grew by exactly its server + validator emission.
			grew := c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account(hotkeys[i]).Addr).Sub(stakeBefore[i])
			if !grew.Equal(math.NewIntFromUint64(want.ServerEmission[i] + want.ValidatorEmission[i])) {
				t.Fatalf("epoch %d %s (%s): stake grew %s, want %d+%d", epoch, hotkeys[i], coldkeys[i], grew, want.ServerEmission[i], want.ValidatorEmission[i])
			}
			totalServer += want.ServerEmission[i]
			totalValidator += want.ValidatorEmission[i]
		}
		if epoch > 0 && (totalServer == 0 || want.ServerEmission[0] != 0 || want.ValidatorEmission[7] != 0) {
			t.Fatalf("epoch %d: miners should earn incentive and validators dividends: server %v validator %v", epoch, want.ServerEmission, want.ValidatorEmission)
		}
		// The owner got its cut, liquid; the pool kept exactly the dust.
		if got := c.Balance(c.Account("alice").Addr).Sub(ownerBefore); !got.Equal(st.OwnerCut) {
			t.Fatalf("owner cut %s, want %s", got, st.OwnerCut)
		}
		carried, _ := c.EmissionsKeeper.Pool(c.Ctx(), netuid)
		paid := st.OwnerCut.Add(math.NewIntFromUint64(totalServer + totalValidator))
		if !paid.Add(carried).Equal(st.Pool) {
			t.Fatalf("paid %s + carried %s != pool %s", paid, carried, st.Pool)
		}
		if carried.GT(math.NewInt(int64(len(hotkeys)) * 2)) {
			t.Fatalf("carried %s umind of dust, more than rounding can leave", carried)
		}
		// frank's share of v1's dividends after v1's take, in proportion to the stake that counts: each position
		// as the previous epoch recorded it (positions only grew since, so min(then, now) is "then"). Largest
		// remainder, so within one umind of exact. v1's stake in the epoch is the sum of the counted positions.
		v := math.NewIntFromUint64(want.ValidatorEmission[0])
		rest := v.Sub(v.MulRaw(int64(c.StakeKeeper.GetTake(c.Ctx(), c.Account("v1").Addr))).QuoRaw(10_000))
		got := v1Position("frank").Sub(frankBefore)
		v1Counted := bobPrev.Add(frankPrev)
		if st.Input.Stake[0] != v1Counted.Uint64() {
			t.Fatalf("epoch %d: v1 counted stake %d, want bob %s + frank %s", epoch, st.Input.Stake[0], bobPrev, frankPrev)
		}
		exact := rest.Mul(frankPrev)
		if diff := got.Mul(v1Counted).Sub(exact).Abs(); diff.GT(v1Counted) {
			t.Fatalf("frank got %s of %s (counted stake %s of %s)", got, rest, frankPrev, v1Counted)
		}
		bobPrev, frankPrev = bobBefore, frankBefore
		// Supply grew by exactly this block's emission (no burns in an empty block).
		if d := c.Supply().Sub(supplyBefore); !d.Equal(params.EmissionAt(h)) {
			t.Fatalf("supply grew %s, minted %s", d, params.EmissionAt(h))
		}
		requireInvariants(t, c)
	}
}
