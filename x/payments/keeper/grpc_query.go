package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

var _ types.QueryServer = queryServer{}

type queryServer struct {
	k *Keeper
}

// NewQueryServerImpl returns the x/payments Query service implementation.
func NewQueryServerImpl(k *Keeper) types.QueryServer {
	return queryServer{k: k}
}

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) Channel(ctx context.Context, req *types.QueryChannelRequest) (*types.QueryChannelResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	ch, err := q.k.GetChannel(ctx, req.ChannelId)
	if errorsmod.IsOf(err, types.ErrChannelNotFound) {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	if err != nil {
		return nil, err
	}
	return &types.QueryChannelResponse{Channel: ch, Balance: Balance(ch)}, nil
}

func (q queryServer) ChannelsByPayer(ctx context.Context, req *types.QueryChannelsByPayerRequest) (*types.QueryChannelsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	return q.channelsBy(ctx, q.k.ChannelsByPayer, "payer", req.Payer, req.Pagination)
}

func (q queryServer) ChannelsByGateway(ctx context.Context, req *types.QueryChannelsByGatewayRequest) (*types.QueryChannelsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	return q.channelsBy(ctx, q.k.ChannelsByGateway, "gateway", req.Gateway, req.Pagination)
}

// channelsBy pages through one index (address, id) and loads each channel.
func (q queryServer) channelsBy(ctx context.Context, idx collections.KeySet[collections.Pair[sdk.AccAddress, uint64]],
	field, addr string, page *query.PageRequest,
) (*types.QueryChannelsResponse, error) {
	a, err := q.k.addr(field, addr)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	chans, pageRes, err := query.CollectionPaginate(ctx, idx, page,
		func(key collections.Pair[sdk.AccAddress, uint64], _ collections.NoValue) (types.Channel, error) {
			return q.k.Channels.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, uint64](a))
	if err != nil {
		return nil, err
	}
	return &types.QueryChannelsResponse{Channels: chans, Pagination: pageRes}, nil
}

func (q queryServer) Revenue(ctx context.Context, req *types.QueryRevenueRequest) (*types.QueryRevenueResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, err := q.k.getSubnet(ctx, req.Netuid); err != nil {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	r, err := q.k.GetRevenue(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	return &types.QueryRevenueResponse{Revenue: r}, nil
}

func (q queryServer) AccessRule(ctx context.Context, req *types.QueryAccessRuleRequest) (*types.QueryAccessRuleResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	subnet, err := q.k.getSubnet(ctx, req.Netuid)
	if err != nil {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	r, err := q.k.GetAccessRule(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	return &types.QueryAccessRuleResponse{Rule: r, Unit: types.PriceUnit(subnet.Identity.TaskKind)}, nil
}
