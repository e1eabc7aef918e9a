package emissions

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

// AutoCLIOptions generates `tokenmindd q emissions ...` from the query service. The only Msg is governance's.
func (am AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the emission parameters"},
				{
					RpcMethod: "PendingPool", Use: "pool [netuid]", Short: "Show what a subnet's next epoch distributes (umind)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}},
				},
				{
					RpcMethod: "NextEpoch", Use: "next-epoch [netuid]", Short: "Show when a subnet's next epoch runs",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}},
				},
				{RpcMethod: "Schedule", Use: "schedule", Short: "Show the current block emission, next halving and total minted"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "UpdateParams", Skip: true, GovProposal: true},
			},
		},
	}
}
