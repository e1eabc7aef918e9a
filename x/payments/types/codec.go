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
	cdc.RegisterConcrete(Params{}, "tokenmind/payments/Params", nil)
	legacy.RegisterAminoMsg(cdc, &MsgOpenChannel{}, "tokenmind/payments/MsgOpenChannel")
	legacy.RegisterAminoMsg(cdc, &MsgTopUpChannel{}, "tokenmind/payments/MsgTopUpChannel")
	legacy.RegisterAminoMsg(cdc, &MsgCloseChannel{}, "tokenmind/payments/MsgCloseChannel")
	legacy.RegisterAminoMsg(cdc, &MsgClaim{}, "tokenmind/payments/MsgClaim")
	legacy.RegisterAminoMsg(cdc, &MsgSetAccessRule{}, "tokenmind/payments/MsgSetAccessRule")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "tokenmind/payments/MsgUpdateParams")
}

// RegisterInterfaces registers the module's Msgs and Msg service.
func RegisterInterfaces(registry cdctypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgOpenChannel{}, &MsgTopUpChannel{}, &MsgCloseChannel{}, &MsgClaim{}, &MsgSetAccessRule{}, &MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
