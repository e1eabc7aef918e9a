package keeper

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// RegisterNeuron registers a hotkey on a subnet for the current burn price. When the subnet is full, the
// non-immune neuron with the lowest emission is replaced (ties: oldest registration, then lowest UID).
func (ms msgServer) RegisterNeuron(goCtx context.Context, msg *types.MsgRegisterNeuron) (*types.MsgRegisterNeuronResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	ctx := sdk.UnwrapSDKContext(goCtx)
	coldkey := sdk.MustAccAddressFromBech32(msg.Coldkey)
	hotkey := sdk.MustAccAddressFromBech32(msg.Hotkey)
	subnet, err := ms.GetSubnet(ctx, msg.Netuid)
	if err != nil {
		return nil, err
	}
	hp := subnet.Hyperparameters
	if !hp.RegistrationAllowed {
		return nil, errorsmod.Wrapf(types.ErrRegistrationDisabled, "subnet %d; ask its owner to enable registration_allowed", msg.Netuid)
	}
	switch _, err := ms.Neurons.Indexes.ByNetuidHotkey.MatchExact(ctx, collections.Join(msg.Netuid, hotkey)); {
	case err == nil:
		return nil, errorsmod.Wrapf(types.ErrHotkeyAlreadyRegistered, "%s on subnet %d", msg.Hotkey, msg.Netuid)
	case !errors.Is(err, collections.ErrNotFound):
		return nil, err
	}
	owner, err := ms.HotkeyOwners.Get(ctx, hotkey)
	switch {
	case errors.Is(err, collections.ErrNotFound):
	case err != nil:
		return nil, err
	case !sdk.AccAddress(owner).Equals(coldkey):
		return nil, errorsmod.Wrapf(types.ErrHotkeyOwnedByOther, "%s is owned by %s; use a new hotkey", msg.Hotkey, sdk.AccAddress(owner))
	}
	price := subnet.Burn
	if msg.MaxBurn.IsPositive() && price.GT(msg.MaxBurn) {
		return nil, errorsmod.Wrapf(types.ErrCostAboveLimit, "registration on subnet %d costs %s umind, your max is %s; the price halves every %d blocks without registrations, or raise --max-burn", msg.Netuid, price, msg.MaxBurn, hp.BurnHalfLife)
	}

	now := blockHeight(ctx)
	var (
		uid           uint32
		replaced      *types.Neuron
		replaceReason string
	)
	if subnet.N < hp.MaxAllowedUids {
		uid = subnet.N
		subnet.N++
	} else {
		cand, reason, ok, err := ms.PruneCandidate(ctx, subnet, now)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errorsmod.Wrapf(types.ErrSubnetFullAllImmune, "subnet %d has %d neurons, all immune or owner-protected; the first immunity ends at height %d", msg.Netuid, subnet.N, ms.firstImmunityEnd(ctx, subnet))
		}
		uid, replaced, replaceReason = cand.Uid, &cand, reason
	}
	if err := ms.burnFrom(ctx, coldkey, price, fmt.Sprintf("registering on subnet %d", msg.Netuid)); err != nil {
		return nil, err
	}
	if replaced != nil {
		if err := ms.clearNeuron(ctx, *replaced, hotkey); err != nil {
			return nil, err
		}
	}
	neuron := types.Neuron{
		Netuid: msg.Netuid, Uid: uid, Hotkey: msg.Hotkey, Coldkey: msg.Coldkey, RegisteredAt: now, LastUpdate: now,
	}
	if err := ms.Neurons.Set(ctx, collections.Join(msg.Netuid, uid), neuron); err != nil {
		return nil, err
	}
	if err := ms.HotkeyOwners.Set(ctx, hotkey, coldkey); err != nil {
		return nil, err
	}
	subnet.Burn = types.BumpBurn(price, hp.BurnIncreaseMultMilli, hp.MinBurn, hp.MaxBurn)
	if err := ms.Subnets.Set(ctx, msg.Netuid, subnet); err != nil {
		return nil, err
	}
	ev := &types.EventNeuronRegistered{
		Netuid: msg.Netuid, Uid: uid, Hotkey: msg.Hotkey, Coldkey: msg.Coldkey, Burned: price,
	}
	resp := &types.MsgRegisterNeuronResponse{Uid: uid, Burned: price}
	if replaced != nil {
		ev.ReplacedHotkey, ev.ReplaceReason = replaced.Hotkey, replaceReason
		resp.ReplacedHotkey = replaced.Hotkey
	}
	if err := ctx.EventManager().EmitTypedEvent(ev); err != nil {
		return nil, err
	}
	return resp, nil
}

// clearNeuron removes the old occupant of a UID and resets the UID's per-UID state.
func (k *Keeper) clearNeuron(ctx context.Context, old types.Neuron, newHotkey sdk.AccAddress) error {
	oldHotkey := sdk.MustAccAddressFromBech32(old.Hotkey)
	// Removing the neuron drops its hotkey's index entries (the new occupant is set after the hooks ran).
	if err := k.Neurons.Remove(ctx, collections.Join(old.Netuid, old.Uid)); err != nil {
		return err
	}
	if err := k.clearEpochOutput(ctx, old.Netuid, old.Uid); err != nil {
		return err
	}
	if err := k.resetUidInMatrices(ctx, old.Netuid, old.Uid); err != nil {
		return err
	}
	if err := k.WeightCommits.Remove(ctx, collections.Join(old.Netuid, oldHotkey)); err != nil {
		return err
	}
	for _, h := range k.hooks {
		if err := h.AfterNeuronReplaced(ctx, old.Netuid, old.Uid, oldHotkey, newHotkey); err != nil {
			return err
		}
	}
	return nil
}

// ownerProtected returns the UIDs that are never pruned: the first immune_owner_uids_limit hotkeys of the subnet
// owner's coldkey, ordered by (registered_at, uid).
func ownerProtected(subnet types.Subnet, neurons []types.Neuron) map[uint32]bool {
	var owned []types.Neuron
	for _, n := range neurons {
		if n.Coldkey == subnet.Owner {
			owned = append(owned, n)
		}
	}
	sort.Slice(owned, func(i, j int) bool {
		if owned[i].RegisteredAt != owned[j].RegisteredAt {
			return owned[i].RegisteredAt < owned[j].RegisteredAt
		}
		return owned[i].Uid < owned[j].Uid
	})
	protected := map[uint32]bool{}
	for i := 0; i < len(owned) && uint32(i) < subnet.Hyperparameters.ImmuneOwnerUidsLimit; i++ {
		protected[owned[i].Uid] = true
	}
	return protected
}

// ImmunityRemaining is how many blocks a neuron stays immune from replacement.
func ImmunityRemaining(n types.Neuron, immunityPeriod, now uint64) uint64 {
	end := n.RegisteredAt + immunityPeriod
	if now >= end {
		return 0
	}
	return end - now
}

// PruneCandidate returns the neuron a registration would replace now: among non-immune neurons that are not
// owner-protected, the lowest emission, then the oldest registration, then the lowest UID. The reason names the
// UID and the rule that decided, for the registration event.
func (k *Keeper) PruneCandidate(ctx context.Context, subnet types.Subnet, now uint64) (types.Neuron, string, bool, error) {
	neurons, err := k.NeuronsOf(ctx, subnet.Netuid)
	if err != nil {
		return types.Neuron{}, "", false, err
	}
	outs, err := k.EpochOutputsOf(ctx, subnet.Netuid, len(neurons))
	if err != nil {
		return types.Neuron{}, "", false, err
	}
	protected := ownerProtected(subnet, neurons)
	type candidate struct {
		neuron   types.Neuron
		emission math.Int
	}
	var cands []candidate
	for _, n := range neurons {
		if protected[n.Uid] || ImmunityRemaining(n, subnet.Hyperparameters.ImmunityPeriod, now) > 0 {
			continue
		}
		out := emptyOutput()
		if int(n.Uid) < len(outs) {
			out = outs[n.Uid]
		} else if out, err = k.GetEpochOutput(ctx, n.Netuid, n.Uid); err != nil {
			return types.Neuron{}, "", false, err
		}
		cands = append(cands, candidate{n, out.Emission})
	}
	if len(cands) == 0 {
		return types.Neuron{}, "", false, nil
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if c.emission.LT(best.emission) ||
			(c.emission.Equal(best.emission) && (c.neuron.RegisteredAt < best.neuron.RegisteredAt ||
				(c.neuron.RegisteredAt == best.neuron.RegisteredAt && c.neuron.Uid < best.neuron.Uid))) {
			best = c
		}
	}
	sameEmission, sameBlock := 0, 0
	for _, c := range cands {
		if c.emission.Equal(best.emission) {
			sameEmission++
			if c.neuron.RegisteredAt == best.neuron.RegisteredAt {
				sameBlock++
			}
		}
	}
	reason := fmt.Sprintf("subnet full (%d uids): uid %d had the lowest emission at the last epoch, %s umind, of %d replaceable (non-immune, not owner-protected) neurons",
		subnet.N, best.neuron.Uid, best.emission, len(cands))
	if sameEmission > 1 {
		reason += fmt.Sprintf("; %d tied on emission, the oldest registration (block %d) goes first", sameEmission, best.neuron.RegisteredAt)
	}
	if sameBlock > 1 {
		reason += fmt.Sprintf("; %d registered in that block, the lowest uid goes first", sameBlock)
	}
	return best.neuron, reason, true, nil
}

func (k *Keeper) firstImmunityEnd(ctx context.Context, subnet types.Subnet) uint64 {
	neurons, err := k.NeuronsOf(ctx, subnet.Netuid)
	if err != nil {
		return 0
	}
	protected := ownerProtected(subnet, neurons)
	var first uint64
	for _, n := range neurons {
		if protected[n.Uid] {
			continue
		}
		end := n.RegisteredAt + subnet.Hyperparameters.ImmunityPeriod
		if first == 0 || end < first {
			first = end
		}
	}
	return first
}
