package keeper

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// InitGenesis loads the module state from genesis.
func (k *Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := k.NextNetuid.Set(ctx, uint64(gs.NextNetuid)); err != nil {
		return err
	}
	if err := k.LastSubnetCost.Set(ctx, gs.LastSubnetCost); err != nil {
		return err
	}
	if err := k.LastSubnetCreated.Set(ctx, gs.LastSubnetCreatedAt); err != nil {
		return err
	}
	for _, s := range gs.Subnets {
		if s.BurnDecayQ32 == 0 {
			s.BurnDecayQ32 = types.BurnDecayFactorQ32(s.Hyperparameters.BurnHalfLife)
		}
		if err := k.Subnets.Set(ctx, s.Netuid, s); err != nil {
			return err
		}
	}
	for _, n := range gs.Neurons {
		hotkey := sdk.MustAccAddressFromBech32(n.Hotkey)
		if err := k.Neurons.Set(ctx, collections.Join(n.Netuid, n.Uid), n); err != nil {
			return err
		}
		if err := k.HotkeyOwners.Set(ctx, hotkey, sdk.MustAccAddressFromBech32(n.Coldkey)); err != nil {
			return err
		}
		if err := k.setServingAddrs(ctx, n.Netuid, n.Uid, nil, n.Serving.Multiaddrs); err != nil {
			return err
		}
	}
	for _, o := range gs.HotkeyOwners {
		hotkey := sdk.MustAccAddressFromBech32(o.Hotkey)
		coldkey := sdk.MustAccAddressFromBech32(o.Coldkey)
		if prev, err := k.HotkeyOwners.Get(ctx, hotkey); err == nil && !sdk.AccAddress(prev).Equals(coldkey) {
			return fmt.Errorf("hotkey %s: owner %s in hotkey_owners but a neuron says %s", o.Hotkey, o.Coldkey, sdk.AccAddress(prev))
		}
		if err := k.HotkeyOwners.Set(ctx, hotkey, coldkey); err != nil {
			return err
		}
	}
	if err := k.importOutputs(ctx, gs.Outputs); err != nil {
		return err
	}
	for _, r := range gs.Weights {
		if err := k.Weights.Set(ctx, collections.Join(r.Netuid, r.Uid), types.WeightRow{Entries: r.Entries}); err != nil {
			return err
		}
	}
	for _, r := range gs.Bonds {
		if err := k.Bonds.Set(ctx, collections.Join(r.Netuid, r.Uid), types.WeightRow{Entries: r.Entries}); err != nil {
			return err
		}
	}
	for _, c := range gs.Commits {
		if err := k.WeightCommits.Set(ctx, collections.Join(c.Netuid, sdk.MustAccAddressFromBech32(c.Hotkey)), types.WeightCommits{Commits: c.Commits}); err != nil {
			return err
		}
	}
	for _, e := range gs.EpochIndices {
		if err := k.EpochIndex.Set(ctx, e.Netuid, e.Index); err != nil {
			return err
		}
	}
	return nil
}

// importOutputs stores genesis outputs chunk by chunk (each chunk written once), in (netuid, uid) order.
func (k *Keeper) importOutputs(ctx context.Context, outs []types.NeuronOutput) error {
	sorted := slices.Clone(outs)
	slices.SortStableFunc(sorted, func(a, b types.NeuronOutput) int {
		return cmp.Or(cmp.Compare(a.Netuid, b.Netuid), cmp.Compare(a.Uid, b.Uid))
	})
	for i := 0; i < len(sorted); {
		netuid, chunk := sorted[i].Netuid, sorted[i].Uid/types.EpochOutputChunkSize
		var c types.EpochOutputChunk
		for ; i < len(sorted) && sorted[i].Netuid == netuid && sorted[i].Uid/types.EpochOutputChunkSize == chunk; i++ {
			off := int(sorted[i].Uid % types.EpochOutputChunkSize)
			for len(c.Outputs) <= off {
				c.Outputs = append(c.Outputs, types.EpochOutput{})
			}
			c.Outputs[off] = sorted[i].Output
		}
		if err := k.setChunk(ctx, netuid, chunk, c); err != nil {
			return err
		}
	}
	return nil
}

// exportOutputs lists every UID that has an epoch output, in (netuid, uid) order.
func (k *Keeper) exportOutputs(ctx context.Context) ([]types.NeuronOutput, error) {
	iter, err := k.EpochOutputs.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	kvs, err := iter.KeyValues()
	if err != nil {
		return nil, err
	}
	var out []types.NeuronOutput
	for _, kv := range kvs {
		for i, o := range kv.Value.Outputs {
			if !isEmptyOutput(o) {
				uid := kv.Key.K2()*types.EpochOutputChunkSize + uint32(i)
				out = append(out, types.NeuronOutput{Netuid: kv.Key.K1(), Uid: uid, Output: withEmission(o)})
			}
		}
	}
	return out, nil
}

func exportRows(ctx context.Context, m collections.Map[collections.Pair[uint32, uint32], types.WeightRow]) ([]types.MatrixRow, error) {
	iter, err := m.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	kvs, err := iter.KeyValues()
	if err != nil {
		return nil, err
	}
	var out []types.MatrixRow
	for _, kv := range kvs {
		out = append(out, types.MatrixRow{Netuid: kv.Key.K1(), Uid: kv.Key.K2(), Entries: kv.Value.Entries})
	}
	return out, nil
}

// ExportGenesis writes the module state in key order, so that export → import → export is byte-identical.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	next, err := k.NextNetuid.Peek(ctx)
	if err != nil {
		return nil, err
	}
	if next == 0 {
		next = 1
	}
	gs := &types.GenesisState{Params: params, NextNetuid: uint32(next)}
	if gs.LastSubnetCost, err = k.LastSubnetCost.Get(ctx); err != nil {
		return nil, err
	}
	if gs.LastSubnetCreatedAt, err = k.LastSubnetCreated.Get(ctx); err != nil {
		return nil, err
	}
	subnets, err := iterValues(ctx, k.Subnets)
	if err != nil {
		return nil, err
	}
	gs.Subnets = subnets
	if gs.Neurons, err = iterValues(ctx, k.Neurons); err != nil {
		return nil, err
	}
	if gs.Outputs, err = k.exportOutputs(ctx); err != nil {
		return nil, err
	}
	hi, err := k.HotkeyOwners.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	owners, err := hi.KeyValues()
	if err != nil {
		return nil, err
	}
	for _, kv := range owners {
		gs.HotkeyOwners = append(gs.HotkeyOwners, types.HotkeyOwner{Hotkey: kv.Key.String(), Coldkey: sdk.AccAddress(kv.Value).String()})
	}
	if gs.Weights, err = exportRows(ctx, k.Weights); err != nil {
		return nil, err
	}
	if gs.Bonds, err = exportRows(ctx, k.Bonds); err != nil {
		return nil, err
	}
	ci, err := k.WeightCommits.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	commits, err := ci.KeyValues()
	if err != nil {
		return nil, err
	}
	for _, kv := range commits {
		gs.Commits = append(gs.Commits, types.HotkeyCommits{Netuid: kv.Key.K1(), Hotkey: kv.Key.K2().String(), Commits: kv.Value.Commits})
	}
	ei, err := k.EpochIndex.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	idx, err := ei.KeyValues()
	if err != nil {
		return nil, err
	}
	for _, kv := range idx {
		gs.EpochIndices = append(gs.EpochIndices, types.SubnetEpochIndex{Netuid: kv.Key, Index: kv.Value})
	}
	return gs, nil
}

func iterValues[K, V any](ctx context.Context, m interface {
	Iterate(context.Context, collections.Ranger[K]) (collections.Iterator[K, V], error)
},
) ([]V, error) {
	iter, err := m.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return iter.Values()
}
