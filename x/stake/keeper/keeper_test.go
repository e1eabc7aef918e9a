package keeper_test

import (
	"errors"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/tokenmind/tokenmind/x/stake/testutil"
	"github.com/tokenmind/tokenmind/x/stake/types"
)

var (
	alice  = testutil.Addr("alice")
	bob    = testutil.Addr("bob")
	owner  = testutil.Addr("owner")
	hotA   = testutil.Addr("hotkey-a")
	hotB   = testutil.Addr("hotkey-b")
	hotOff = testutil.Addr("hotkey-unregistered")
)

// setup returns a fixture with hotA and hotB registered (owned by owner) and alice and bob funded.
func setup(t *testing.T) *testutil.Fixture {
	t.Helper()
	f := testutil.NewFixture(t)
	f.Subnets.Register(hotA, owner)
	f.Subnets.Register(hotB, owner)
	f.Fund(t, alice, 1_000_000)
	f.Fund(t, bob, 1_000_000)
	return f
}

func requireInvariants(t *testing.T, f *testutil.Fixture) {
	t.Helper()
	require.NoError(t, f.Keeper.CheckInvariants(f.Ctx))
}

func add(t *testing.T, f *testutil.Fixture, cold, hot sdk.AccAddress, amount int64) {
	t.Helper()
	_, err := f.MsgServer.AddStake(f.Ctx, &types.MsgAddStake{Coldkey: cold.String(), Hotkey: hot.String(), Amount: math.NewInt(amount)})
	require.NoError(t, err)
}

func remove(t *testing.T, f *testutil.Fixture, cold, hot sdk.AccAddress, amount int64) *types.MsgRemoveStakeResponse {
	t.Helper()
	res, err := f.MsgServer.RemoveStake(f.Ctx, &types.MsgRemoveStake{Coldkey: cold.String(), Hotkey: hot.String(), Amount: math.NewInt(amount)})
	require.NoError(t, err)
	return res
}

func hasEvent(f *testutil.Fixture, typ string) bool {
	for _, e := range f.Ctx.EventManager().Events() {
		if e.Type == typ {
			return true
		}
	}
	return false
}

func TestAddStake(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	add(t, f, bob, hotA, 5_000)
	add(t, f, alice, hotA, 1_000)
	add(t, f, alice, hotB, 2_000)

	require.Equal(t, math.NewInt(11_000), f.Keeper.GetStake(f.Ctx, alice, hotA))
	require.Equal(t, math.NewInt(5_000), f.Keeper.GetStake(f.Ctx, bob, hotA))
	require.Equal(t, math.NewInt(16_000), f.Keeper.GetTotalHotkeyStake(f.Ctx, hotA))
	require.Equal(t, math.NewInt(2_000), f.Keeper.GetTotalHotkeyStake(f.Ctx, hotB))
	require.Equal(t, math.NewInt(18_000), f.Keeper.GetTotalStake(f.Ctx))
	require.Equal(t, math.NewInt(1_000_000-13_000), f.Balance(alice))
	require.Equal(t, math.NewInt(18_000), f.Balance(f.AccountKeeper.GetModuleAddress(types.ModuleName)))
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventStakeAdded"))
	requireInvariants(t, f)
}

func TestAddStakeRejections(t *testing.T) {
	f := setup(t)
	poor := testutil.Addr("poor")
	f.Fund(t, poor, 1_500)
	cases := []struct {
		name string
		msg  types.MsgAddStake
		err  error
	}{
		{"bad coldkey", types.MsgAddStake{Coldkey: "nope", Hotkey: hotA.String(), Amount: math.NewInt(5_000)}, types.ErrInvalidAddress},
		{"empty hotkey", types.MsgAddStake{Coldkey: alice.String(), Amount: math.NewInt(5_000)}, types.ErrInvalidAddress},
		{"zero amount", types.MsgAddStake{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.ZeroInt()}, types.ErrInvalidAmount},
		{"negative amount", types.MsgAddStake{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(-5)}, types.ErrInvalidAmount},
		{"nil amount", types.MsgAddStake{Coldkey: alice.String(), Hotkey: hotA.String()}, types.ErrInvalidAmount},
		{"below min stake", types.MsgAddStake{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(999)}, types.ErrBelowMinStake},
		{"unregistered hotkey", types.MsgAddStake{Coldkey: alice.String(), Hotkey: hotOff.String(), Amount: math.NewInt(5_000)}, types.ErrHotkeyNotRegistered},
		{"insufficient funds", types.MsgAddStake{Coldkey: poor.String(), Hotkey: hotA.String(), Amount: math.NewInt(2_000)}, types.ErrInsufficientFunds},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.MsgServer.AddStake(f.Ctx, &tc.msg)
			require.Error(t, err)
			require.True(t, errors.Is(err, tc.err), "got %v, want %v", err, tc.err)
		})
	}
	require.True(t, f.Keeper.GetTotalStake(f.Ctx).IsZero())
	require.Equal(t, math.NewInt(1_500), f.Balance(poor))
	requireInvariants(t, f)
}

func TestSubnetsKeeperUnset(t *testing.T) {
	f := testutil.NewFixtureWithoutSubnets(t)
	f.Fund(t, alice, 10_000)
	_, err := f.MsgServer.AddStake(f.Ctx, &types.MsgAddStake{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(5_000)})
	require.ErrorIs(t, err, types.ErrSubnetsKeeperNotSet)
	_, err = f.MsgServer.SetTake(f.Ctx, &types.MsgSetTake{Coldkey: alice.String(), Hotkey: hotA.String(), TakeBps: 100})
	require.ErrorIs(t, err, types.ErrSubnetsKeeperNotSet)
}

func TestSubnetsKeeperErrorPropagates(t *testing.T) {
	f := setup(t)
	boom := errors.New("subnets store unreadable")
	f.Subnets.Err = boom
	_, err := f.MsgServer.AddStake(f.Ctx, &types.MsgAddStake{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(5_000)})
	require.ErrorIs(t, err, boom)
}

func TestRemoveStake(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	res := remove(t, f, alice, hotA, 4_000)
	require.Equal(t, uint64(1), res.UnbondingId)
	require.Equal(t, int64(1)+int64(types.DefaultUnbondingBlocks), res.CompletionHeight)
	require.Equal(t, math.NewInt(6_000), f.Keeper.GetStake(f.Ctx, alice, hotA))
	require.Equal(t, math.NewInt(6_000), f.Keeper.GetTotalHotkeyStake(f.Ctx, hotA))
	// Coins stay in the module account until maturity.
	require.Equal(t, math.NewInt(1_000_000-10_000), f.Balance(alice))
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventStakeRemoved"))
	requireInvariants(t, f)

	// Removing everything deletes the position and the coldkey index entry.
	res = remove(t, f, alice, hotA, 6_000)
	require.Equal(t, uint64(2), res.UnbondingId)
	has, err := f.Keeper.Stakes.Has(f.Ctx, joinHC(hotA, alice))
	require.NoError(t, err)
	require.False(t, has)
	has, err = f.Keeper.HotkeyStakes.Has(f.Ctx, hotA)
	require.NoError(t, err)
	require.False(t, has)
	requireInvariants(t, f)
}

func TestRemoveStakeRejections(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	cases := []struct {
		name string
		msg  types.MsgRemoveStake
		err  error
	}{
		{"more than staked", types.MsgRemoveStake{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(10_001)}, types.ErrInsufficientStake},
		{"no position", types.MsgRemoveStake{Coldkey: bob.String(), Hotkey: hotA.String(), Amount: math.NewInt(1)}, types.ErrInsufficientStake},
		{"zero", types.MsgRemoveStake{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.ZeroInt()}, types.ErrInvalidAmount},
		{"bad hotkey", types.MsgRemoveStake{Coldkey: alice.String(), Hotkey: "mind1xyz", Amount: math.NewInt(1)}, types.ErrInvalidAddress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.MsgServer.RemoveStake(f.Ctx, &tc.msg)
			require.ErrorIs(t, err, tc.err)
		})
	}
	require.Equal(t, math.NewInt(10_000), f.Keeper.GetStake(f.Ctx, alice, hotA))
	requireInvariants(t, f)
}

func setParams(t *testing.T, f *testutil.Fixture, mut func(*types.Params)) {
	t.Helper()
	p, err := f.Keeper.Params.Get(f.Ctx)
	require.NoError(t, err)
	mut(&p)
	_, err = f.MsgServer.UpdateParams(f.Ctx, &types.MsgUpdateParams{Authority: f.Authority, Params: p})
	require.NoError(t, err)
}

func TestUnbondingMaturesBoundedWithCarryOver(t *testing.T) {
	f := setup(t)
	setParams(t, f, func(p *types.Params) { p.UnbondingBlocks = 10; p.MaxUnbondingsPerBlock = 2 })
	add(t, f, alice, hotA, 100_000)
	for i := 0; i < 5; i++ {
		remove(t, f, alice, hotA, 1_000) // all complete at height 11
	}
	f.Ctx = f.Ctx.WithBlockHeight(3)
	remove(t, f, alice, hotA, 7_000) // completes at 13
	start := f.Balance(alice)

	run := func(height int64) int {
		f.Ctx = f.Ctx.WithBlockHeight(height)
		n, err := f.Keeper.ProcessMaturedUnbondings(f.Ctx)
		require.NoError(t, err)
		requireInvariants(t, f)
		return n
	}
	require.Equal(t, 0, run(10), "nothing matures before completion height")
	require.Equal(t, start, f.Balance(alice))
	require.Equal(t, 2, run(11))
	require.Equal(t, start.AddRaw(2_000), f.Balance(alice))
	require.Equal(t, 2, run(12), "carry-over of entries that matured at 11")
	// Height 13: one left from 11 plus the one maturing at 13, bounded by 2, oldest first.
	require.Equal(t, 2, run(13))
	require.Equal(t, start.AddRaw(5_000+7_000), f.Balance(alice))
	require.Equal(t, 0, run(14))
	total, err := f.QueryServer.TotalStake(f.Ctx, &types.QueryTotalStakeRequest{})
	require.NoError(t, err)
	require.True(t, total.TotalUnbonding.IsZero())
	require.Equal(t, math.NewInt(88_000), total.TotalStake)
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventUnbondingCompleted"))
}

func TestEndBlockerPaysMatured(t *testing.T) {
	f := setup(t)
	setParams(t, f, func(p *types.Params) { p.UnbondingBlocks = 0 })
	add(t, f, alice, hotA, 10_000)
	before := f.Balance(alice)
	remove(t, f, alice, hotA, 3_000)
	require.NoError(t, f.Keeper.EndBlock(f.Ctx))
	require.Equal(t, before.AddRaw(3_000), f.Balance(alice))
	requireInvariants(t, f)
}

func TestUnbondingFailureDoesNotHaltAndIsRetried(t *testing.T) {
	f := setup(t)
	setParams(t, f, func(p *types.Params) { p.UnbondingBlocks = 5 })
	// The blocked address cannot be paid by a module account: its unbonding will fail.
	f.FundStakeModule(t, math.NewInt(4_000))
	require.NoError(t, f.Keeper.AddStakeFromEmission(f.Ctx, f.Blocked, hotA, math.NewInt(4_000)))
	add(t, f, alice, hotA, 10_000)
	bad := remove(t, f, f.Blocked, hotA, 4_000)
	remove(t, f, alice, hotA, 1_000)
	requireInvariants(t, f)

	f.Ctx = f.Ctx.WithBlockHeight(6).WithEventManager(sdk.NewEventManager())
	before := f.Balance(alice)
	n, err := f.Keeper.ProcessMaturedUnbondings(f.Ctx)
	require.NoError(t, err, "one bad entry must not fail EndBlock")
	require.Equal(t, 1, n)
	require.Equal(t, before.AddRaw(1_000), f.Balance(alice))
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventUnbondingFailed"))
	requireInvariants(t, f)

	// The failed entry moved UnbondingRetryBlocks later; nothing was lost.
	entry, err := f.Keeper.UnbondingQueue.Get(f.Ctx, joinHI(6+types.UnbondingRetryBlocks, bad.UnbondingId))
	require.NoError(t, err)
	require.Equal(t, math.NewInt(4_000), entry.Amount)
	res, err := f.QueryServer.Unbondings(f.Ctx, &types.QueryUnbondingsRequest{Coldkey: f.Blocked.String()})
	require.NoError(t, err)
	require.Len(t, res.Unbondings, 1)
	require.Equal(t, 6+types.UnbondingRetryBlocks, res.Unbondings[0].CompletionHeight)
}

func TestMoveStake(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	_, err := f.MsgServer.MoveStake(f.Ctx, &types.MsgMoveStake{Coldkey: alice.String(), FromHotkey: hotA.String(), ToHotkey: hotB.String(), Amount: math.NewInt(4_000)})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(6_000), f.Keeper.GetStake(f.Ctx, alice, hotA))
	require.Equal(t, math.NewInt(4_000), f.Keeper.GetStake(f.Ctx, alice, hotB))
	require.Equal(t, math.NewInt(10_000), f.Keeper.GetTotalStake(f.Ctx))
	total, err := f.Keeper.TotalUnbonding.Get(f.Ctx)
	require.NoError(t, err)
	require.True(t, total.IsZero(), "move does not unbond")
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventStakeMoved"))
	requireInvariants(t, f)

	cases := []struct {
		name string
		msg  types.MsgMoveStake
		err  error
	}{
		{"same hotkey", types.MsgMoveStake{Coldkey: alice.String(), FromHotkey: hotA.String(), ToHotkey: hotA.String(), Amount: math.NewInt(1)}, types.ErrSameHotkey},
		{"unregistered destination", types.MsgMoveStake{Coldkey: alice.String(), FromHotkey: hotA.String(), ToHotkey: hotOff.String(), Amount: math.NewInt(1)}, types.ErrHotkeyNotRegistered},
		{"more than staked", types.MsgMoveStake{Coldkey: alice.String(), FromHotkey: hotA.String(), ToHotkey: hotB.String(), Amount: math.NewInt(6_001)}, types.ErrInsufficientStake},
		{"other coldkey's stake", types.MsgMoveStake{Coldkey: bob.String(), FromHotkey: hotA.String(), ToHotkey: hotB.String(), Amount: math.NewInt(1)}, types.ErrInsufficientStake},
		{"zero", types.MsgMoveStake{Coldkey: alice.String(), FromHotkey: hotA.String(), ToHotkey: hotB.String(), Amount: math.ZeroInt()}, types.ErrInvalidAmount},
		{"bad from", types.MsgMoveStake{Coldkey: alice.String(), FromHotkey: "x", ToHotkey: hotB.String(), Amount: math.NewInt(1)}, types.ErrInvalidAddress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.MsgServer.MoveStake(f.Ctx, &tc.msg)
			require.ErrorIs(t, err, tc.err)
		})
	}
	require.Equal(t, math.NewInt(6_000), f.Keeper.GetStake(f.Ctx, alice, hotA))
	requireInvariants(t, f)
}

func TestSetTake(t *testing.T) {
	f := setup(t)
	setParams(t, f, func(p *types.Params) { p.MinTakeBps = 500; p.MaxTakeBps = 2000; p.TakeRateLimit = 100 })
	require.Equal(t, types.DefaultTakeBps, f.Keeper.GetTake(f.Ctx, hotA), "default take applies until set")

	set := func(cold, hot sdk.AccAddress, bps uint32) error {
		_, err := f.MsgServer.SetTake(f.Ctx, &types.MsgSetTake{Coldkey: cold.String(), Hotkey: hot.String(), TakeBps: bps})
		return err
	}
	require.ErrorIs(t, set(alice, hotA, 1000), types.ErrNotHotkeyOwner)
	require.ErrorIs(t, set(owner, hotOff, 1000), types.ErrHotkeyNotRegistered)
	require.ErrorIs(t, set(owner, hotA, 499), types.ErrTakeOutOfBounds)
	require.ErrorIs(t, set(owner, hotA, 2001), types.ErrTakeOutOfBounds)
	require.ErrorIs(t, set(owner, hotA, 10_001), types.ErrTakeOutOfBounds)
	require.ErrorIs(t, set(owner, hotA, types.DefaultTakeBps), types.ErrTakeUnchanged)

	require.NoError(t, set(owner, hotA, 1000))
	require.Equal(t, uint32(1000), f.Keeper.GetTake(f.Ctx, hotA))
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventTakeSet"))

	f.Ctx = f.Ctx.WithBlockHeight(100)
	err := set(owner, hotA, 1200)
	require.ErrorIs(t, err, types.ErrTakeRateLimited)
	require.Contains(t, err.Error(), "allowed at height 101")
	f.Ctx = f.Ctx.WithBlockHeight(101)
	require.NoError(t, set(owner, hotA, 1200))
	require.Equal(t, uint32(1200), f.Keeper.GetTake(f.Ctx, hotA))

	res, err := f.QueryServer.Take(f.Ctx, &types.QueryTakeRequest{Hotkey: hotA.String()})
	require.NoError(t, err)
	require.Equal(t, uint32(1200), res.TakeBps)
	require.Equal(t, int64(101), res.LastSetHeight)
	// Another hotkey of the same owner is not rate limited by hotA.
	require.NoError(t, set(owner, hotB, 600))
}

func TestEpochStakeRule(t *testing.T) {
	f := setup(t)
	const net = uint32(3)
	add(t, f, alice, hotA, 10_000)

	// First epoch: no snapshot yet, nothing counts.
	counted, err := f.Keeper.SnapshotEpochStake(f.Ctx, net, []sdk.AccAddress{hotA, hotB})
	require.NoError(t, err)
	require.Equal(t, []math.Int{math.ZeroInt(), math.ZeroInt()}, totals(counted))

	// Stake added just before the next epoch does not count at that epoch.
	add(t, f, bob, hotA, 5_000)
	add(t, f, bob, hotB, 7_000)
	got, err := f.Keeper.EpochStake(f.Ctx, net, hotA)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(10_000), got)
	counted, err = f.Keeper.SnapshotEpochStake(f.Ctx, net, []sdk.AccAddress{hotA, hotB})
	require.NoError(t, err)
	require.Equal(t, []math.Int{math.NewInt(10_000), math.ZeroInt()}, totals(counted))

	// It counts at the epoch after (held since the previous epoch).
	// Stake removed before an epoch does not count for it: min(snapshot, current).
	remove(t, f, alice, hotA, 9_000) // hotA now 6_000, snapshot 15_000
	counted, err = f.Keeper.SnapshotEpochStake(f.Ctx, net, []sdk.AccAddress{hotA, hotB})
	require.NoError(t, err)
	require.Equal(t, []math.Int{math.NewInt(6_000), math.NewInt(7_000)}, totals(counted))

	// Snapshots are per subnet.
	other, err := f.Keeper.EpochStake(f.Ctx, net+1, hotA)
	require.NoError(t, err)
	require.True(t, other.IsZero())

	// Stake removed just after an epoch counted for it (it was held since the previous epoch); the next epoch sees
	// the lower amount.
	remove(t, f, bob, hotB, 7_000)
	counted, err = f.Keeper.SnapshotEpochStake(f.Ctx, net, []sdk.AccAddress{hotB})
	require.NoError(t, err)
	require.Equal(t, []math.Int{math.ZeroInt()}, totals(counted))
	has, err := f.Keeper.HasEpochStake(f.Ctx, net, hotB)
	require.NoError(t, err)
	require.False(t, has, "a zero snapshot is not stored")

	// A replaced UID starts from zero.
	require.NoError(t, f.Keeper.ClearEpochStake(f.Ctx, net, hotA))
	got, err = f.Keeper.EpochStake(f.Ctx, net, hotA)
	require.NoError(t, err)
	require.True(t, got.IsZero())
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventEpochStakeCleared"))

	_, err = f.Keeper.SnapshotEpochStake(f.Ctx, net, []sdk.AccAddress{nil})
	require.ErrorIs(t, err, types.ErrInvalidAddress)
}

func TestAddStakeFromEmission(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	f.FundStakeModule(t, math.NewInt(250))
	require.NoError(t, f.Keeper.AddStakeFromEmission(f.Ctx, alice, hotA, math.NewInt(250)))
	require.Equal(t, math.NewInt(10_250), f.Keeper.GetStake(f.Ctx, alice, hotA))
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventStakeFromEmission"))
	requireInvariants(t, f)
	require.ErrorIs(t, f.Keeper.AddStakeFromEmission(f.Ctx, alice, hotA, math.ZeroInt()), types.ErrInvalidAmount)
	require.ErrorIs(t, f.Keeper.AddStakeFromEmission(f.Ctx, nil, hotA, math.OneInt()), types.ErrInvalidAddress)
}

func TestIterateDelegatorsInKeyOrder(t *testing.T) {
	f := setup(t)
	carol := testutil.Addr("carol")
	f.Fund(t, carol, 10_000)
	add(t, f, carol, hotA, 3_000)
	add(t, f, alice, hotA, 1_000)
	add(t, f, bob, hotA, 2_000)
	var got []string
	require.NoError(t, f.Keeper.IterateDelegators(f.Ctx, hotA, func(c sdk.AccAddress, amt math.Int) bool {
		got = append(got, string(c[:5])+":"+amt.String())
		return false
	}))
	require.Equal(t, []string{"alice:1000", "bob\x00\x00:2000", "carol:3000"}, got)
	n := 0
	require.NoError(t, f.Keeper.IterateDelegators(f.Ctx, hotA, func(sdk.AccAddress, math.Int) bool { n++; return true }))
	require.Equal(t, 1, n, "iteration stops when fn returns true")
}

func TestUpdateParams(t *testing.T) {
	f := setup(t)
	p := types.DefaultParams()
	p.MinStake = math.NewInt(5)
	_, err := f.MsgServer.UpdateParams(f.Ctx, &types.MsgUpdateParams{Authority: alice.String(), Params: p})
	require.ErrorIs(t, err, sdkerrors.ErrUnauthorized)
	bad := p
	bad.MaxUnbondingsPerBlock = 0
	_, err = f.MsgServer.UpdateParams(f.Ctx, &types.MsgUpdateParams{Authority: f.Authority, Params: bad})
	require.ErrorIs(t, err, types.ErrInvalidParams)
	_, err = f.MsgServer.UpdateParams(f.Ctx, &types.MsgUpdateParams{Authority: f.Authority, Params: p})
	require.NoError(t, err)
	got, err := f.QueryServer.Params(f.Ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, p, got.Params)
	require.True(t, hasEvent(f, "tokenmind.stake.v1.EventParamsUpdated"))
}

func TestQueries(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	add(t, f, bob, hotA, 5_000)
	add(t, f, alice, hotB, 2_000)
	remove(t, f, alice, hotB, 1_000)

	st, err := f.QueryServer.Stake(f.Ctx, &types.QueryStakeRequest{Coldkey: alice.String(), Hotkey: hotA.String()})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(10_000), st.Amount)

	dl, err := f.QueryServer.Delegators(f.Ctx, &types.QueryDelegatorsRequest{Hotkey: hotA.String()})
	require.NoError(t, err)
	require.Len(t, dl.Delegators, 2)
	require.Equal(t, alice.String(), dl.Delegators[0].Coldkey)
	require.Equal(t, math.NewInt(15_000), dl.Total)

	ps, err := f.QueryServer.Positions(f.Ctx, &types.QueryPositionsRequest{Coldkey: alice.String()})
	require.NoError(t, err)
	require.Len(t, ps.Positions, 2)
	require.Equal(t, math.NewInt(11_000), ps.Total)

	ub, err := f.QueryServer.Unbondings(f.Ctx, &types.QueryUnbondingsRequest{Coldkey: alice.String()})
	require.NoError(t, err)
	require.Len(t, ub.Unbondings, 1)
	require.Equal(t, math.NewInt(1_000), ub.Unbondings[0].Amount)

	tot, err := f.QueryServer.TotalStake(f.Ctx, &types.QueryTotalStakeRequest{})
	require.NoError(t, err)
	require.Equal(t, math.NewInt(16_000), tot.TotalStake)
	require.Equal(t, math.NewInt(1_000), tot.TotalUnbonding)

	_, err = f.QueryServer.Delegators(f.Ctx, &types.QueryDelegatorsRequest{Hotkey: "bad"})
	require.Error(t, err)
}

func TestInvariantsDetectCorruption(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	requireInvariants(t, f)

	cache, _ := f.Ctx.CacheContext()
	require.NoError(t, f.Keeper.TotalStake.Set(cache, math.NewInt(9_999)))
	require.ErrorIs(t, f.Keeper.CheckInvariants(cache), types.ErrTotalsMismatch)

	cache, _ = f.Ctx.CacheContext()
	require.NoError(t, f.Keeper.HotkeyStakes.Set(cache, hotA, types.HotkeyStake{Total: math.NewInt(1)}))
	require.ErrorIs(t, f.Keeper.CheckInvariants(cache), types.ErrTotalsMismatch)

	cache, _ = f.Ctx.CacheContext()
	require.NoError(t, f.Keeper.TotalUnbonding.Set(cache, math.NewInt(1)))
	require.Error(t, f.Keeper.CheckInvariants(cache))

	// Coins reaching the module account outside x/stake break the balance invariant.
	f.FundStakeModule(t, math.NewInt(1))
	require.ErrorIs(t, f.Keeper.CheckInvariants(f.Ctx), types.ErrModuleBalanceMismatch)
	msg, broken := keeperModuleBalanceInvariant(f)(f.Ctx)
	require.True(t, broken, msg)
}
