package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// CheckServe runs every stateful check of MsgServe without writing. The ante handler uses it to admit fee-free
// serving updates from registered hotkeys only when they would succeed.
func (k *Keeper) CheckServe(ctx context.Context, msg *types.MsgServe) (types.Subnet, types.Neuron, error) {
	if err := msg.ValidateBasic(); err != nil {
		return types.Subnet{}, types.Neuron{}, err
	}
	subnet, err := k.GetSubnet(ctx, msg.Netuid)
	if err != nil {
		return subnet, types.Neuron{}, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return subnet, types.Neuron{}, err
	}
	if uint32(len(msg.Multiaddrs)) > params.MaxServingMultiaddrs {
		return subnet, types.Neuron{}, errorsmod.Wrapf(types.ErrInvalidServingInfo, "%d multiaddrs, at most %d",
			len(msg.Multiaddrs), params.MaxServingMultiaddrs)
	}
	if msg.Task != "" && msg.Task != subnet.Identity.TaskKind {
		return subnet, types.Neuron{}, errorsmod.Wrapf(types.ErrTaskMismatch, "subnet %d runs %q, not %q", msg.Netuid,
			subnet.Identity.TaskKind, msg.Task)
	}
	uid, err := k.GetUid(ctx, msg.Netuid, sdk.MustAccAddressFromBech32(msg.Hotkey))
	if err != nil {
		return subnet, types.Neuron{}, err
	}
	neuron, err := k.GetNeuron(ctx, msg.Netuid, uid)
	if err != nil {
		return subnet, neuron, err
	}
	now := blockHeight(ctx)
	limit := subnet.Hyperparameters.ServingRateLimit
	if neuron.Serving.UpdatedAt > 0 && now < neuron.Serving.UpdatedAt+limit {
		return subnet, neuron, errorsmod.Wrapf(types.ErrRateLimited, "serving info of uid %d on subnet %d may change again at height %d", uid, msg.Netuid, neuron.Serving.UpdatedAt+limit)
	}
	for _, a := range msg.Multiaddrs {
		holder, found, err := k.ServingHolder(ctx, msg.Netuid, a)
		if err != nil {
			return subnet, neuron, err
		}
		if found && holder.Uid != uid {
			return subnet, neuron, errorsmod.Wrapf(types.ErrMultiaddrInUse,
				"%s is served by uid %d (hotkey %s) on subnet %d; publish the address your own neuron listens on (neuron miner --listen or --announce)",
				a, holder.Uid, holder.Hotkey, msg.Netuid)
		}
	}
	return subnet, neuron, nil
}

// ServingHolder returns the neuron of the subnet whose current serving info lists addr (compared by
// types.ServingAddrKey), if any.
func (k *Keeper) ServingHolder(ctx context.Context, netuid uint32, addr string) (types.Neuron, bool, error) {
	key := types.ServingAddrKey(addr)
	uid, err := k.ServingAddrs.Get(ctx, collections.Join(netuid, key))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Neuron{}, false, nil
	}
	if err != nil {
		return types.Neuron{}, false, err
	}
	n, err := k.Neurons.Get(ctx, collections.Join(netuid, uid))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Neuron{}, false, nil
	}
	if err != nil {
		return types.Neuron{}, false, err
	}
	for _, a := range n.Serving.Multiaddrs {
		if types.ServingAddrKey(a) == key {
			return n, true, nil
		}
	}
	return types.Neuron{}, false, nil // the UID moved on (new addresses, or replaced): the entry is stale
}

// setServingAddrs points the index at uid for addrs, after dropping the entries of old that still point at it.
func (k *Keeper) setServingAddrs(ctx context.Context, netuid, uid uint32, old, addrs []string) error {
	for _, a := range old {
		key := collections.Join(netuid, types.ServingAddrKey(a))
		if cur, err := k.ServingAddrs.Get(ctx, key); err == nil && cur == uid {
			if err := k.ServingAddrs.Remove(ctx, key); err != nil {
				return err
			}
		} else if err != nil && !errors.Is(err, collections.ErrNotFound) {
			return err
		}
	}
	for _, a := range addrs {
		if err := k.ServingAddrs.Set(ctx, collections.Join(netuid, types.ServingAddrKey(a)), uid); err != nil {
			return err
		}
	}
	return nil
}

// Serve records where and what a neuron serves.
func (ms msgServer) Serve(goCtx context.Context, msg *types.MsgServe) (*types.MsgServeResponse, error) {
	ctx := sdk.UnwrapSDKContext(goCtx)
	subnet, neuron, err := ms.CheckServe(ctx, msg)
	if err != nil {
		return nil, err
	}
	if err := ms.setServingAddrs(ctx, neuron.Netuid, neuron.Uid, neuron.Serving.Multiaddrs, msg.Multiaddrs); err != nil {
		return nil, err
	}
	task := msg.Task
	if task == "" {
		task = subnet.Identity.TaskKind
	}
	neuron.Serving = types.ServingInfo{
		Multiaddrs: msg.Multiaddrs, ProtocolVersion: msg.ProtocolVersion, Task: task, Model: msg.Model,
		ModelVersion: msg.ModelVersion, UpdatedAt: blockHeight(ctx),
	}
	if err := ms.Neurons.Set(ctx, collections.Join(neuron.Netuid, neuron.Uid), neuron); err != nil {
		return nil, err
	}
	if err := ctx.EventManager().EmitTypedEvent(&types.EventNeuronServing{
		Netuid: neuron.Netuid, Uid: neuron.Uid, Hotkey: neuron.Hotkey, Serving: neuron.Serving,
	}); err != nil {
		return nil, err
	}
	return &types.MsgServeResponse{}, nil
}
