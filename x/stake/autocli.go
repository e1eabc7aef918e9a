package stake

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// AutoCLIOptions describes the tx and query commands. In tx commands the coldkey (the signer) comes from --from.
// Amounts take umind or MIND ("1000000", "1000000umind", "1MIND"): tokenmindd gives every cosmos.Int field the
// amount flag type of internal/cliutil.
func (am AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Query_serviceDesc.ServiceName,
			EnhanceCustomCommand: true, // beside `overview` (client/cli)
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the x/stake params"},
				{
					RpcMethod:      "Stake",
					Use:            "stake [coldkey] [hotkey]",
					Short:          "Show what a coldkey has staked to a hotkey",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "coldkey"}, {ProtoField: "hotkey"}},
				},
				{
					RpcMethod:      "Delegators",
					Use:            "delegators [hotkey]",
					Short:          "List the coldkeys staked to a hotkey and its total stake",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "hotkey"}},
				},
				{
					RpcMethod:      "Positions",
					Use:            "positions [coldkey]",
					Short:          "List a coldkey's stake positions and their total",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "coldkey"}},
				},
				{
					RpcMethod:      "Take",
					Use:            "take [hotkey]",
					Short:          "Show a hotkey's take (basis points)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "hotkey"}},
				},
				{
					RpcMethod:      "Unbondings",
					Use:            "unbondings [coldkey]",
					Short:          "List a coldkey's pending unbondings",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "coldkey"}},
				},
				{RpcMethod: "TotalStake", Use: "total", Short: "Show the chain's total stake and total unbonding"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod:      "AddStake",
					Use:            "add [hotkey] [amount]",
					Short:          "Stake from the --from coldkey to a registered hotkey (amount in umind or MIND: 1000000, 1000000umind, 1MIND)",
					Example:        "tokenmindd tx stake add mind1... 1000000 --from alice\ntokenmindd tx stake add validator1 1.5MIND --from alice",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "hotkey"}, {ProtoField: "amount"}},
				},
				{
					RpcMethod:      "RemoveStake",
					Use:            "remove [hotkey] [amount]",
					Short:          "Unstake from a hotkey (umind or MIND); it is paid back after unbonding_blocks",
					Example:        "tokenmindd tx stake remove mind1... 500000 --from alice",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "hotkey"}, {ProtoField: "amount"}},
				},
				{
					RpcMethod: "MoveStake",
					Use:       "move [from-hotkey] [to-hotkey] [amount]",
					Short:     "Move stake of the --from coldkey between two hotkeys, without unbonding",
					Example:   "tokenmindd tx stake move mind1from... mind1to... 500000 --from alice",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "from_hotkey"}, {ProtoField: "to_hotkey"}, {ProtoField: "amount"},
					},
				},
				{
					RpcMethod:      "SetTake",
					Use:            "set-take [hotkey] [take-bps]",
					Short:          "Set the take of a hotkey you own, in basis points (1800 = 18%)",
					Example:        "tokenmindd tx stake set-take mind1... 1500 --from owner",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "hotkey"}, {ProtoField: "take_bps"}},
				},
				{
					RpcMethod:      "UpdateParams",
					GovProposal:    true,
					Use:            "update-params-proposal [params]",
					Short:          "Submit a governance proposal to change the x/stake params",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "params"}},
				},
			},
		},
	}
}
