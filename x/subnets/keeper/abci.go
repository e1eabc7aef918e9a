package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// BeginBlock decays every subnet's registration price by one block of its half-life. The work is one read and one
// write per subnet, bounded by params.max_subnets. A subnet record that does not decode (corrupt state of one
// subnet) is logged and skipped: it must not halt the chain.
func (k *Keeper) BeginBlock(ctx context.Context) error {
	if blockHeight(ctx) <= 1 {
		return nil
	}
	iter, err := k.Subnets.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	defer iter.Close()
	type update struct {
		netuid uint32
		subnet types.Subnet
	}
	var updates []update
	for ; iter.Valid(); iter.Next() {
		netuid, err := iter.Key()
		if err != nil {
			return err
		}
		s, err := iter.Value()
		if err != nil {
			sdk.UnwrapSDKContext(ctx).Logger().Error("subnet record unreadable; registration price not decayed", "netuid", netuid, "err", err)
			continue
		}
		hp := s.Hyperparameters
		next := types.DecayBurn(s.Burn, s.BurnDecayQ32, hp.MinBurn, hp.MaxBurn)
		if next.Equal(s.Burn) {
			continue
		}
		s.Burn = next
		updates = append(updates, update{netuid, s})
	}
	for _, u := range updates {
		if err := k.Subnets.Set(ctx, u.netuid, u.subnet); err != nil {
			return err
		}
	}
	return nil
}
