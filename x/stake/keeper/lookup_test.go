package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// TestLookupMatchesGet: the keeper's miss-cheap read gives what collections' Get gives (value, or the same error),
// with a missing key reported as not found instead of ErrNotFound.
func TestLookupMatchesGet(t *testing.T) {
	f := setup(t)
	add(t, f, alice, hotA, 10_000)
	present, absent, corrupt := joinHC(hotA, alice), joinHC(hotA, bob), joinHC(hotB, alice)
	key, err := collections.EncodeKeyWithPrefix(types.StakesKey, f.Keeper.Stakes.KeyCodec(), corrupt)
	require.NoError(t, err)
	require.NoError(t, f.Keeper.SetRaw(f.Ctx, key, []byte("not a number")))

	v, found, err := f.Keeper.LookupStake(f.Ctx, present)
	require.NoError(t, err)
	require.True(t, found)
	want, err := f.Keeper.Stakes.Get(f.Ctx, present)
	require.NoError(t, err)
	require.Equal(t, want, v)
	require.Equal(t, math.NewInt(10_000), f.Keeper.GetStake(f.Ctx, alice, hotA))

	v, found, err = f.Keeper.LookupStake(f.Ctx, absent)
	require.NoError(t, err)
	require.False(t, found)
	require.True(t, v.Amount.IsZero())
	_, err = f.Keeper.Stakes.Get(f.Ctx, absent)
	require.ErrorIs(t, err, collections.ErrNotFound)
	require.True(t, f.Keeper.GetStake(f.Ctx, bob, hotA).IsZero())

	_, found, err = f.Keeper.LookupStake(f.Ctx, corrupt)
	require.False(t, found)
	_, wantErr := f.Keeper.Stakes.Get(f.Ctx, corrupt)
	require.Error(t, wantErr)
	require.ErrorIs(t, err, collections.ErrEncoding)
	require.Equal(t, wantErr.Error(), err.Error())
	require.True(t, f.Keeper.GetStake(f.Ctx, alice, hotB).IsZero())
}
