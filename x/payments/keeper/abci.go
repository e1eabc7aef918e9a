package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

// EndBlock settles closed channels whose window has ended. It returns an error (halting the chain) only when
// the module's own state cannot be read; a channel whose refund fails never makes it fail.
func (k *Keeper) EndBlock(goCtx context.Context) error {
	_, err := k.SettleDue(sdk.UnwrapSDKContext(goCtx))
	return err
}

// SettleDue refunds at most max_settlements_per_block closed channels whose settles_at is at or below the current
// height, in (settles_at, id) order; the rest carry over to the next blocks and, being older, go first there. Each
// channel settles in its own cache context: if its refund fails, nothing of it is written, EventSettlementFailed is
// emitted and it is moved SettleRetryBlocks later. It returns the number of channels settled.
func (k *Keeper) SettleDue(ctx sdk.Context) (int, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	height := ctx.BlockHeight()
	budget := int(params.MaxSettlementsPerBlock)
	rng := new(collections.Range[collections.Pair[int64, uint64]]).EndExclusive(collections.Join(height+1, uint64(0)))
	iter, err := k.SettleQueue.Iterate(ctx, rng)
	if err != nil {
		return 0, err
	}
	// Collect first, then mutate: never write to a collection while iterating it.
	var due []uint64
	for ; iter.Valid() && len(due) < budget; iter.Next() {
		key, err := iter.Key()
		if err != nil {
			iter.Close()
			return 0, err
		}
		due = append(due, key.K2())
	}
	iter.Close()

	settled := 0
	for _, id := range due {
		cacheCtx, write := ctx.CacheContext()
		if err := k.settle(cacheCtx, id); err != nil {
			k.rescheduleFailed(ctx, id, err)
			continue
		}
		write()
		settled++
	}
	return settled, nil
}

// settle returns a closed channel's remainder to its payer and deletes the channel.
func (k *Keeper) settle(ctx sdk.Context, id uint64) error {
	ch, err := k.GetChannel(ctx, id)
	if err != nil {
		return err
	}
	payer, err := k.addr("payer", ch.Payer)
	if err != nil {
		return err
	}
	if err := k.removeChannel(ctx, ch); err != nil {
		return err
	}
	refund := Balance(ch)
	if refund.IsPositive() {
		if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, payer, k.coins(refund)); err != nil {
			return err
		}
	}
	return ctx.EventManager().EmitTypedEvent(&types.EventChannelSettled{
		ChannelId: ch.Id, Payer: ch.Payer, Refund: refund, Claimed: ch.Claimed, Deposit: ch.Deposit,
	})
}

// rescheduleFailed moves a channel whose settlement failed SettleRetryBlocks later (its window, and so its gateway's
// chance to claim, extends with it) and reports it.
func (k *Keeper) rescheduleFailed(ctx sdk.Context, id uint64, cause error) {
	retry := ctx.BlockHeight() + types.SettleRetryBlocks
	k.Logger(ctx).Error("channel settlement failed; rescheduled", "channel", id, "err", cause, "retry_height", retry)
	cacheCtx, write := ctx.CacheContext()
	err := func() error {
		ch, err := k.GetChannel(cacheCtx, id)
		if err != nil {
			return err
		}
		if err := k.SettleQueue.Remove(cacheCtx, collections.Join(ch.SettlesAt, id)); err != nil {
			return err
		}
		ch.SettlesAt = retry
		if err := k.Channels.Set(cacheCtx, id, ch); err != nil {
			return err
		}
		return k.SettleQueue.Set(cacheCtx, collections.Join(retry, id))
	}()
	if err == nil {
		write()
	} else {
		// Nothing moved; the entry stays where it is and is retried next block.
		retry = ctx.BlockHeight() + 1
		k.Logger(ctx).Error("rescheduling failed settlement", "channel", id, "err", err)
	}
	_ = ctx.EventManager().EmitTypedEvent(&types.EventSettlementFailed{ChannelId: id, Error: cause.Error(), RetryHeight: retry})
}
