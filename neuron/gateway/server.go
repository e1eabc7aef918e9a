package gateway

import (
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
)

// NewServer returns a gRPC server with the gateway, the health service (SERVING) and reflection. The codec handles
// both the gogoproto gateway messages and the standard health/reflection ones.
func NewServer(g *Gateway, opts ...grpc.ServerOption) (*grpc.Server, error) {
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	s := grpc.NewServer(append([]grpc.ServerOption{grpc.ForceServerCodec(cdc.GRPCCodec())}, opts...)...)
	Register(s, g)
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus("tokenmind.neuron.v1.Gateway", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(s, hs)
	reflection.Register(s)
	return s, nil
}
