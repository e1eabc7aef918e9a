package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	cdctypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the amino names of the module's Msgs (for ledger signing).
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(Params{}, "tokenmind/stake/Params", nil)
	legacy.RegisterAminoMsg(cdc, &MsgAddStake{}, "tokenmind/stake/MsgAddStake")
	legacy.RegisterAminoMsg(cdc, &MsgRemoveStake{}, "tokenmind/stake/MsgRemoveStake")
	legacy.RegisterAminoMsg(cdc, &MsgMoveStake{}, "tokenmind/stake/MsgMoveStake")
	legacy.RegisterAminoMsg(cdc, &MsgSetTake{}, "tokenmind/stake/MsgSetTake")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "tokenmind/stake/MsgUpdateParams")
}

// RegisterInterfaces registers the module's Msgs and Msg service.
func RegisterInterfaces(registry cdctypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgAddStake{}, &MsgRemoveStake{}, &MsgMoveStake{}, &MsgSetTake{}, &MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
