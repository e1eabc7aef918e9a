package types

import "cosmossdk.io/errors"

// Registered errors of x/emissions (codes from 2, unique and stable).
var (
	ErrInvalidParams   = errors.Register(ModuleName, 2, "invalid params")
	ErrInvariantBroken = errors.Register(ModuleName, 3, "emissions invariant broken")
	ErrEpochFailed     = errors.Register(ModuleName, 4, "subnet epoch failed")
	ErrUnknownSubnet   = errors.Register(ModuleName, 5, "subnet not scheduled")
	ErrInvalidGenesis  = errors.Register(ModuleName, 6, "invalid genesis")
	ErrInvalidAddress  = errors.Register(ModuleName, 7, "invalid address")
)

// AllErrors lists every registered error, for the code uniqueness test.
var AllErrors = []*errors.Error{
	ErrInvalidParams, ErrInvariantBroken, ErrEpochFailed, ErrUnknownSubnet, ErrInvalidGenesis, ErrInvalidAddress,
}
