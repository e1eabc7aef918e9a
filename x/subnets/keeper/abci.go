package keeper

import (
	"context"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// BeginBlock decays every subnet's registration price by one block of its half-life. The work is one read and one
// write per subnet, bounded by params.max_subnets.
func (k *Keeper) BeginBlock(ctx context.Context) error {
	if blockHeight(ctx) <= 1 {
		return nil
	}
	iter, err := k.Subnets.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	kvs, err := iter.KeyValues()
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		s := kv.Value
		hp := s.Hyperparameters
		next := types.DecayBurn(s.Burn, s.BurnDecayQ32, hp.MinBurn, hp.MaxBurn)
		if next.Equal(s.Burn) {
			continue
		}
		s.Burn = next
		if err := k.Subnets.Set(ctx, kv.Key, s); err != nil {
			return err
		}
	}
	return nil
}
