package types

import errorsmod "cosmossdk.io/errors"

// x/payments errors. Codes start at 2 (1 is reserved for internal errors) and must be unique (tested).
var (
	ErrInvalidAddress        = errorsmod.Register(ModuleName, 2, "invalid address")
	ErrInvalidAmount         = errorsmod.Register(ModuleName, 3, "invalid amount")
	ErrInvalidParams         = errorsmod.Register(ModuleName, 4, "invalid params")
	ErrInvalidGenesis        = errorsmod.Register(ModuleName, 5, "invalid genesis")
	ErrSubnetNotFound        = errorsmod.Register(ModuleName, 6, "subnet not found")
	ErrGatewayNotRegistered  = errorsmod.Register(ModuleName, 7, "gateway hotkey is not registered on the subnet")
	ErrGatewayNotValidator   = errorsmod.Register(ModuleName, 8, "gateway hotkey is not a validator of the subnet")
	ErrBelowMinDeposit       = errorsmod.Register(ModuleName, 9, "deposit below the subnet's minimum deposit")
	ErrInsufficientFunds     = errorsmod.Register(ModuleName, 10, "insufficient funds")
	ErrChannelNotFound       = errorsmod.Register(ModuleName, 11, "channel not found")
	ErrNotChannelPayer       = errorsmod.Register(ModuleName, 12, "signer is not the channel's payer")
	ErrNotChannelGateway     = errorsmod.Register(ModuleName, 13, "signer is not the channel's gateway")
	ErrChannelClosing        = errorsmod.Register(ModuleName, 14, "channel is closing")
	ErrVoucherNotNewer       = errorsmod.Register(ModuleName, 15, "voucher does not exceed what was already claimed")
	ErrVoucherExceedsDeposit = errorsmod.Register(ModuleName, 16, "voucher exceeds the channel's deposit")
	ErrInvalidVoucher        = errorsmod.Register(ModuleName, 17, "invalid voucher signature")
	ErrPayerPubKeyUnknown    = errorsmod.Register(ModuleName, 18, "payer public key unknown")
	ErrClaimRateLimited      = errorsmod.Register(ModuleName, 19, "claim rate limited")
	ErrNotSubnetOwner        = errorsmod.Register(ModuleName, 20, "signer is not the subnet owner")
	ErrInvalidAccessRule     = errorsmod.Register(ModuleName, 21, "invalid access rule")
	ErrMalformedVoucher      = errorsmod.Register(ModuleName, 22, "malformed voucher")
	ErrInvariantBroken       = errorsmod.Register(ModuleName, 23, "payments invariant broken")
)

// AllErrors lists every registered error, for the code uniqueness test.
var AllErrors = []*errorsmod.Error{
	ErrInvalidAddress, ErrInvalidAmount, ErrInvalidParams, ErrInvalidGenesis, ErrSubnetNotFound,
	ErrGatewayNotRegistered, ErrGatewayNotValidator, ErrBelowMinDeposit, ErrInsufficientFunds, ErrChannelNotFound,
	ErrNotChannelPayer, ErrNotChannelGateway, ErrChannelClosing, ErrVoucherNotNewer, ErrVoucherExceedsDeposit,
	ErrInvalidVoucher, ErrPayerPubKeyUnknown, ErrClaimRateLimited, ErrNotSubnetOwner, ErrInvalidAccessRule,
	ErrMalformedVoucher, ErrInvariantBroken,
}
