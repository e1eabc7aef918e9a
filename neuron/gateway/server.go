package gateway

import (
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
)

// HealthService is the name under which the gateway reports SERVING to the gRPC health service (its gRPC service
// name, proto/tokenmind/neuron/v1/gateway.proto); health checks such as "neuron health" ask for it.
const HealthService = "tokenmind.neuron.v1.Gateway"

// NewServer returns a gRPC server with the gateway, the health service (SERVING) and reflection. The codec handles
// both the gogoproto gateway messages and the standard health/reflection ones.
func NewServer(g *Gateway, opts ...grpc.ServerOption) (*grpc.Server, error) {
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	s := grpc.NewServer(append([]grpc.ServerOption{grpc.ForceServerCodec(cdc.GRPCCodec())}, opts...)...)
	Register(s, g)
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus(HealthService, healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(s, hs)
	reflection.Register(s)
	return s, nil
}
