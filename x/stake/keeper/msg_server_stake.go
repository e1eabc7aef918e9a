package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// AddStake moves amount from the coldkey to the stake module account and credits the (hotkey, coldkey) position.
// The hotkey must be registered on at least one subnet; anyone may stake to any registered hotkey.
func (ms msgServer) AddStake(goCtx context.Context, msg *types.MsgAddStake) (*types.MsgAddStakeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	coldkey, err := ms.addr("coldkey", msg.Coldkey)
	if err != nil {
		return nil, err
	}
	hotkey, err := ms.addr("hotkey", msg.Hotkey)
	if err != nil {
		return nil, err
	}
	params, err := ms.Params.Get(goCtx)
	if err != nil {
		return nil, err
	}
	if msg.Amount.LT(params.MinStake) {
		return nil, errorsmod.Wrapf(types.ErrBelowMinStake, "staking %s%s, the minimum is %s%s",
			msg.Amount, ms.denom, params.MinStake, ms.denom)
	}
	if _, err := ms.requireRegistered(goCtx, hotkey); err != nil {
		return nil, err
	}
	spendable := ms.bankKeeper.SpendableCoins(goCtx, coldkey).AmountOf(ms.denom)
	if spendable.LT(msg.Amount) {
		return nil, errorsmod.Wrapf(types.ErrInsufficientFunds, "coldkey %s can spend %s%s, staking %s%s needs more funds",
			msg.Coldkey, spendable, ms.denom, msg.Amount, ms.denom)
	}
	if err := ms.bankKeeper.SendCoinsFromAccountToModule(goCtx, coldkey, types.ModuleName, ms.coins(msg.Amount)); err != nil {
		return nil, err
	}
	pos, total, err := ms.increaseStake(goCtx, coldkey, hotkey, msg.Amount)
	if err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(goCtx).EventManager().EmitTypedEvent(&types.EventStakeAdded{
		Coldkey: msg.Coldkey, Hotkey: msg.Hotkey, Amount: msg.Amount, Position: pos, HotkeyTotal: total,
	}); err != nil {
		return nil, err
	}
	return &types.MsgAddStakeResponse{}, nil
}

// RemoveStake decreases the position now and queues an unbonding entry that pays the amount back to the coldkey
// after unbonding_blocks.
func (ms msgServer) RemoveStake(goCtx context.Context, msg *types.MsgRemoveStake) (*types.MsgRemoveStakeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	coldkey, err := ms.addr("coldkey", msg.Coldkey)
	if err != nil {
		return nil, err
	}
	hotkey, err := ms.addr("hotkey", msg.Hotkey)
	if err != nil {
		return nil, err
	}
	pos, total, err := ms.decreaseStake(goCtx, coldkey, hotkey, msg.Amount)
	if err != nil {
		return nil, err
	}
	entry, err := ms.queueUnbonding(goCtx, coldkey, hotkey, msg.Amount)
	if err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(goCtx).EventManager().EmitTypedEvent(&types.EventStakeRemoved{
		Coldkey: msg.Coldkey, Hotkey: msg.Hotkey, Amount: msg.Amount, Position: pos, HotkeyTotal: total,
		UnbondingId: entry.Id, CompletionHeight: entry.CompletionHeight,
	}); err != nil {
		return nil, err
	}
	return &types.MsgRemoveStakeResponse{UnbondingId: entry.Id, CompletionHeight: entry.CompletionHeight}, nil
}

// MoveStake moves stake of one coldkey between two hotkeys at once, without unbonding. The destination hotkey
// must be registered on at least one subnet.
func (ms msgServer) MoveStake(goCtx context.Context, msg *types.MsgMoveStake) (*types.MsgMoveStakeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	coldkey, err := ms.addr("coldkey", msg.Coldkey)
	if err != nil {
		return nil, err
	}
	from, err := ms.addr("from_hotkey", msg.FromHotkey)
	if err != nil {
		return nil, err
	}
	to, err := ms.addr("to_hotkey", msg.ToHotkey)
	if err != nil {
		return nil, err
	}
	if _, err := ms.requireRegistered(goCtx, to); err != nil {
		return nil, err
	}
	if _, _, err := ms.decreaseStake(goCtx, coldkey, from, msg.Amount); err != nil {
		return nil, err
	}
	if _, _, err := ms.increaseStake(goCtx, coldkey, to, msg.Amount); err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(goCtx).EventManager().EmitTypedEvent(&types.EventStakeMoved{
		Coldkey: msg.Coldkey, FromHotkey: msg.FromHotkey, ToHotkey: msg.ToHotkey, Amount: msg.Amount,
	}); err != nil {
		return nil, err
	}
	return &types.MsgMoveStakeResponse{}, nil
}
