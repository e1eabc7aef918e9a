package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// queueUnbonding records an unbonding entry of amount for coldkey, completing unbonding_blocks from now, and adds
// it to the total waiting in unbonding.
func (k *Keeper) queueUnbonding(ctx context.Context, coldkey, hotkey sdk.AccAddress, amount math.Int) (types.UnbondingEntry, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.UnbondingEntry{}, err
	}
	id, err := k.UnbondingSeq.Next(ctx)
	if err != nil {
		return types.UnbondingEntry{}, err
	}
	// Ids start at 1 so that 0 means "none" in responses.
	id++
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	entry := types.UnbondingEntry{
		Id:               id,
		Coldkey:          coldkey.String(),
		Hotkey:           hotkey.String(),
		Amount:           amount,
		CreationHeight:   height,
		CompletionHeight: height + int64(params.UnbondingBlocks),
	}
	if err := k.setUnbonding(ctx, coldkey, entry); err != nil {
		return types.UnbondingEntry{}, err
	}
	total, err := k.getItemInt(ctx, k.TotalUnbonding)
	if err != nil {
		return types.UnbondingEntry{}, err
	}
	return entry, k.TotalUnbonding.Set(ctx, total.Add(amount))
}

func (k *Keeper) setUnbonding(ctx context.Context, coldkey sdk.AccAddress, e types.UnbondingEntry) error {
	if err := k.UnbondingQueue.Set(ctx, collections.Join(e.CompletionHeight, e.Id), e); err != nil {
		return err
	}
	return k.UnbondingsByColdkey.Set(ctx, collections.Join(coldkey, e.Id), e.CompletionHeight)
}

func (k *Keeper) removeUnbonding(ctx context.Context, coldkey sdk.AccAddress, e types.UnbondingEntry) error {
	if err := k.UnbondingQueue.Remove(ctx, collections.Join(e.CompletionHeight, e.Id)); err != nil {
		return err
	}
	return k.UnbondingsByColdkey.Remove(ctx, collections.Join(coldkey, e.Id))
}

// completeUnbonding pays a matured entry back to its coldkey and deletes it.
func (k *Keeper) completeUnbonding(ctx context.Context, e types.UnbondingEntry) error {
	coldkey, err := k.addr("coldkey", e.Coldkey)
	if err != nil {
		return err
	}
	if err := k.removeUnbonding(ctx, coldkey, e); err != nil {
		return err
	}
	total, err := k.getItemInt(ctx, k.TotalUnbonding)
	if err != nil {
		return err
	}
	if total.LT(e.Amount) {
		return types.ErrTotalsMismatch.Wrapf("total unbonding %s below entry %d amount %s", total, e.Id, e.Amount)
	}
	if err := k.TotalUnbonding.Set(ctx, total.Sub(e.Amount)); err != nil {
		return err
	}
	if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, coldkey, k.coins(e.Amount)); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventUnbondingCompleted{
		UnbondingId: e.Id, Coldkey: e.Coldkey, Hotkey: e.Hotkey, Amount: e.Amount,
	})
}

// ProcessMaturedUnbondings pays at most max_unbondings_per_block entries whose completion height is at or below
// the current height, oldest first; the rest carry over to the next blocks. Each entry runs in its own cache
// context: a failing entry is not paid, an EventUnbondingFailed is emitted, and the entry is rescheduled
// UnbondingRetryBlocks later so it does not block the queue. It returns the number of entries paid. An error is
// returned only when the queue itself cannot be read.
func (k *Keeper) ProcessMaturedUnbondings(ctx sdk.Context) (int, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	height := ctx.BlockHeight()
	budget := int(params.MaxUnbondingsPerBlock)

	// Collect first, then mutate: never write to a collection while iterating it.
	rng := new(collections.Range[collections.Pair[int64, uint64]]).
		EndExclusive(collections.Join(height+1, uint64(0)))
	iter, err := k.UnbondingQueue.Iterate(ctx, rng)
	if err != nil {
		return 0, err
	}
	var due []types.UnbondingEntry
	for ; iter.Valid() && len(due) < budget; iter.Next() {
		e, err := iter.Value()
		if err != nil {
			iter.Close()
			return 0, err
		}
		due = append(due, e)
	}
	iter.Close()

	paid := 0
	for _, e := range due {
		cacheCtx, write := ctx.CacheContext()
		if err := k.completeUnbonding(cacheCtx, e); err != nil {
			k.rescheduleFailed(ctx, e, err)
			continue
		}
		write()
		paid++
	}
	return paid, nil
}

// rescheduleFailed moves an entry whose payment failed UnbondingRetryBlocks later and reports it.
func (k *Keeper) rescheduleFailed(ctx sdk.Context, e types.UnbondingEntry, cause error) {
	retry := ctx.BlockHeight() + types.UnbondingRetryBlocks
	k.Logger(ctx).Error("unbonding payment failed; rescheduled", "id", e.Id, "coldkey", e.Coldkey, "err", cause, "retry_height", retry)
	cacheCtx, write := ctx.CacheContext()
	err := func() error {
		coldkey, err := k.addr("coldkey", e.Coldkey)
		if err != nil {
			return err
		}
		if err := k.removeUnbonding(cacheCtx, coldkey, e); err != nil {
			return err
		}
		moved := e
		moved.CompletionHeight = retry
		return k.setUnbonding(cacheCtx, coldkey, moved)
	}()
	if err == nil {
		write()
	} else {
		// The entry stays where it is; it will be retried next block. Nothing is lost.
		retry = ctx.BlockHeight() + 1
		k.Logger(ctx).Error("rescheduling failed unbonding entry", "id", e.Id, "err", err)
	}
	_ = ctx.EventManager().EmitTypedEvent(&types.EventUnbondingFailed{
		UnbondingId: e.Id, Coldkey: e.Coldkey, Amount: e.Amount, Error: cause.Error(), RetryHeight: retry,
	})
}
