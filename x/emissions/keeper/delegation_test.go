package keeper_test

import (
	"bytes"
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/emissions/keeper"
	"github.com/tokenmind/tokenmind/x/emissions/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	"github.com/tokenmind/tokenmind/yuma"
)

// Delegation tests: the split of a validator's dividends among its delegators follows the stake that counts at the
// epoch (x/stake: the least each position held since the subnet's previous epoch), on the in-process app.

var delegationNames = []string{"alice", "bob", "carol", "erin", "frank", "grace", "heidi", "v1", "v2", "m1", "m2", "m3"}

// beforeEpoch commits blocks until k blocks are left before netuid's next epoch block (k = 0 is toEpoch).
func beforeEpoch(t *testing.T, c *integration.App, netuid uint32, k int64) {
	t.Helper()
	next := int64(schedule(t, c, netuid).NextEpochHeight)
	for c.Height()+1+k < next {
		c.NextBlock()
	}
	if c.Height()+1+k != next {
		t.Fatalf("height %d: cannot stop %d blocks before the epoch at %d", c.Height(), k, next)
	}
}

func moveStake(c *integration.App, coldkey, from, to string, amount math.Int) {
	c.MustDeliver([]sdk.Msg{&staketypes.MsgMoveStake{
		Coldkey:    c.Account(coldkey).Addr.String(),
		FromHotkey: c.Account(from).Addr.String(), ToHotkey: c.Account(to).Addr.String(), Amount: amount,
	}}, c.Account(coldkey))
}

func removeStake(c *integration.App, coldkey, hotkey string, amount int64) {
	c.MustDeliver([]sdk.Msg{&staketypes.MsgRemoveStake{
		Coldkey: c.Account(coldkey).Addr.String(),
		Hotkey:  c.Account(hotkey).Addr.String(), Amount: math.NewInt(amount),
	}}, c.Account(coldkey))
}

func position(c *integration.App, coldkey, hotkey string) math.Int {
	return c.StakeKeeper.GetStake(c.Ctx(), c.Account(coldkey).Addr, c.Account(hotkey).Addr)
}

// dividendChain: validators v1 (bob, delegated by frank) and v2 (carol, delegated by grace), miners m1..m3 (erin).
// After the two bootstrap epochs the validators set weights, and two more epochs run, so the next epoch pays
// dividends.
func dividendChain(t *testing.T) (*integration.App, uint32) {
	t.Helper()
	c := newChainWith(t, delegationNames)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "bob", "v1")
	register(c, netuid, "carol", "v2")
	for _, m := range []string{"m1", "m2", "m3"} {
		register(c, netuid, "erin", m)
	}
	addStake(c, "bob", "v1", 300_000_000)
	addStake(c, "frank", "v1", 50_000_000)
	addStake(c, "carol", "v2", 200_000_000)
	addStake(c, "grace", "v2", 40_000_000)
	for i := 0; i < 2; i++ {
		toEpoch(t, c, netuid)
		c.NextBlock()
	}
	miners := []uint32{2, 3, 4}
	setWeights(c, netuid, "v1", miners, []uint32{100, 200, 300})
	setWeights(c, netuid, "v2", miners, []uint32{100, 300, 200})
	for i := 0; i < 2; i++ {
		toEpoch(t, c, netuid)
		c.NextBlock()
	}
	requireInvariants(t, c)
	return c, netuid
}

// delegatorShare is a validator's dividends after its take.
func delegatorShare(c *integration.App, hotkey string, v uint64) (take, rest math.Int) {
	e := math.NewIntFromUint64(v)
	take = e.MulRaw(int64(c.StakeKeeper.GetTake(c.Ctx(), c.Account(hotkey).Addr))).QuoRaw(10_000)
	return take, e.Sub(take)
}

// split computes the expected split of rest among coldkeys by weights, independently of the chain's bookkeeping:
// largest remainder over the coldkeys in address order.
func split(c *integration.App, rest math.Int, coldkeys []string, weights []math.Int) []math.Int {
	order := make([]int, len(coldkeys))
	for i := range order {
		order[i] = i
	}
	for i := 1; i < len(order); i++ { // insertion sort by address
		for j := i; j > 0 && bytes.Compare(c.Account(coldkeys[order[j]]).Addr, c.Account(coldkeys[order[j-1]]).Addr) < 0; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	w := make([]math.Int, len(order))
	for i, o := range order {
		w[i] = weights[o]
	}
	parts := keeper.SplitLargestRemainder(rest, w)
	out := make([]math.Int, len(coldkeys))
	for i, o := range order {
		out[o] = parts[i]
	}
	return out
}

type jitResult struct {
	validatorEmission          uint64
	bob, frank, heidi, carried math.Int
}

// runJIT plays dividendChain's next epoch; with jit, heidi stakes a lot to v1 in the block just before it, and
// moves it away right after.
func runJIT(t *testing.T, jit bool) jitResult {
	t.Helper()
	c, netuid := dividendChain(t)
	beforeEpoch(t, c, netuid, 1)
	if jit {
		addStake(c, "heidi", "v1", 1_000_000_000) // more than bob and frank together
	} else {
		c.NextBlock()
	}
	bob, frank, heidi := position(c, "bob", "v1"), position(c, "frank", "v1"), position(c, "heidi", "v1")
	st, want := expectedEpoch(t, c, netuid, perBlockToSubnets(t, c))
	for _, p := range st.Counted[0].Positions {
		if p.Coldkey.Equals(c.Account("heidi").Addr) {
			t.Fatalf("heidi's position opened just before the epoch counts %s", p.Amount)
		}
	}
	supply := c.Supply()
	c.NextBlock()
	res := jitResult{
		validatorEmission: want.ValidatorEmission[0],
		bob:               position(c, "bob", "v1").Sub(bob),
		frank:             position(c, "frank", "v1").Sub(frank),
		heidi:             position(c, "heidi", "v1").Sub(heidi),
	}
	res.carried, _ = c.EmissionsKeeper.Pool(c.Ctx(), netuid)
	if d := c.Supply().Sub(supply); !d.Equal(mintedAt(t, c)) {
		t.Fatalf("supply grew %s, minted %s", d, mintedAt(t, c))
	}
	requireInvariants(t, c)
	if jit {
		moveStake(c, "heidi", "v1", "v2", heidi) // and gone, with exactly what she brought
		if !position(c, "heidi", "v2").Equal(math.NewInt(1_000_000_000)) {
			t.Fatalf("heidi moved %s", position(c, "heidi", "v2"))
		}
		requireInvariants(t, c)
	}
	return res
}

func perBlockToSubnets(t *testing.T, c *integration.App) math.Int {
	t.Helper()
	params, err := c.EmissionsKeeper.Params.Get(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	e := params.EmissionAt(uint64(c.Height() + 1))
	return e.Sub(e.MulRaw(int64(params.SecurityShareBps)).QuoRaw(10_000))
}

func mintedAt(t *testing.T, c *integration.App) math.Int {
	t.Helper()
	params, err := c.EmissionsKeeper.Params.Get(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	return params.EmissionAt(uint64(c.Height()))
}

// TestJustInTimeDelegatorEarnsNothing: a coldkey that delegates to v1 in the block before v1's epoch gets none of
// that epoch's dividends, and the delegators who were there (bob, frank) get exactly what they get on the same chain
// without it.
func TestJustInTimeDelegatorEarnsNothing(t *testing.T) {
	without := runJIT(t, false)
	with := runJIT(t, true)
	if with.validatorEmission == 0 {
		t.Fatal("v1 earned no dividends at the epoch: the test would prove nothing")
	}
	if !with.heidi.IsZero() {
		t.Fatalf("the just-in-time delegator got %s", with.heidi)
	}
	if with.validatorEmission != without.validatorEmission || !with.bob.Equal(without.bob) || !with.frank.Equal(without.frank) ||
		!with.carried.Equal(without.carried) {
		t.Fatalf("with a just-in-time delegator: v1 %d, bob +%s, frank +%s, carried %s; without: v1 %d, bob +%s, frank +%s, carried %s",
			with.validatorEmission, with.bob, with.frank, with.carried, without.validatorEmission, without.bob, without.frank, without.carried)
	}
	if !with.frank.IsPositive() {
		t.Fatal("frank, delegated all along, got nothing")
	}
}

// TestDelegatorPaidByLeastHeldSinceLastEpoch: frank adds stake before one epoch (the addition does not count at
// it) and removes some before the next (only what is left counts): each time his share and bob's are the exact
// split of v1's delegator share by min(position at the previous epoch, position now).
func TestDelegatorPaidByLeastHeldSinceLastEpoch(t *testing.T) {
	c, netuid := dividendChain(t)
	toEpoch(t, c, netuid)
	prev := []math.Int{position(c, "bob", "v1"), position(c, "frank", "v1")}
	c.NextBlock()

	changes := []func(){
		func() { addStake(c, "frank", "v1", 20_000_000) },
		func() { removeStake(c, "frank", "v1", 30_000_000) },
	}
	for round, change := range changes {
		change()
		toEpoch(t, c, netuid)
		now := []math.Int{position(c, "bob", "v1"), position(c, "frank", "v1")}
		want := []math.Int{math.MinInt(prev[0], now[0]), math.MinInt(prev[1], now[1])}
		if round == 0 && !want[1].Equal(prev[1]) || round == 1 && !want[1].Equal(now[1]) {
			t.Fatalf("round %d: the scenario does not exercise the rule: prev %v now %v", round, prev, now)
		}
		st, out := expectedEpoch(t, c, netuid, perBlockToSubnets(t, c))
		if got := st.Input.Stake[0]; got != want[0].Add(want[1]).Uint64() {
			t.Fatalf("round %d: v1's stake in the epoch %d, want %s + %s", round, got, want[0], want[1])
		}
		c.NextBlock()
		if out.ValidatorEmission[0] == 0 {
			t.Fatalf("round %d: v1 earned nothing", round)
		}
		take, rest := delegatorShare(c, "v1", out.ValidatorEmission[0])
		parts := split(c, rest, []string{"bob", "frank"}, want)
		gotBob, gotFrank := position(c, "bob", "v1").Sub(now[0]), position(c, "frank", "v1").Sub(now[1])
		if !gotBob.Equal(take.Add(parts[0])) || !gotFrank.Equal(parts[1]) {
			t.Fatalf("round %d: bob +%s frank +%s, want take %s + %s and %s (counted %v)", round, gotBob, gotFrank, take, parts[0], parts[1], want)
		}
		requireInvariants(t, c)
		prev = now
	}
}

// TestMovingStakeJustBeforeEpochEarnsNothingOnDestination: grace, delegated to v2 for epochs, moves everything to
// v1 in the block before the epoch: she gets nothing from v1 (new position) nor v2 (closed), v1's stake in the epoch
// does not include hers, and bob and frank share all of v1's delegator share. Held through the next epoch, it earns.
func TestMovingStakeJustBeforeEpochEarnsNothingOnDestination(t *testing.T) {
	c, netuid := dividendChain(t)
	beforeEpoch(t, c, netuid, 1)
	moved := position(c, "grace", "v2")
	moveStake(c, "grace", "v2", "v1", moved)
	bob, frank := position(c, "bob", "v1"), position(c, "frank", "v1")
	st, out := expectedEpoch(t, c, netuid, perBlockToSubnets(t, c))
	for _, p := range st.Counted[0].Positions {
		if p.Coldkey.Equals(c.Account("grace").Addr) {
			t.Fatalf("grace's moved stake counts %s on v1", p.Amount)
		}
	}
	if st.Input.Stake[0] >= bob.Add(frank).Add(moved).Uint64() {
		t.Fatalf("v1's stake in the epoch %d includes the moved stake", st.Input.Stake[0])
	}
	c.NextBlock()
	if out.ValidatorEmission[0] == 0 || out.ValidatorEmission[1] == 0 {
		t.Fatalf("validators earned %v: the test would prove nothing", out.ValidatorEmission)
	}
	if got := position(c, "grace", "v1"); !got.Equal(moved) {
		t.Fatalf("grace has %s on v1, moved %s", got, moved)
	}
	if got := position(c, "grace", "v2"); !got.IsZero() {
		t.Fatalf("grace has %s on v2 after moving everything", got)
	}
	take, rest := delegatorShare(c, "v1", out.ValidatorEmission[0])
	gotBob, gotFrank := position(c, "bob", "v1").Sub(bob), position(c, "frank", "v1").Sub(frank)
	if !gotBob.Add(gotFrank).Equal(take.Add(rest)) {
		t.Fatalf("bob +%s frank +%s, v1 paid take %s + delegators %s", gotBob, gotFrank, take, rest)
	}
	requireInvariants(t, c)

	toEpoch(t, c, netuid)
	graceBefore := position(c, "grace", "v1")
	c.NextBlock()
	if !position(c, "grace", "v1").GT(graceBefore) {
		t.Fatal("grace's stake held through an epoch on v1 earned nothing at the next")
	}
	requireInvariants(t, c)
}

// TestPlanPayoutsWithoutCountedStake: a validator with dividends but no position that counts (everyone arrived
// since the previous epoch) pays its owner the take; the delegators' share is not paid and stays in the pool.
func TestPlanPayoutsWithoutCountedStake(t *testing.T) {
	c, netuid := dividendChain(t)
	ctx, _ := c.Ctx().CacheContext()
	subnet, err := c.SubnetsKeeper.GetSubnet(ctx, netuid)
	if err != nil {
		t.Fatal(err)
	}
	neurons, err := c.SubnetsKeeper.NeuronsOf(ctx, netuid)
	if err != nil {
		t.Fatal(err)
	}
	st := &keeper.EpochState{
		Subnet: subnet, Neurons: neurons[:2], OwnerCut: math.ZeroInt(),
		Hotkeys:  []sdk.AccAddress{c.Account("v1").Addr, c.Account("v2").Addr},
		Coldkeys: []sdk.AccAddress{c.Account("bob").Addr, c.Account("carol").Addr},
		Counted: []staketypes.CountedStake{
			{Total: math.ZeroInt()},
			{Total: math.NewInt(7), Positions: []staketypes.CountedPosition{
				{Coldkey: c.Account("carol").Addr, Amount: math.NewInt(3)}, {Coldkey: c.Account("grace").Addr, Amount: math.NewInt(4)},
			}},
		},
	}
	out := &yuma.EpochOutput{ServerEmission: []uint64{0, 0}, ValidatorEmission: []uint64{1_000_001, 1_000_001}}
	pays, err := c.EmissionsKeeper.PlanPayouts(ctx, st, out)
	if err != nil {
		t.Fatal(err)
	}
	take, rest := delegatorShare(c, "v1", 1_000_001)
	paid := [2]math.Int{math.ZeroInt(), math.ZeroInt()}
	for _, p := range pays {
		paid[p.UID] = paid[p.UID].Add(p.Amount)
		if p.UID == 0 && p.Kind != types.PAYOUT_KIND_TAKE {
			t.Fatalf("v1 without counted stake paid %+v", p)
		}
	}
	if !paid[0].Equal(take) {
		t.Fatalf("v1 paid %s, want only the take %s (the %s of delegators stays in the pool)", paid[0], take, rest)
	}
	if !paid[1].Equal(math.NewInt(1_000_001)) {
		t.Fatalf("v2 paid %s of 1000001", paid[1])
	}
}
