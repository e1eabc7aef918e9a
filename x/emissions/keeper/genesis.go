package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

// InitGenesis loads the state and rebuilds the epoch queue from the schedules.
func (k *Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := k.TotalMinted.Set(ctx, gs.TotalMinted); err != nil {
		return err
	}
	if err := k.Undistributed.Set(ctx, gs.Undistributed); err != nil {
		return err
	}
	if err := k.SeenNetuid.Set(ctx, gs.SeenNetuid); err != nil {
		return err
	}
	for _, p := range gs.Pools {
		if err := k.PendingPool.Set(ctx, p.Netuid, p.Amount); err != nil {
			return err
		}
	}
	for _, s := range gs.Schedules {
		if err := k.Schedules.Set(ctx, s.Netuid, s); err != nil {
			return err
		}
		if s.NextEpochHeight > 0 {
			if err := k.EpochQueue.Set(ctx, collections.Join(s.NextEpochHeight, s.Netuid)); err != nil {
				return err
			}
		}
	}
	return nil
}

// ExportGenesis writes the state in key order.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: p}
	if gs.TotalMinted, err = getItemInt(ctx, k.TotalMinted); err != nil {
		return nil, err
	}
	if gs.Undistributed, err = getItemInt(ctx, k.Undistributed); err != nil {
		return nil, err
	}
	if gs.SeenNetuid, err = k.SeenNetuid.Get(ctx); err != nil && !isNotFound(err) {
		return nil, err
	}
	pi, err := k.PendingPool.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	pools, err := pi.KeyValues()
	if err != nil {
		return nil, err
	}
	for _, kv := range pools {
		gs.Pools = append(gs.Pools, types.PendingPool{Netuid: kv.Key, Amount: kv.Value})
	}
	si, err := k.Schedules.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if gs.Schedules, err = si.Values(); err != nil {
		return nil, err
	}
	return gs, nil
}
