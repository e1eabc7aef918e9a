package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

// InitGenesis loads the genesis, rebuilds the indexes and the settlement queue from the channels, and checks that
// the payments module account holds exactly Σ (deposit - claimed) (x/bank's genesis must run first).
func (k *Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	k.accountKeeper.GetModuleAccount(ctx, types.ModuleName) // create the module account if needed
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := k.ChannelSeq.Set(ctx, gs.NextChannelId-1); err != nil {
		return err
	}
	held := math.ZeroInt()
	for _, ch := range gs.Channels {
		payer, gateway, err := k.channelAddrs(ch)
		if err != nil {
			return err
		}
		if err := k.setChannel(ctx, ch, payer, gateway); err != nil {
			return err
		}
		if ch.ClosedAt != 0 {
			if err := k.SettleQueue.Set(ctx, collections.Join(ch.SettlesAt, ch.Id)); err != nil {
				return err
			}
		}
		held = held.Add(Balance(ch))
	}
	for _, r := range gs.AccessRules {
		if err := k.AccessRules.Set(ctx, r.Netuid, r); err != nil {
			return err
		}
	}
	for _, r := range gs.Revenues {
		if err := k.Revenues.Set(ctx, r.Netuid, r); err != nil {
			return err
		}
	}
	have := k.bankKeeper.GetBalance(ctx, k.accountKeeper.GetModuleAddress(types.ModuleName), k.denom).Amount
	if !have.Equal(held) {
		return errorsmod.Wrapf(types.ErrInvalidGenesis,
			"the %s module account holds %s%s but the channels hold %s%s; fund it in x/bank genesis with exactly that",
			types.ModuleName, have, k.denom, held, k.denom)
	}
	return nil
}

// ExportGenesis exports the state, in key order.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	last, err := k.ChannelSeq.Peek(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params, NextChannelId: last + 1}
	ci, err := k.Channels.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if gs.Channels, err = ci.Values(); err != nil {
		return nil, err
	}
	ai, err := k.AccessRules.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if gs.AccessRules, err = ai.Values(); err != nil {
		return nil, err
	}
	ri, err := k.Revenues.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if gs.Revenues, err = ri.Values(); err != nil {
		return nil, err
	}
	return gs, nil
}
