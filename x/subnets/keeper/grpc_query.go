package keeper

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

type queryServer struct {
	*Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the x/subnets query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer { return queryServer{Keeper: k} }

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) Subnets(ctx context.Context, req *types.QuerySubnetsRequest) (*types.QuerySubnetsResponse, error) {
	subnets, page, err := query.CollectionPaginate(ctx, q.Keeper.Subnets, req.Pagination,
		func(_ uint32, s types.Subnet) (types.Subnet, error) { return s, nil })
	if err != nil {
		return nil, err
	}
	return &types.QuerySubnetsResponse{Subnets: subnets, Pagination: page}, nil
}

func (q queryServer) Subnet(ctx context.Context, req *types.QuerySubnetRequest) (*types.QuerySubnetResponse, error) {
	s, err := q.GetSubnet(ctx, req.Netuid)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QuerySubnetResponse{Subnet: s}, nil
}

func notFound(err error) error {
	if errors.Is(err, types.ErrSubnetNotFound) || errors.Is(err, types.ErrUidNotFound) || errors.Is(err, types.ErrNotRegistered) {
		return status.Error(codes.NotFound, err.Error())
	}
	return err
}

func (q queryServer) Neuron(ctx context.Context, req *types.QueryNeuronRequest) (*types.QueryNeuronResponse, error) {
	subnet, err := q.GetSubnet(ctx, req.Netuid)
	if err != nil {
		return nil, notFound(err)
	}
	n, err := q.GetNeuron(ctx, req.Netuid, req.Uid)
	if err != nil {
		return nil, notFound(err)
	}
	e, err := q.MetagraphEntry(ctx, subnet, n, true, true)
	if err != nil {
		return nil, err
	}
	return &types.QueryNeuronResponse{Neuron: e}, nil
}

func (q queryServer) NeuronByHotkey(ctx context.Context, req *types.QueryNeuronByHotkeyRequest) (*types.QueryNeuronResponse, error) {
	hotkey, err := sdk.AccAddressFromBech32(req.Hotkey)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "hotkey %q is not a mind1... address: %v", req.Hotkey, err)
	}
	uid, err := q.GetUid(ctx, req.Netuid, hotkey)
	if err != nil {
		return nil, notFound(err)
	}
	return q.Neuron(ctx, &types.QueryNeuronRequest{Netuid: req.Netuid, Uid: uid})
}

func (q queryServer) HotkeySubnets(ctx context.Context, req *types.QueryHotkeySubnetsRequest) (*types.QueryHotkeySubnetsResponse, error) {
	hotkey, err := sdk.AccAddressFromBech32(req.Hotkey)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "hotkey %q is not a mind1... address: %v", req.Hotkey, err)
	}
	owner, _, err := q.HotkeyOwner(ctx, hotkey)
	if err != nil {
		return nil, err
	}
	netuids, err := q.Keeper.HotkeySubnets(ctx, hotkey)
	if err != nil {
		return nil, err
	}
	resp := &types.QueryHotkeySubnetsResponse{Netuids: netuids}
	if owner != nil {
		resp.Coldkey = owner.String()
	}
	return resp, nil
}

// MetagraphEntry assembles one metagraph row.
func (k *Keeper) MetagraphEntry(ctx context.Context, subnet types.Subnet, n types.Neuron, withWeights, withBonds bool) (types.MetagraphEntry, error) {
	out, err := k.GetEpochOutput(ctx, n.Netuid, n.Uid)
	if err != nil {
		return types.MetagraphEntry{}, err
	}
	return k.metagraphEntry(ctx, subnet, n, out, withWeights, withBonds)
}

// metagraphEntry assembles one metagraph row around the neuron's epoch output.
func (k *Keeper) metagraphEntry(ctx context.Context, subnet types.Subnet, n types.Neuron, out types.EpochOutput, withWeights, withBonds bool) (types.MetagraphEntry, error) {
	now := blockHeight(ctx)
	stake, err := k.hotkeyStake(ctx, sdk.MustAccAddressFromBech32(n.Hotkey))
	if err != nil {
		return types.MetagraphEntry{}, err
	}
	hp := subnet.Hyperparameters
	e := types.MetagraphEntry{
		Neuron:            n,
		Stake:             stake,
		Active:            now < n.LastUpdate+hp.ActivityCutoff(),
		Output:            out,
		ImmunityRemaining: ImmunityRemaining(n, hp.ImmunityPeriod, now),
	}
	if withWeights {
		if e.Weights, err = k.row(ctx, k.Weights, n.Netuid, n.Uid); err != nil {
			return e, err
		}
	}
	if withBonds {
		if e.Bonds, err = k.row(ctx, k.Bonds, n.Netuid, n.Uid); err != nil {
			return e, err
		}
	}
	return e, nil
}

func (q queryServer) Metagraph(ctx context.Context, req *types.QueryMetagraphRequest) (*types.QueryMetagraphResponse, error) {
	subnet, err := q.GetSubnet(ctx, req.Netuid)
	if err != nil {
		return nil, notFound(err)
	}
	neurons, err := q.NeuronsOf(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	outs, err := q.EpochOutputsOf(ctx, req.Netuid, len(neurons))
	if err != nil {
		return nil, err
	}
	resp := &types.QueryMetagraphResponse{Subnet: subnet, Height: blockHeight(ctx)}
	for _, n := range neurons {
		var out types.EpochOutput
		if int(n.Uid) < len(outs) {
			out = outs[n.Uid]
		} else if out, err = q.GetEpochOutput(ctx, n.Netuid, n.Uid); err != nil {
			return nil, err
		}
		e, err := q.metagraphEntry(ctx, subnet, n, out, req.IncludeWeights, req.IncludeBonds)
		if err != nil {
			return nil, err
		}
		resp.Neurons = append(resp.Neurons, e)
	}
	return resp, nil
}

func (q queryServer) RegistrationPrice(ctx context.Context, req *types.QueryRegistrationPriceRequest) (*types.QueryRegistrationPriceResponse, error) {
	s, err := q.GetSubnet(ctx, req.Netuid)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryRegistrationPriceResponse{Price: s.Burn}, nil
}

func (q queryServer) Immunity(ctx context.Context, req *types.QueryImmunityRequest) (*types.QueryImmunityResponse, error) {
	subnet, err := q.GetSubnet(ctx, req.Netuid)
	if err != nil {
		return nil, notFound(err)
	}
	neurons, err := q.NeuronsOf(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	now := blockHeight(ctx)
	protected := ownerProtected(subnet, neurons)
	resp := &types.QueryImmunityResponse{Full: subnet.N >= subnet.Hyperparameters.MaxAllowedUids}
	for _, n := range neurons {
		resp.Uids = append(resp.Uids, types.UidImmunity{
			Uid: n.Uid, Hotkey: n.Hotkey, ImmunityRemaining: ImmunityRemaining(n, subnet.Hyperparameters.ImmunityPeriod, now),
			OwnerProtected: protected[n.Uid],
		})
	}
	cand, _, ok, err := q.PruneCandidate(ctx, subnet, now)
	if err != nil {
		return nil, err
	}
	resp.HasNextReplaced, resp.NextReplacedUid = ok, cand.Uid
	return resp, nil
}

func (q queryServer) SubnetCreationCost(ctx context.Context, _ *types.QuerySubnetCreationCostRequest) (*types.QuerySubnetCreationCostResponse, error) {
	c, err := q.Keeper.SubnetCreationCost(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QuerySubnetCreationCostResponse{Cost: c}, nil
}
