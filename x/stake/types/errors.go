package types

import errorsmod "cosmossdk.io/errors"

// x/stake errors. Codes start at 2 (1 is reserved for internal errors) and must be unique (tested).
var (
	ErrInvalidAddress        = errorsmod.Register(ModuleName, 2, "invalid address")
	ErrInvalidAmount         = errorsmod.Register(ModuleName, 3, "invalid amount")
	ErrBelowMinStake         = errorsmod.Register(ModuleName, 4, "amount below the minimum stake")
	ErrHotkeyNotRegistered   = errorsmod.Register(ModuleName, 5, "hotkey is not registered on any subnet")
	ErrInsufficientStake     = errorsmod.Register(ModuleName, 6, "insufficient stake")
	ErrInsufficientFunds     = errorsmod.Register(ModuleName, 7, "insufficient funds")
	ErrSameHotkey            = errorsmod.Register(ModuleName, 8, "from and to hotkey are the same")
	ErrNotHotkeyOwner        = errorsmod.Register(ModuleName, 9, "signer does not own the hotkey")
	ErrTakeOutOfBounds       = errorsmod.Register(ModuleName, 10, "take out of bounds")
	ErrTakeRateLimited       = errorsmod.Register(ModuleName, 11, "take changed too recently")
	ErrInvalidParams         = errorsmod.Register(ModuleName, 12, "invalid params")
	ErrInvalidGenesis        = errorsmod.Register(ModuleName, 13, "invalid genesis")
	ErrSubnetsKeeperNotSet   = errorsmod.Register(ModuleName, 14, "subnets keeper not set")
	ErrModuleBalanceMismatch = errorsmod.Register(ModuleName, 15, "stake module account balance does not match stake plus unbonding")
	ErrTotalsMismatch        = errorsmod.Register(ModuleName, 16, "stake totals are inconsistent")
	ErrTakeUnchanged         = errorsmod.Register(ModuleName, 17, "take unchanged")
)

// AllErrors lists every registered error, for the code uniqueness test.
var AllErrors = []*errorsmod.Error{
	ErrInvalidAddress, ErrInvalidAmount, ErrBelowMinStake, ErrHotkeyNotRegistered, ErrInsufficientStake,
	ErrInsufficientFunds, ErrSameHotkey, ErrNotHotkeyOwner, ErrTakeOutOfBounds, ErrTakeRateLimited,
	ErrInvalidParams, ErrInvalidGenesis, ErrSubnetsKeeperNotSet, ErrModuleBalanceMismatch, ErrTotalsMismatch,
	ErrTakeUnchanged,
}
