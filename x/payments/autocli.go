package payments

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

// AutoCLIOptions describes the tx and query commands. In tx commands the signer comes from --from: the payer for
// channels, the gateway hotkey for claims, the subnet owner for access rules.
func (am AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the x/payments params"},
				{
					RpcMethod:      "Channel",
					Use:            "channel [channel-id]",
					Short:          "Show a payment channel and what it still holds",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "channel_id"}},
				},
				{
					RpcMethod:      "ChannelsByPayer",
					Use:            "channels-by-payer [payer]",
					Short:          "List a payer's channels",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "payer"}},
				},
				{
					RpcMethod:      "ChannelsByGateway",
					Use:            "channels-by-gateway [gateway-hotkey]",
					Short:          "List the channels paying a gateway hotkey",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "gateway"}},
				},
				{
					RpcMethod:      "Revenue",
					Use:            "revenue [netuid]",
					Short:          "Show what users paid a subnet and where it went (gateway, owner, burned, pool)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}},
				},
				{
					RpcMethod:      "AccessRule",
					Use:            "access-rule [netuid]",
					Short:          "Show a subnet's access rule, price and price unit",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}},
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod:      "OpenChannel",
					Use:            "open-channel [netuid] [gateway-hotkey] [deposit]",
					Short:          "Lock a deposit (umind) for paid queries through a validator's gateway on a subnet",
					Example:        "tokenmindd tx payments open-channel 1 mind1gateway... 10000000 --from user",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}, {ProtoField: "gateway_hotkey"}, {ProtoField: "deposit"}},
				},
				{
					RpcMethod:      "TopUpChannel",
					Use:            "top-up [channel-id] [amount]",
					Short:          "Add umind to an open channel",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "channel_id"}, {ProtoField: "amount"}},
				},
				{
					RpcMethod:      "CloseChannel",
					Use:            "close-channel [channel-id]",
					Short:          "Close a channel: the gateway may claim for settle_blocks more, then the rest returns to you",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "channel_id"}},
				},
				{
					RpcMethod: "Claim",
					Use:       "claim [channel-id] [cumulative-amount] [signature-hex-or-base64]",
					Short:     "Claim a payer's cumulative voucher from the gateway hotkey (fee-free while registered)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "channel_id"}, {ProtoField: "cumulative_amount"}, {ProtoField: "signature"},
					},
				},
				{
					RpcMethod: "SetAccessRule",
					Use:       "set-access-rule [netuid] [paid] [query-price] [min-deposit]",
					Short:     "Make a subnet you own free or paid (price in umind per unit of its task)",
					Example:   "tokenmindd tx payments set-access-rule 1 true 1000 100000 --from owner",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "netuid"}, {ProtoField: "paid"}, {ProtoField: "query_price"}, {ProtoField: "min_deposit"},
					},
				},
				{
					RpcMethod:      "UpdateParams",
					GovProposal:    true,
					Use:            "update-params-proposal [params]",
					Short:          "Submit a governance proposal to change the x/payments params",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "params"}},
				},
			},
		},
	}
}
