package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

// AddRevenue moves amount umind from the module account fromModule into the x/emissions module account and adds it
// to netuid's pending pool, in one step so the pools invariant (module balance = Σ pools + undistributed) holds.
// The subnet's next epoch pays the pool through Yuma Consensus exactly as it pays emission (owner cut, miners,
// validators and their delegators). x/payments calls it with the pool share of each claim. A zero amount does
// nothing; a negative one is an error.
func (k *Keeper) AddRevenue(ctx context.Context, fromModule string, netuid uint32, amount math.Int) error {
	if amount.IsNil() || amount.IsNegative() {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "revenue for subnet %d must not be negative", netuid)
	}
	if amount.IsZero() {
		return nil
	}
	if err := k.bank.SendCoinsFromModuleToModule(ctx, fromModule, types.ModuleName, k.coins(amount)); err != nil {
		return err
	}
	pool, err := k.Pool(ctx, netuid)
	if err != nil {
		return err
	}
	return k.PendingPool.Set(ctx, netuid, pool.Add(amount))
}
