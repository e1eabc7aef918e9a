package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// LookupStake is lookup on Stakes, for tests.
func (k *Keeper) LookupStake(ctx context.Context, key collections.Pair[sdk.AccAddress, sdk.AccAddress]) (math.Int, bool, error) {
	return lookup(ctx, k.storeService, k.Stakes, key)
}

// SetRaw writes a raw store entry, for tests of corrupt state.
func (k *Keeper) SetRaw(ctx context.Context, key, value []byte) error {
	return k.storeService.OpenKVStore(ctx).Set(key, value)
}
