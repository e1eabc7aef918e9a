package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// LookupStake is the miss-cheap read of a position record (getPosition), for tests.
func (k *Keeper) LookupStake(ctx context.Context, key collections.Pair[sdk.AccAddress, sdk.AccAddress]) (types.Position, bool, error) {
	return k.getPosition(ctx, key.K1(), key.K2())
}

// SetRaw writes a raw store entry, for tests of corrupt state.
func (k *Keeper) SetRaw(ctx context.Context, key, value []byte) error {
	return k.storeService.OpenKVStore(ctx).Set(key, value)
}
