package keeper

import (
	"context"
	"encoding/binary"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// What x/emissions calls when it runs a subnet's epoch: the epoch boundary, the commit-reveal input, and the
// per-UID outputs of Yuma Consensus.
//
// Outputs are stored in chunks of types.EpochOutputChunkSize (256) consecutive UIDs, one value per (netuid, chunk):
// an epoch of n UIDs writes ceil(n/256) keys (16 for 4096 UIDs) where one key per UID cost n writes, each a leaf
// IAVL hashes and commits. Reading one UID's output (a query, MsgSetWeights' permit check) reads its chunk and
// decodes that output only (GetEpochOutput); whole-subnet readers (the epoch's permits, the metagraph, the prune candidate)
// read every chunk once with EpochOutputsOf. A chunk of 256 rather than one value per subnet keeps the cost of a
// one-UID read independent of the subnet's size.

// ApplyEpochBoundary is called by x/emissions when a subnet's epoch runs: it advances the subnet's epoch index
// and promotes settings that take effect only at an epoch boundary (a pending tempo).
func (k *Keeper) ApplyEpochBoundary(ctx context.Context, netuid uint32) error {
	subnet, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return err
	}
	idx, err := k.CurrentEpochIndex(ctx, netuid)
	if err != nil {
		return err
	}
	if err := k.EpochIndex.Set(ctx, netuid, idx+1); err != nil {
		return err
	}
	if subnet.PendingTempo == 0 {
		return nil
	}
	subnet.Hyperparameters.Tempo = subnet.PendingTempo
	subnet.PendingTempo = 0
	return k.Subnets.Set(ctx, netuid, subnet)
}

// CurrentEpochIndex is the number of epochs subnet netuid has run.
func (k *Keeper) CurrentEpochIndex(ctx context.Context, netuid uint32) (uint64, error) {
	v, err := k.EpochIndex.Get(ctx, netuid)
	if errors.Is(err, collections.ErrNotFound) {
		return 0, nil
	}
	return v, err
}

// CommitBlocks returns, per UID of a subnet (given its hotkeys in UID order), the block of the oldest pending commit
// of its hotkey (MaxUint64 when none), the input of the epoch's commit-reveal mask.
func (k *Keeper) CommitBlocks(ctx context.Context, netuid uint32, hotkeys []sdk.AccAddress) ([]uint64, error) {
	out := make([]uint64, len(hotkeys))
	for i, hotkey := range hotkeys {
		out[i] = ^uint64(0)
		cs, err := k.WeightCommits.Get(ctx, collections.Join(netuid, hotkey))
		if errors.Is(err, collections.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, c := range cs.Commits {
			if c.CommitBlock < out[i] {
				out[i] = c.CommitBlock
			}
		}
	}
	return out, nil
}

// outputSlot returns the chunk that holds a UID's output and the UID's place in it.
func outputSlot(uid uint32) (chunk uint32, offset int) {
	return uid / types.EpochOutputChunkSize, int(uid % types.EpochOutputChunkSize)
}

// emptyOutput is the output of a UID that has none: zero everywhere, emission 0.
func emptyOutput() types.EpochOutput { return types.EpochOutput{Emission: math.ZeroInt()} }

// withEmission gives a decoded output an emission of 0 where it has none.
func withEmission(o types.EpochOutput) types.EpochOutput {
	if o.Emission.IsNil() {
		o.Emission = math.ZeroInt()
	}
	return o
}

// isEmptyOutput reports whether an output is the zero message (what a UID without an output holds in its chunk).
func isEmptyOutput(o types.EpochOutput) bool {
	return o.Consensus == 0 && o.Incentive == 0 && o.Dividends == 0 && o.ValidatorTrust == 0 &&
		(o.Emission.IsNil() || o.Emission.IsZero()) && !o.ValidatorPermit && o.EpochHeight == 0
}

// getChunk returns a stored chunk, or an empty one.
func (k *Keeper) getChunk(ctx context.Context, netuid, chunk uint32) (types.EpochOutputChunk, error) {
	c, err := k.EpochOutputs.Get(ctx, collections.Join(netuid, chunk))
	if errors.Is(err, collections.ErrNotFound) {
		return types.EpochOutputChunk{}, nil
	}
	return c, err
}

// setChunk stores a chunk without its trailing empty outputs, or removes it when nothing is left.
func (k *Keeper) setChunk(ctx context.Context, netuid, chunk uint32, c types.EpochOutputChunk) error {
	end := len(c.Outputs)
	for end > 0 && isEmptyOutput(c.Outputs[end-1]) {
		end--
	}
	if end == 0 {
		return k.EpochOutputs.Remove(ctx, collections.Join(netuid, chunk))
	}
	c.Outputs = c.Outputs[:end]
	return k.EpochOutputs.Set(ctx, collections.Join(netuid, chunk), c)
}

// GetEpochOutput returns the stored epoch output of a UID (zero values if none yet). It decodes only that UID's
// output: the chunk's encoding is a run of length-prefixed outputs (field 1 of EpochOutputChunk), which it skips
// through to the UID's without decoding the others; anything else in the value is decoded in full, as collections
// would.
func (k *Keeper) GetEpochOutput(ctx context.Context, netuid, uid uint32) (types.EpochOutput, error) {
	chunk, off := outputSlot(uid)
	key, err := collections.EncodeKeyWithPrefix(types.EpochOutputsKey, k.EpochOutputs.KeyCodec(), collections.Join(netuid, chunk))
	if err != nil {
		return emptyOutput(), err
	}
	bz, err := k.storeService.OpenKVStore(ctx).Get(key)
	if err != nil {
		return emptyOutput(), err
	}
	if bz == nil {
		return emptyOutput(), nil
	}
	if raw, found, ok := nthOutput(bz, off); ok {
		if !found {
			return emptyOutput(), nil
		}
		var o types.EpochOutput
		if err := o.Unmarshal(raw); err != nil {
			return emptyOutput(), err
		}
		return withEmission(o), nil
	}
	c, err := k.getChunk(ctx, netuid, chunk)
	if err != nil {
		return emptyOutput(), err
	}
	if off >= len(c.Outputs) {
		return emptyOutput(), nil
	}
	return withEmission(c.Outputs[off]), nil
}

// nthOutput finds the encoding of the n-th output in an encoded EpochOutputChunk, whose fields are all field 1,
// length-delimited (tag 0x0a), as EpochOutputChunk.Marshal writes them. found is false when the chunk holds fewer
// outputs; ok is false when the value is not such a run (the caller then decodes it in full).
func nthOutput(bz []byte, n int) (raw []byte, found, ok bool) {
	for i := 0; len(bz) > 0; i++ {
		tag, t := binary.Uvarint(bz)
		if t <= 0 || tag != 1<<3|2 {
			return nil, false, false
		}
		bz = bz[t:]
		l, m := binary.Uvarint(bz)
		if m <= 0 || l > uint64(len(bz)-m) {
			return nil, false, false
		}
		bz = bz[m:]
		if i == n {
			return bz[:l], true, true
		}
		bz = bz[l:]
	}
	return nil, false, true
}

// EpochOutputsOf returns the stored outputs of UIDs 0..n-1 of a subnet (zero values for UIDs without one), as n
// calls to GetEpochOutput would, reading each chunk once. Outputs of UIDs from n on are ignored.
func (k *Keeper) EpochOutputsOf(ctx context.Context, netuid uint32, n int) ([]types.EpochOutput, error) {
	out := make([]types.EpochOutput, n)
	for i := range out {
		out[i] = emptyOutput()
	}
	iter, err := k.EpochOutputs.Iterate(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid))
	if err != nil {
		return nil, err
	}
	defer iter.Close()
	for ; iter.Valid(); iter.Next() {
		key, err := iter.Key()
		if err != nil {
			return nil, err
		}
		first := int(key.K2()) * types.EpochOutputChunkSize
		if first >= n {
			break
		}
		c, err := iter.Value()
		if err != nil {
			return nil, err
		}
		for i, o := range c.Outputs {
			if first+i < n {
				out[first+i] = withEmission(o)
			}
		}
	}
	return out, nil
}

// ValidatorPermits returns, for UIDs 0..n-1 of a subnet, the validator permit of the stored epoch output (false
// without one), as n calls to GetEpochOutput would, reading each chunk once.
func (k *Keeper) ValidatorPermits(ctx context.Context, netuid uint32, n int) ([]bool, error) {
	outs, err := k.EpochOutputsOf(ctx, netuid, n)
	if err != nil {
		return nil, err
	}
	permits := make([]bool, n)
	for i, o := range outs {
		permits[i] = o.ValidatorPermit
	}
	return permits, nil
}

// SetEpochOutputs stores what Yuma Consensus computed for UIDs 0..len(outs)-1 of a subnet (called by x/emissions
// once per epoch): one write per chunk. The outputs of UIDs from len(outs) on, if any, are kept.
func (k *Keeper) SetEpochOutputs(ctx context.Context, netuid uint32, outs []types.EpochOutput) error {
	for first := 0; first < len(outs); first += types.EpochOutputChunkSize {
		end := min(first+types.EpochOutputChunkSize, len(outs))
		chunk := uint32(first / types.EpochOutputChunkSize)
		c := types.EpochOutputChunk{Outputs: outs[first:end]}
		if end-first < types.EpochOutputChunkSize {
			// A partial last chunk keeps what it held past the end (nothing, while a subnet's n never shrinks).
			old, err := k.getChunk(ctx, netuid, chunk)
			if err != nil {
				return err
			}
			if len(old.Outputs) > end-first {
				c.Outputs = append(append([]types.EpochOutput{}, c.Outputs...), old.Outputs[end-first:]...)
			}
		}
		if err := k.setChunk(ctx, netuid, chunk, c); err != nil {
			return err
		}
	}
	return nil
}

// SetEpochOutput stores the epoch output of one UID (genesis and tests; the epoch writes all at once with
// SetEpochOutputs). It rewrites the UID's chunk.
func (k *Keeper) SetEpochOutput(ctx context.Context, netuid, uid uint32, out types.EpochOutput) error {
	chunk, off := outputSlot(uid)
	c, err := k.getChunk(ctx, netuid, chunk)
	if err != nil {
		return err
	}
	for len(c.Outputs) <= off {
		c.Outputs = append(c.Outputs, types.EpochOutput{})
	}
	c.Outputs[off] = out
	return k.setChunk(ctx, netuid, chunk, c)
}

// clearEpochOutput forgets a UID's output (its occupant is replaced): its entry in the chunk becomes empty.
func (k *Keeper) clearEpochOutput(ctx context.Context, netuid, uid uint32) error {
	chunk, off := outputSlot(uid)
	c, err := k.getChunk(ctx, netuid, chunk)
	if err != nil {
		return err
	}
	if off >= len(c.Outputs) {
		return nil
	}
	c.Outputs[off] = types.EpochOutput{}
	return k.setChunk(ctx, netuid, chunk, c)
}
