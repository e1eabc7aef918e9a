package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// SetTake sets a hotkey's take. Only the coldkey that owns the hotkey (per x/subnets) may call it; the take must
// lie in [min_take_bps, max_take_bps], and successive changes are at least take_rate_limit blocks apart.
func (ms msgServer) SetTake(goCtx context.Context, msg *types.MsgSetTake) (*types.MsgSetTakeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	ctx := sdk.UnwrapSDKContext(goCtx)
	coldkey, err := ms.addr("coldkey", msg.Coldkey)
	if err != nil {
		return nil, err
	}
	hotkey, err := ms.addr("hotkey", msg.Hotkey)
	if err != nil {
		return nil, err
	}
	owner, err := ms.requireRegistered(goCtx, hotkey)
	if err != nil {
		return nil, err
	}
	if !owner.Equals(coldkey) {
		return nil, errorsmod.Wrapf(types.ErrNotHotkeyOwner, "hotkey %s is owned by %s, not %s; sign with the owner coldkey",
			msg.Hotkey, owner, msg.Coldkey)
	}
	params, err := ms.Params.Get(goCtx)
	if err != nil {
		return nil, err
	}
	if msg.TakeBps < params.MinTakeBps || msg.TakeBps > params.MaxTakeBps {
		return nil, errorsmod.Wrapf(types.ErrTakeOutOfBounds, "take %d bps is outside the allowed range [%d, %d] bps",
			msg.TakeBps, params.MinTakeBps, params.MaxTakeBps)
	}
	previous := ms.GetTake(goCtx, hotkey)
	if previous == msg.TakeBps {
		return nil, errorsmod.Wrapf(types.ErrTakeUnchanged, "take of hotkey %s is already %d bps", msg.Hotkey, previous)
	}
	last, err := ms.TakeLastSet.Get(goCtx, hotkey)
	switch {
	case err == nil:
		next := last + int64(params.TakeRateLimit)
		if ctx.BlockHeight() < next {
			return nil, errorsmod.Wrapf(types.ErrTakeRateLimited,
				"take of hotkey %s was changed at height %d; the next change is allowed at height %d (now %d)",
				msg.Hotkey, last, next, ctx.BlockHeight())
		}
	case !errorsmod.IsOf(err, collections.ErrNotFound):
		return nil, err
	}
	if err := ms.Takes.Set(goCtx, hotkey, msg.TakeBps); err != nil {
		return nil, err
	}
	if err := ms.TakeLastSet.Set(goCtx, hotkey, ctx.BlockHeight()); err != nil {
		return nil, err
	}
	if err := ctx.EventManager().EmitTypedEvent(&types.EventTakeSet{
		Hotkey: msg.Hotkey, Coldkey: msg.Coldkey, TakeBps: msg.TakeBps, PreviousTakeBps: previous,
	}); err != nil {
		return nil, err
	}
	return &types.MsgSetTakeResponse{}, nil
}
