package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

var _ types.QueryServer = queryServer{}

type queryServer struct {
	k *Keeper
}

// NewQueryServerImpl returns the x/stake Query service implementation.
func NewQueryServerImpl(k *Keeper) types.QueryServer {
	return queryServer{k: k}
}

func (q queryServer) parse(field, s string) (sdk.AccAddress, error) {
	a, err := q.k.addr(field, s)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return a, nil
}

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) Stake(ctx context.Context, req *types.QueryStakeRequest) (*types.QueryStakeResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	c, err := q.parse("coldkey", req.Coldkey)
	if err != nil {
		return nil, err
	}
	h, err := q.parse("hotkey", req.Hotkey)
	if err != nil {
		return nil, err
	}
	return &types.QueryStakeResponse{Amount: q.k.GetStake(ctx, c, h)}, nil
}

func (q queryServer) Delegators(ctx context.Context, req *types.QueryDelegatorsRequest) (*types.QueryDelegatorsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	h, err := q.parse("hotkey", req.Hotkey)
	if err != nil {
		return nil, err
	}
	list, page, err := query.CollectionPaginate[PositionKey, types.Position](ctx, q.k.Stakes, req.Pagination,
		func(key PositionKey, pos types.Position) (types.StakePosition, error) {
			return types.StakePosition{Coldkey: key.K2().String(), Hotkey: req.Hotkey, Amount: pos.Amount}, nil
		}, query.WithCollectionPaginationPairPrefix[sdk.AccAddress, sdk.AccAddress](h))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryDelegatorsResponse{Delegators: list, Total: q.k.GetTotalHotkeyStake(ctx, h), Pagination: page}, nil
}

func (q queryServer) Positions(ctx context.Context, req *types.QueryPositionsRequest) (*types.QueryPositionsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	c, err := q.parse("coldkey", req.Coldkey)
	if err != nil {
		return nil, err
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.Stakes.Indexes.Coldkey.Refs, req.Pagination,
		func(key collections.Pair[sdk.AccAddress, sdk.AccAddress], _ collections.NoValue) (types.StakePosition, error) {
			return types.StakePosition{Coldkey: req.Coldkey, Hotkey: key.K2().String(), Amount: q.k.GetStake(ctx, c, key.K2())}, nil
		}, query.WithCollectionPaginationPairPrefix[sdk.AccAddress, sdk.AccAddress](c))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	total, err := q.k.ColdkeyTotalStake(ctx, c)
	if err != nil {
		return nil, err
	}
	return &types.QueryPositionsResponse{Positions: list, Total: total, Pagination: page}, nil
}

func (q queryServer) Take(ctx context.Context, req *types.QueryTakeRequest) (*types.QueryTakeResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	h, err := q.parse("hotkey", req.Hotkey)
	if err != nil {
		return nil, err
	}
	last, err := q.k.TakeLastSet.Get(ctx, h)
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return nil, err
	}
	return &types.QueryTakeResponse{TakeBps: q.k.GetTake(ctx, h), LastSetHeight: last}, nil
}

func (q queryServer) Unbondings(ctx context.Context, req *types.QueryUnbondingsRequest) (*types.QueryUnbondingsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	c, err := q.parse("coldkey", req.Coldkey)
	if err != nil {
		return nil, err
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.UnbondingsByColdkey, req.Pagination,
		func(key collections.Pair[sdk.AccAddress, uint64], height int64) (types.UnbondingEntry, error) {
			return q.k.UnbondingQueue.Get(ctx, collections.Join(height, key.K2()))
		}, query.WithCollectionPaginationPairPrefix[sdk.AccAddress, uint64](c))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryUnbondingsResponse{Unbondings: list, Pagination: page}, nil
}

func (q queryServer) TotalStake(ctx context.Context, _ *types.QueryTotalStakeRequest) (*types.QueryTotalStakeResponse, error) {
	unbonding, err := q.k.getItemInt(ctx, q.k.TotalUnbonding)
	if err != nil {
		return nil, err
	}
	return &types.QueryTotalStakeResponse{TotalStake: q.k.GetTotalStake(ctx), TotalUnbonding: unbonding}, nil
}

// ColdkeyTotalStake returns the sum of a coldkey's positions over all hotkeys.
func (k *Keeper) ColdkeyTotalStake(ctx context.Context, coldkey sdk.AccAddress) (math.Int, error) {
	total := math.ZeroInt()
	iter, err := k.Stakes.Indexes.Coldkey.Refs.Iterate(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, sdk.AccAddress](coldkey))
	if err != nil {
		return math.Int{}, err
	}
	defer iter.Close()
	for ; iter.Valid(); iter.Next() {
		key, err := iter.Key()
		if err != nil {
			return math.Int{}, err
		}
		total = total.Add(k.GetStake(ctx, coldkey, key.K2()))
	}
	return total, nil
}
