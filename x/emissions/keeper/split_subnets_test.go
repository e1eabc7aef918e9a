package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/emissions/keeper"
	"github.com/tokenmind/tokenmind/x/emissions/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
)

// TestSplitLargestRemainder: the parts sum to the total, each is within one unit of the exact share, leftover units
// go to the largest remainders and, among equal remainders, to the lower index.
func TestSplitLargestRemainder(t *testing.T) {
	big, _ := math.NewIntFromString("1000000000000000000000000000000")
	third, _ := math.NewIntFromString("333333333333333333333333333333")
	cases := []struct {
		name    string
		total   math.Int
		weights []math.Int
		want    []math.Int
	}{
		{"largest remainder wins, not the first", math.NewInt(900_002), ints(3, 2, 6), ints(245_455, 163_637, 490_910)},
		{"equal remainders: lower index first", math.NewInt(900_002), ints(1, 1, 1), ints(300_001, 300_001, 300_000)},
		{"zero weight gets nothing", math.NewInt(7), ints(1, 0, 1), ints(4, 0, 3)},
		{"one unit, three takers", math.NewInt(1), ints(5, 5, 5), ints(1, 0, 0)},
		{"all weights zero", math.NewInt(10), ints(0, 0), ints(0, 0)},
		{"nothing to split", math.ZeroInt(), ints(1, 2), ints(0, 0)},
		{"beyond 64 bits", big, ints(1, 1, 1), []math.Int{third.AddRaw(1), third, third}},
	}
	for _, c := range cases {
		if got := keeper.SplitLargestRemainder(c.total, c.weights); !equalInts(got, c.want) {
			t.Errorf("%s: split %s by %v = %v, want %v", c.name, c.total, c.weights, got, c.want)
		}
	}
	// Many uneven splits: every unit assigned, each part within one of total·w/W.
	x := uint64(12345)
	for round := 0; round < 200; round++ {
		n := 1 + round%9
		ws := make([]math.Int, n)
		sum := math.ZeroInt()
		for i := range ws {
			x = x*6364136223846793005 + 1442695040888963407
			ws[i] = math.NewIntFromUint64(x >> 40)
			sum = sum.Add(ws[i])
		}
		total := math.NewIntFromUint64(x >> 20)
		parts := keeper.SplitLargestRemainder(total, ws)
		got := math.ZeroInt()
		for i, p := range parts {
			got = got.Add(p)
			// |p·W − total·w| < W
			if d := p.Mul(sum).Sub(total.Mul(ws[i])).Abs(); sum.IsPositive() && d.GTE(sum) {
				t.Fatalf("round %d: part %s of %s by %v is more than one unit off", round, p, total, ws)
			}
		}
		if sum.IsPositive() && !got.Equal(total) {
			t.Fatalf("round %d: parts sum to %s, total %s", round, got, total)
		}
	}
}

// TestSplitAcrossSubnets: block emission 1,000,002 with the default 10 % security share leaves 900,002 umind a
// block for the subnets. Until a subnet has started (its first epoch has come) nothing goes to subnets: the amount
// waits in undistributed and joins the first split after. Then, per block:
//   - STAKE splits in proportion to each started subnet's stake, measured at its last epoch as the stake of its
//     hotkeys that counted there (x/stake's per-position rule); with stakes 3:2:6:0 the parts are 245,455 / 163,637 / 490,910 / 0 (the leftover unit goes to the
//     largest remainder, the second subnet);
//   - EQUAL gives 225,001 / 225,001 / 225,000 / 225,000 (the two leftover units to the lower netuids);
//   - STAKE with every stake zero falls back to EQUAL;
//   - a subnet created meanwhile, not started, gets nothing under either policy.
//
// Every block, the parts add up to exactly 900,002.
func TestSplitAcrossSubnets(t *testing.T) {
	c := emisChain(t, func(gs *types.GenesisState) {
		gs.Params.BlockEmission, gs.Params.HalvingInterval = math.NewInt(1_000_002), 0
	})
	const rest = 900_002
	netuids := createSubnetsInOneBlock(t, c, "alice", "bob", "carol", "dave")

	// Not started: the subnets' share waits in undistributed.
	c.NextBlock() // x/emissions schedules them
	for i := 0; i < 3; i++ {
		before := undistributed(t, c)
		c.NextBlock()
		if got := undistributed(t, c).Sub(before); !got.Equal(math.NewInt(rest)) {
			t.Fatalf("undistributed grew %s in a block with no started subnet, want %d", got, rest)
		}
		if ps := pools(t, c, netuids); !equalInts(ps, ints(0, 0, 0, 0)) {
			t.Fatalf("subnets that have not started got %v", ps)
		}
	}
	untilStarted(t, c, netuids...)
	waiting, before := undistributed(t, c), pools(t, c, netuids)
	c.NextBlock()
	grew := sub(pools(t, c, netuids), before)
	if got := grew[0].Add(grew[1]).Add(grew[2]).Add(grew[3]); !got.Equal(waiting.AddRaw(rest)) || !undistributed(t, c).IsZero() {
		t.Fatalf("the first split after the start gave %v (sum %s), want undistributed %s + %d; undistributed now %s",
			grew, got, waiting, rest, undistributed(t, c))
	}

	// The STAKE weight is the stake of the subnet's hotkeys that counts at its epoch: none at the first epoch that
	// sees the hotkey and its stake, all of it at the next (it was held all along).
	register(c, netuids[0], "alice", "v1")
	addStake(c, "erin", "v1", 7_000_000)
	stakeBefore := c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account("v1").Addr)
	toEpoch(t, c, netuids[0])
	c.NextBlock()
	if got := schedule(t, c, netuids[0]).Stake; !got.IsZero() {
		t.Fatalf("subnet %d's split weight is %s right after its stake arrived, want 0", netuids[0], got)
	}
	toEpoch(t, c, netuids[0])
	c.NextBlock()
	if got := schedule(t, c, netuids[0]).Stake; !got.Equal(stakeBefore) {
		t.Fatalf("subnet %d's split weight is %s, its hotkeys' stake held since the previous epoch was %s", netuids[0], got, stakeBefore)
	}
	late := createSubnet(t, c, "frank") // scheduled next block, starts a tempo later
	c.NextBlock()
	all := append(append([]uint32{}, netuids...), late)
	if s := schedule(t, c, late); s.Started {
		t.Fatal("a subnet created two blocks ago has started")
	}
	step := func(name string, want []math.Int) {
		t.Helper()
		untilQuiet(t, c)
		before := pools(t, c, all)
		c.NextBlock()
		got := sub(pools(t, c, all), before)
		if !equalInts(got, want) {
			t.Fatalf("%s: the subnets' pools grew by %v, want %v", name, got, want)
		}
		if s := schedule(t, c, late); s.Started {
			t.Fatalf("%s: the late subnet started too early for this test", name)
		}
	}
	// Only subnet 1 has stake.
	step("STAKE, one staked subnet", ints(rest, 0, 0, 0, 0))

	setStakes := func(ctx sdk.Context, stakes ...int64) {
		t.Helper()
		for i, n := range netuids {
			s := schedule(t, c, n)
			s.Stake = math.NewInt(stakes[i])
			if err := c.EmissionsKeeper.Schedules.Set(ctx, n, s); err != nil {
				t.Fatal(err)
			}
		}
	}
	untilQuiet(t, c)
	setStakes(c.WriteCtx(), 3_000_000, 2_000_000, 6_000_000, 0)
	step("STAKE 3:2:6:0", ints(245_455, 163_637, 490_910, 0, 0))

	untilQuiet(t, c)
	setParams(t, c, c.WriteCtx(), func(p *types.Params) { p.SubnetSplitPolicy = types.SUBNET_SPLIT_POLICY_EQUAL })
	step("EQUAL", ints(225_001, 225_001, 225_000, 225_000, 0))

	untilQuiet(t, c)
	ctx := c.WriteCtx()
	setParams(t, c, ctx, func(p *types.Params) { p.SubnetSplitPolicy = types.SUBNET_SPLIT_POLICY_STAKE })
	setStakes(ctx, 0, 0, 0, 0)
	step("STAKE, all stakes zero", ints(225_001, 225_001, 225_000, 225_000, 0))

	// Once it has started, the late subnet takes part (EQUAL: five parts of 180,000 plus 2 leftover units).
	untilStarted(t, c, late)
	untilQuiet(t, c)
	setParams(t, c, c.WriteCtx(), func(p *types.Params) { p.SubnetSplitPolicy = types.SUBNET_SPLIT_POLICY_EQUAL })
	before = pools(t, c, all)
	c.NextBlock()
	if got := sub(pools(t, c, all), before); !equalInts(got, ints(180_001, 180_001, 180_000, 180_000, 180_000)) {
		t.Fatalf("EQUAL with the late subnet started: pools grew by %v", got)
	}
	requireInvariants(t, c)
}

// TestSplitIgnoresStakeParkedBeforeTheEpoch: two subnets alike in every way, each with a validator staked 5 MIND
// since before their previous epoch. In the block before their (common) epoch, stake is parked on subnet B's
// validator: a new 50 MIND position and 20 MIND more on the old one. At the epoch both subnets get the same split
// weight (the stake that counted, held since the previous epoch), so the parked stake tilts nothing: from the next
// block A and B take equal parts of the emission (to the unit the largest-remainder tie-break gives the lower
// netuid). Under the old rule (stake at the epoch) B would have had 75 MIND against A's 5.
func TestSplitIgnoresStakeParkedBeforeTheEpoch(t *testing.T) {
	c := emisChain(t, func(gs *types.GenesisState) {
		gs.Params.BlockEmission, gs.Params.HalvingInterval = math.NewInt(1_000_001), 0
	})
	netuids := createSubnetsInOneBlock(t, c, "alice", "bob")
	a, b := netuids[0], netuids[1]
	register(c, a, "alice", "v1")
	register(c, b, "bob", "v2")
	addStake(c, "dave", "v1", 5_000_000)
	addStake(c, "erin", "v2", 5_000_000)
	untilStarted(t, c, a, b)
	toEpoch(t, c, a)
	c.NextBlock() // the first epoch that sees the stake: it counts from the next
	if sa, sb := schedule(t, c, a), schedule(t, c, b); sa.NextEpochHeight != sb.NextEpochHeight {
		t.Fatalf("the subnets' epochs fall at %d and %d; the test needs them together", sa.NextEpochHeight, sb.NextEpochHeight)
	}

	// Park stake in the block before the epoch.
	next := schedule(t, c, b).NextEpochHeight
	for uint64(c.Height())+2 < next {
		c.NextBlock()
	}
	park := func(coldkey string, amount int64) []byte {
		return c.SignTx([]sdk.Msg{&staketypes.MsgAddStake{
			Coldkey: c.Account(coldkey).Addr.String(),
			Hotkey:  c.Account("v2").Addr.String(), Amount: math.NewInt(amount),
		}}, c.Account(coldkey))
	}
	res := c.NextBlock(park("frank", 50_000_000), park("erin", 20_000_000))
	for i, r := range res.TxResults {
		if r.Code != 0 {
			t.Fatalf("parking tx %d: %s/%d %s", i, r.Codespace, r.Code, r.Log)
		}
	}
	if uint64(c.Height())+1 != next {
		t.Fatalf("height %d: the epoch should be due at the next block, it is due at %d", c.Height(), next)
	}
	c.NextBlock() // the epoch of both subnets
	sa, sb := schedule(t, c, a), schedule(t, c, b)
	if sa.LastEpochBlock != next || sb.LastEpochBlock != next {
		t.Fatalf("epochs ran at %d and %d, want %d", sa.LastEpochBlock, sb.LastEpochBlock, next)
	}
	stakeA := c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account("v1").Addr)
	stakeB := c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account("v2").Addr)
	if !stakeB.Sub(stakeA).GT(math.NewInt(69_000_000)) { // 70 MIND parked, up to a few units of rounding apart
		t.Fatalf("stake now: A %s, B %s; the parked 70 MIND are missing", stakeA, stakeB)
	}
	if !sa.Stake.IsPositive() || !sa.Stake.Equal(sb.Stake) {
		t.Fatalf("split weights A %s, B %s: want equal and positive (the parked stake must not count)", sa.Stake, sb.Stake)
	}
	untilQuiet(t, c)
	before := pools(t, c, netuids)
	c.NextBlock()
	grew := sub(pools(t, c, netuids), before)
	if d := grew[0].Sub(grew[1]); d.IsNegative() || d.GT(math.OneInt()) {
		t.Fatalf("after the epoch A's pool grew %s and B's %s: want equal parts (A one unit more at most)", grew[0], grew[1])
	}
	requireInvariants(t, c)
}
