package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/testutil"
	"github.com/tokenmind/tokenmind/x/stake/types"
)

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	setParams(t, f, func(p *types.Params) { p.TakeRateLimit = 10; p.MinTakeBps = 100 })
	add(t, f, alice, hotA, 10_000)
	add(t, f, bob, hotA, 5_000)
	add(t, f, alice, hotB, 3_000)
	remove(t, f, alice, hotA, 2_000)
	remove(t, f, bob, hotA, 1_000)
	_, err := f.MsgServer.SetTake(f.Ctx, &types.MsgSetTake{Coldkey: owner.String(), Hotkey: hotA.String(), TakeBps: 900})
	require.NoError(t, err)
	_, err = f.Keeper.SnapshotEpochStake(f.Ctx, 1, []sdk.AccAddress{hotA, hotB})
	require.NoError(t, err)

	exported, err := f.Keeper.ExportGenesis(f.Ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Len(t, exported.Positions, 3)
	require.Len(t, exported.Unbondings, 2)
	require.Len(t, exported.Takes, 1)
	require.Len(t, exported.EpochStakes, 2)
	require.Equal(t, uint64(3), exported.NextUnbondingId)

	g := testutil.NewFixture(t)
	g.Subnets.Register(hotA, owner)
	g.FundStakeModule(t, math.NewInt(18_000)) // 15_000 staked + 3_000 unbonding
	require.NoError(t, g.Keeper.InitGenesis(g.Ctx, exported))
	require.NoError(t, g.Keeper.CheckInvariants(g.Ctx))
	again, err := g.Keeper.ExportGenesis(g.Ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)

	require.Equal(t, f.Keeper.GetTotalHotkeyStake(f.Ctx, hotA), g.Keeper.GetTotalHotkeyStake(g.Ctx, hotA))
	require.Equal(t, uint32(900), g.Keeper.GetTake(g.Ctx, hotA))
	// The unbonding sequence continues after the imported ids.
	g.Fund(t, alice, 10_000)
	res, err := g.MsgServer.RemoveStake(g.Ctx, &types.MsgRemoveStake{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(1)})
	require.NoError(t, err)
	require.Equal(t, uint64(3), res.UnbondingId)
}

func TestInitGenesisRejectsUnfundedModuleAccount(t *testing.T) {
	g := testutil.NewFixture(t)
	gs := types.DefaultGenesisState()
	gs.Positions = []types.StakePosition{{Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(100)}}
	g.FundStakeModule(t, math.NewInt(99))
	require.ErrorIs(t, g.Keeper.InitGenesis(g.Ctx, gs), types.ErrModuleBalanceMismatch)
}

func TestGenesisValidate(t *testing.T) {
	pos := func(c, h sdk.AccAddress, amt int64) types.StakePosition {
		return types.StakePosition{Coldkey: c.String(), Hotkey: h.String(), Amount: math.NewInt(amt)}
	}
	unb := func(id uint64, amt int64, created, done int64) types.UnbondingEntry {
		return types.UnbondingEntry{Id: id, Coldkey: alice.String(), Hotkey: hotA.String(), Amount: math.NewInt(amt), CreationHeight: created, CompletionHeight: done}
	}
	cases := []struct {
		name string
		mut  func(*types.GenesisState)
		err  error
	}{
		{"default ok", func(*types.GenesisState) {}, nil},
		{"negative position", func(g *types.GenesisState) { g.Positions = []types.StakePosition{pos(alice, hotA, -1)} }, types.ErrInvalidGenesis},
		{"zero position", func(g *types.GenesisState) { g.Positions = []types.StakePosition{pos(alice, hotA, 0)} }, types.ErrInvalidGenesis},
		{"duplicate position", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{pos(alice, hotA, 1), pos(alice, hotA, 2)}
		}, types.ErrInvalidGenesis},
		{"bad address", func(g *types.GenesisState) {
			g.Positions = []types.StakePosition{{Coldkey: "x", Hotkey: hotA.String(), Amount: math.OneInt()}}
		}, types.ErrInvalidGenesis},
		{"unbonding id not below next", func(g *types.GenesisState) { g.Unbondings = []types.UnbondingEntry{unb(1, 5, 1, 2)} }, types.ErrInvalidGenesis},
		{"negative unbonding", func(g *types.GenesisState) {
			g.NextUnbondingId = 5
			g.Unbondings = []types.UnbondingEntry{unb(1, -5, 1, 2)}
		}, types.ErrInvalidGenesis},
		{"duplicate unbonding id", func(g *types.GenesisState) {
			g.NextUnbondingId = 5
			g.Unbondings = []types.UnbondingEntry{unb(1, 5, 1, 2), unb(1, 6, 1, 2)}
		}, types.ErrInvalidGenesis},
		{"completion before creation", func(g *types.GenesisState) {
			g.NextUnbondingId = 5
			g.Unbondings = []types.UnbondingEntry{unb(1, 5, 3, 2)}
		}, types.ErrInvalidGenesis},
		{"zero next id", func(g *types.GenesisState) { g.NextUnbondingId = 0 }, types.ErrInvalidGenesis},
		{"take above max", func(g *types.GenesisState) { g.Takes = []types.HotkeyTake{{Hotkey: hotA.String(), TakeBps: 1801}} }, types.ErrInvalidGenesis},
		{"duplicate take", func(g *types.GenesisState) {
			g.Takes = []types.HotkeyTake{{Hotkey: hotA.String(), TakeBps: 1}, {Hotkey: hotA.String(), TakeBps: 2}}
		}, types.ErrInvalidGenesis},
		{"negative snapshot", func(g *types.GenesisState) {
			g.EpochStakes = []types.EpochStakeSnapshot{{Netuid: 1, Hotkey: hotA.String(), Amount: math.NewInt(-1)}}
		}, types.ErrInvalidGenesis},
		{"duplicate snapshot", func(g *types.GenesisState) {
			s := types.EpochStakeSnapshot{Netuid: 1, Hotkey: hotA.String(), Amount: math.NewInt(1)}
			g.EpochStakes = []types.EpochStakeSnapshot{s, s}
		}, types.ErrInvalidGenesis},
		{"bad params", func(g *types.GenesisState) { g.Params.MinTakeBps = 1900 }, types.ErrInvalidParams},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gs := types.DefaultGenesisState()
			tc.mut(gs)
			err := gs.Validate()
			if tc.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.err)
		})
	}
}
