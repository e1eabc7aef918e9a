package keeper

import (
	"bytes"
	"context"
	"errors"
	"sort"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
	"github.com/tokenmind/tokenmind/yuma"
)

// weightsUpdate is a checked weight update, ready to be stored.
type weightsUpdate struct {
	subnet types.Subnet
	neuron types.Neuron
	row    types.WeightRow
}

// checkWeights runs the checks of subtensor's internal_set_weights (SPEC §8) in the reference's order. The rate
// limit applies only to direct sets (a reveal is bounded by its commit instead).
func (k *Keeper) checkWeights(ctx context.Context, hotkey sdk.AccAddress, netuid uint32, uids, values []uint32, versionKey uint64, reveal bool) (weightsUpdate, error) {
	var u weightsUpdate
	if len(uids) != len(values) {
		return u, errorsmod.Wrapf(types.ErrWeightsLengthMismatch, "%d uids but %d values; give one value per uid", len(uids), len(values))
	}
	subnet, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return u, err
	}
	u.subnet = subnet
	hp := subnet.Hyperparameters
	if uint32(len(uids)) > subnet.N {
		return u, errorsmod.Wrapf(types.ErrTooManyWeights, "%d weights but subnet %d has %d neurons", len(uids), netuid, subnet.N)
	}
	uid, err := k.GetUid(ctx, netuid, hotkey)
	if err != nil {
		return u, err
	}
	neuron, err := k.GetNeuron(ctx, netuid, uid)
	if err != nil {
		return u, err
	}
	u.neuron = neuron
	if hp.WeightsVersionKey != 0 && versionKey < hp.WeightsVersionKey {
		return u, errorsmod.Wrapf(types.ErrWeightsVersionTooLow, "version_key %d < subnet %d weights_version_key %d; upgrade your validator", versionKey, netuid, hp.WeightsVersionKey)
	}
	now := blockHeight(ctx)
	if !reveal && neuron.LastUpdate != 0 && now < neuron.LastUpdate+hp.WeightsRateLimit {
		return u, errorsmod.Wrapf(types.ErrRateLimited, "weights of uid %d on subnet %d: next allowed at height %d (weights_rate_limit %d)", uid, netuid, neuron.LastUpdate+hp.WeightsRateLimit, hp.WeightsRateLimit)
	}
	selfWeight := len(uids) == 1 && uids[0] == uid
	if !selfWeight && neuron.Coldkey != subnet.Owner {
		out, err := k.GetEpochOutput(ctx, netuid, uid)
		if err != nil {
			return u, err
		}
		if !out.ValidatorPermit {
			return u, errorsmod.Wrapf(types.ErrNoValidatorPermit, "uid %d on subnet %d; permits go to the top %d staked hotkeys at each epoch and take effect at the next (add stake, then wait for an epoch; blocks until it: tokenmindd q emissions next-epoch %d)", uid, netuid, hp.MaxAllowedValidators, netuid)
		}
	}
	order := make([]int, len(uids))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return uids[order[a]] < uids[order[b]] })
	for i := 1; i < len(order); i++ {
		if uids[order[i]] == uids[order[i-1]] {
			return u, errorsmod.Wrapf(types.ErrDuplicateUids, "uid %d appears more than once", uids[order[i]])
		}
	}
	for _, x := range uids {
		if x >= subnet.N {
			return u, errorsmod.Wrapf(types.ErrInvalidUid, "uid %d on subnet %d, which has uids 0..%d", x, netuid, int64(subnet.N)-1)
		}
	}
	minWeights := hp.MinAllowedWeights
	if subnet.N < minWeights {
		minWeights = subnet.N
	}
	if !selfWeight && uint32(len(uids)) < minWeights {
		return u, errorsmod.Wrapf(types.ErrTooFewWeights, "%d weights, subnet %d needs at least %d (min_allowed_weights)", len(uids), netuid, minWeights)
	}
	raw := make([]uint16, len(values))
	for i, v := range values {
		if v > 65535 {
			return u, errorsmod.Wrapf(types.ErrMaxWeightExceeded, "value %d of uid %d is above 65535", v, uids[i])
		}
		raw[i] = uint16(v)
	}
	upscaled := yuma.VecU16MaxUpscaleToU16(raw)
	if !selfWeight && hp.MaxWeightLimit < 65535 && !yuma.CheckVecMaxLimited(upscaled, uint16(hp.MaxWeightLimit)) {
		return u, errorsmod.Wrapf(types.ErrMaxWeightExceeded, "a normalized weight is above max_weight_limit %d/65535 on subnet %d; spread weight over more uids", hp.MaxWeightLimit, netuid)
	}
	u.row.Entries = make([]types.WeightEntry, len(order))
	for i, j := range order {
		u.row.Entries[i] = types.WeightEntry{Uid: uids[j], Value: uint32(upscaled[j])}
	}
	return u, nil
}

// CheckSetWeights runs every stateful check of MsgSetWeights without writing (used by the ante handler).
func (k *Keeper) CheckSetWeights(ctx context.Context, msg *types.MsgSetWeights) error {
	_, err := k.checkSetWeights(ctx, msg)
	return err
}

func (k *Keeper) checkSetWeights(ctx context.Context, msg *types.MsgSetWeights) (weightsUpdate, error) {
	if err := msg.ValidateBasic(); err != nil {
		return weightsUpdate{}, err
	}
	subnet, err := k.GetSubnet(ctx, msg.Netuid)
	if err != nil {
		return weightsUpdate{}, err
	}
	if subnet.Hyperparameters.CommitRevealEnabled {
		return weightsUpdate{}, errorsmod.Wrapf(types.ErrCommitRevealEnabled, "subnet %d: use tokenmindd tx subnets commit-weights, then reveal-weights after %d epoch(s)", msg.Netuid, subnet.Hyperparameters.CommitRevealPeriod)
	}
	return k.checkWeights(ctx, sdk.MustAccAddressFromBech32(msg.Hotkey), msg.Netuid, msg.Uids, msg.Values, msg.VersionKey, false)
}

// storeWeights writes a checked row, sets last_update and emits EventWeightsSet.
func (k *Keeper) storeWeights(ctx context.Context, u weightsUpdate, revealed bool) error {
	key := collections.Join(u.neuron.Netuid, u.neuron.Uid)
	if err := k.Weights.Set(ctx, key, u.row); err != nil {
		return err
	}
	u.neuron.LastUpdate = blockHeight(ctx)
	if err := k.Neurons.Set(ctx, key, u.neuron); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventWeightsSet{
		Netuid: u.neuron.Netuid, Uid: u.neuron.Uid, Hotkey: u.neuron.Hotkey, Count: uint32(len(u.row.Entries)), Revealed: revealed,
	})
}

// SetWeights stores the signer's weights on a subnet.
func (ms msgServer) SetWeights(goCtx context.Context, msg *types.MsgSetWeights) (*types.MsgSetWeightsResponse, error) {
	u, err := ms.checkSetWeights(goCtx, msg)
	if err != nil {
		return nil, err
	}
	if err := ms.storeWeights(goCtx, u, false); err != nil {
		return nil, err
	}
	return &types.MsgSetWeightsResponse{}, nil
}

// pendingCommits returns a hotkey's commits on a subnet without the expired ones.
func (k *Keeper) pendingCommits(ctx context.Context, netuid uint32, hotkey sdk.AccAddress, epoch, period uint64) ([]types.WeightCommit, error) {
	cs, err := k.WeightCommits.Get(ctx, collections.Join(netuid, hotkey))
	if errors.Is(err, collections.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	live := cs.Commits[:0]
	for _, c := range cs.Commits {
		if epoch <= c.CommitEpoch+period {
			live = append(live, c)
		}
	}
	return live, nil
}

func (k *Keeper) setCommits(ctx context.Context, netuid uint32, hotkey sdk.AccAddress, cs []types.WeightCommit) error {
	key := collections.Join(netuid, hotkey)
	if len(cs) == 0 {
		return k.WeightCommits.Remove(ctx, key)
	}
	return k.WeightCommits.Set(ctx, key, types.WeightCommits{Commits: cs})
}

// CheckCommitWeights runs every stateful check of MsgCommitWeights without writing.
func (k *Keeper) CheckCommitWeights(ctx context.Context, msg *types.MsgCommitWeights) error {
	_, _, _, err := k.checkCommit(ctx, msg)
	return err
}

func (k *Keeper) checkCommit(ctx context.Context, msg *types.MsgCommitWeights) (types.Neuron, []types.WeightCommit, uint64, error) {
	if err := msg.ValidateBasic(); err != nil {
		return types.Neuron{}, nil, 0, err
	}
	subnet, err := k.GetSubnet(ctx, msg.Netuid)
	if err != nil {
		return types.Neuron{}, nil, 0, err
	}
	hp := subnet.Hyperparameters
	if !hp.CommitRevealEnabled {
		return types.Neuron{}, nil, 0, errorsmod.Wrapf(types.ErrCommitRevealDisabled, "subnet %d: use tokenmindd tx subnets set-weights", msg.Netuid)
	}
	hotkey := sdk.MustAccAddressFromBech32(msg.Hotkey)
	uid, err := k.GetUid(ctx, msg.Netuid, hotkey)
	if err != nil {
		return types.Neuron{}, nil, 0, err
	}
	neuron, err := k.GetNeuron(ctx, msg.Netuid, uid)
	if err != nil {
		return neuron, nil, 0, err
	}
	epoch, err := k.CurrentEpochIndex(ctx, msg.Netuid)
	if err != nil {
		return neuron, nil, 0, err
	}
	live, err := k.pendingCommits(ctx, msg.Netuid, hotkey, epoch, hp.CommitRevealPeriod)
	if err != nil {
		return neuron, nil, 0, err
	}
	if len(live) >= types.MaxPendingCommits {
		return neuron, nil, 0, errorsmod.Wrapf(types.ErrTooManyCommits, "%d pending commits on subnet %d (at most %d); reveal or wait for them to expire", len(live), msg.Netuid, types.MaxPendingCommits)
	}
	for _, c := range live {
		if bytes.Equal(c.Hash, msg.CommitHash) {
			return neuron, nil, 0, errorsmod.Wrapf(types.ErrInvalidCommitHash, "this hash is already committed on subnet %d; use a new salt", msg.Netuid)
		}
	}
	return neuron, live, epoch, nil
}

// CommitWeights records a weights commit for reveal commit_reveal_period epochs later.
func (ms msgServer) CommitWeights(goCtx context.Context, msg *types.MsgCommitWeights) (*types.MsgCommitWeightsResponse, error) {
	neuron, live, epoch, err := ms.checkCommit(goCtx, msg)
	if err != nil {
		return nil, err
	}
	subnet, err := ms.GetSubnet(goCtx, msg.Netuid)
	if err != nil {
		return nil, err
	}
	hotkey := sdk.MustAccAddressFromBech32(msg.Hotkey)
	now := blockHeight(goCtx)
	live = append(live, types.WeightCommit{Hash: msg.CommitHash, CommitEpoch: epoch, CommitBlock: now})
	if err := ms.setCommits(goCtx, msg.Netuid, hotkey, live); err != nil {
		return nil, err
	}
	reveal := epoch + subnet.Hyperparameters.CommitRevealPeriod
	if err := sdk.UnwrapSDKContext(goCtx).EventManager().EmitTypedEvent(&types.EventWeightsCommitted{
		Netuid: msg.Netuid, Uid: neuron.Uid, Hotkey: msg.Hotkey, CommitHash: msg.CommitHash, CommitEpoch: epoch, RevealEpoch: reveal,
	}); err != nil {
		return nil, err
	}
	return &types.MsgCommitWeightsResponse{RevealEpoch: reveal}, nil
}

// CheckRevealWeights runs every stateful check of MsgRevealWeights without writing.
func (k *Keeper) CheckRevealWeights(ctx context.Context, msg *types.MsgRevealWeights) error {
	_, _, _, err := k.checkReveal(ctx, msg)
	return err
}

// checkReveal finds the commit the reveal matches and checks the revealed weights. It returns the update (with
// weights to UIDs registered at or after the commit block dropped), the remaining commits, and the hotkey. A hotkey
// with no pending commit gets ErrCommitNotFound; one whose pending commits all have other hashes gets
// ErrRevealHashMismatch.
func (k *Keeper) checkReveal(ctx context.Context, msg *types.MsgRevealWeights) (weightsUpdate, []types.WeightCommit, sdk.AccAddress, error) {
	var u weightsUpdate
	if err := msg.ValidateBasic(); err != nil {
		return u, nil, nil, err
	}
	subnet, err := k.GetSubnet(ctx, msg.Netuid)
	if err != nil {
		return u, nil, nil, err
	}
	hp := subnet.Hyperparameters
	if !hp.CommitRevealEnabled {
		return u, nil, nil, errorsmod.Wrapf(types.ErrCommitRevealDisabled, "subnet %d: use tokenmindd tx subnets set-weights", msg.Netuid)
	}
	hotkey := sdk.MustAccAddressFromBech32(msg.Hotkey)
	if _, err := k.GetUid(ctx, msg.Netuid, hotkey); err != nil {
		return u, nil, nil, err
	}
	epoch, err := k.CurrentEpochIndex(ctx, msg.Netuid)
	if err != nil {
		return u, nil, nil, err
	}
	cs, err := k.WeightCommits.Get(ctx, collections.Join(msg.Netuid, hotkey))
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return u, nil, nil, err
	}
	hash := types.WeightsCommitHash(hotkey, msg.Netuid, msg.Uids, msg.Values, msg.Salt, msg.VersionKey)
	idx := -1
	for i, c := range cs.Commits {
		if bytes.Equal(c.Hash, hash) {
			idx = i
			break
		}
	}
	if idx < 0 {
		pending := 0
		for _, c := range cs.Commits {
			if epoch <= c.CommitEpoch+hp.CommitRevealPeriod {
				pending++
			}
		}
		if pending == 0 {
			return u, nil, nil, errorsmod.Wrapf(types.ErrCommitNotFound, "%s has no pending commit on subnet %d (already revealed, expired, or never committed); commit first: tokenmindd tx subnets commit-weights", msg.Hotkey, msg.Netuid)
		}
		return u, nil, nil, errorsmod.Wrapf(types.ErrRevealHashMismatch, "%s has %d pending commit(s) on subnet %d and none has the hash of these uids, values, salt and version_key", msg.Hotkey, pending, msg.Netuid)
	}
	c := cs.Commits[idx]
	revealAt := c.CommitEpoch + hp.CommitRevealPeriod
	if epoch < revealAt {
		return u, nil, nil, errorsmod.Wrapf(types.ErrRevealTooEarly, "commit of epoch %d reveals in epoch %d; subnet %d is in epoch %d", c.CommitEpoch, revealAt, msg.Netuid, epoch)
	}
	if epoch > revealAt {
		return u, nil, nil, errorsmod.Wrapf(types.ErrRevealTooLate, "commit of epoch %d had to be revealed in epoch %d; subnet %d is in epoch %d: commit again", c.CommitEpoch, revealAt, msg.Netuid, epoch)
	}
	// Drop weights to UIDs whose occupant registered at or after the commit's block: the committer could not have
	// scored them. A registration in the same block as the commit counts as after it, whatever the order of the two
	// txs in the block: the commit was built from the state before its block, which did not have that occupant.
	uids := make([]uint32, 0, len(msg.Uids))
	values := make([]uint32, 0, len(msg.Values))
	for i, x := range msg.Uids {
		if x < subnet.N {
			n, err := k.GetNeuron(ctx, msg.Netuid, x)
			if err != nil {
				return u, nil, nil, err
			}
			if n.RegisteredAt >= c.CommitBlock {
				continue
			}
		}
		uids = append(uids, x)
		values = append(values, msg.Values[i])
	}
	u, err = k.checkWeights(ctx, hotkey, msg.Netuid, uids, values, msg.VersionKey, true)
	if err != nil {
		return u, nil, nil, err
	}
	rest := make([]types.WeightCommit, 0, len(cs.Commits))
	for i, o := range cs.Commits {
		if i != idx && epoch <= o.CommitEpoch+hp.CommitRevealPeriod {
			rest = append(rest, o)
		}
	}
	return u, rest, hotkey, nil
}

// RevealWeights stores committed weights once their reveal epoch has come.
func (ms msgServer) RevealWeights(goCtx context.Context, msg *types.MsgRevealWeights) (*types.MsgRevealWeightsResponse, error) {
	u, rest, hotkey, err := ms.checkReveal(goCtx, msg)
	if err != nil {
		return nil, err
	}
	if err := ms.setCommits(goCtx, msg.Netuid, hotkey, rest); err != nil {
		return nil, err
	}
	if err := ms.storeWeights(goCtx, u, true); err != nil {
		return nil, err
	}
	return &types.MsgRevealWeightsResponse{}, nil
}
