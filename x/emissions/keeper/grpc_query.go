package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tokenmind/tokenmind/x/emissions/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

type queryServer struct{ *Keeper }

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer { return queryServer{Keeper: k} }

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) PendingPool(ctx context.Context, req *types.QueryPendingPoolRequest) (*types.QueryPendingPoolResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	a, err := q.Keeper.PendingPool.Get(ctx, req.Netuid)
	switch {
	case errors.Is(err, collections.ErrNotFound):
		// No pool yet: zero for a subnet that exists (new, or not started), NotFound for any other netuid.
		if _, err := q.subnets.GetSubnet(ctx, req.Netuid); err != nil {
			if errors.Is(err, subnetstypes.ErrSubnetNotFound) {
				return nil, status.Errorf(codes.NotFound, "subnet %d does not exist (list them: tokenmindd q subnets subnets)", req.Netuid)
			}
			return nil, err
		}
		a = math.ZeroInt()
	case err != nil:
		return nil, err
	}
	return &types.QueryPendingPoolResponse{Amount: a}, nil
}

func (q queryServer) NextEpoch(ctx context.Context, req *types.QueryNextEpochRequest) (*types.QueryNextEpochResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	s, err := q.Schedules.Get(ctx, req.Netuid)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "subnet %d is not scheduled (unknown, or created in this block)", req.Netuid)
	}
	if err != nil {
		return nil, err
	}
	idx, err := q.subnets.CurrentEpochIndex(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	res := &types.QueryNextEpochResponse{LastEpochBlock: s.LastEpochBlock, NextEpochHeight: s.NextEpochHeight, EpochIndex: idx}
	if now := height(ctx); s.NextEpochHeight > now {
		res.BlocksUntilNextEpoch = s.NextEpochHeight - now
	}
	return res, nil
}

func (q queryServer) Schedule(ctx context.Context, _ *types.QueryScheduleRequest) (*types.QueryScheduleResponse, error) {
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	minted, err := getItemInt(ctx, q.TotalMinted)
	if err != nil {
		return nil, err
	}
	now := height(ctx)
	return &types.QueryScheduleResponse{BlockEmission: p.EmissionAt(now), NextHalvingHeight: p.NextHalving(now), TotalMinted: minted}, nil
}
