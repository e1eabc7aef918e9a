package subnets

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// AutoCLIOptions generates `tokenmindd q subnets ...` and `tokenmindd tx subnets ...` from the proto services.
// CreateSubnet (identity flags), RegisterNeuron (two signers) and SetHyperparameters (read-modify-write) have
// hand-written commands in client/cli, and so do the queries whose output shows zero values or a table (metagraph,
// immunity, hotkey, neuron, neuron-by-hotkey): autocli's printer omits zero fields such as uid 0.
func (am AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Query_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the module parameters"},
				{RpcMethod: "Subnets", Use: "subnets", Short: "List subnets"},
				{
					RpcMethod: "Subnet", Use: "subnet [netuid]", Short: "Show a subnet and its hyperparameters",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}},
				},
				{RpcMethod: "Neuron", Skip: true},         // client/cli
				{RpcMethod: "NeuronByHotkey", Skip: true}, // client/cli
				{RpcMethod: "HotkeySubnets", Skip: true},  // client/cli
				{RpcMethod: "Metagraph", Skip: true},      // client/cli
				{
					RpcMethod: "RegistrationPrice", Use: "price [netuid]", Short: "Show the current registration price (umind)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}},
				},
				{RpcMethod: "Immunity", Skip: true}, // client/cli
				{RpcMethod: "SubnetCreationCost", Use: "creation-cost", Short: "Show what creating a subnet costs now (umind)"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "CreateSubnet", Skip: true},
				{
					RpcMethod: "Serve", Use: "serve [netuid] [multiaddr,...]", Short: "Publish where a hotkey serves (sign with --from HOTKEY)",
					Long:           "Flags: --task, --model, --model-version, --protocol-version. Fee-free for registered hotkeys within serving_rate_limit.",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}, {ProtoField: "multiaddrs", Varargs: true}},
				},
				{RpcMethod: "RegisterNeuron", Skip: true},
				{RpcMethod: "SetHyperparameters", Skip: true},
				{RpcMethod: "SetWeights", Skip: true},
				{RpcMethod: "CommitWeights", Skip: true},
				{RpcMethod: "RevealWeights", Skip: true},
				{RpcMethod: "UpdateParams", Skip: true, GovProposal: true},
			},
		},
	}
}
