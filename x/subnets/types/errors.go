package types

import "cosmossdk.io/errors"

// Registered errors of x/subnets. Codes start at 2 (1 is the SDK's internal error) and must stay unique and stable.
var (
	ErrInvalidParams           = errors.Register(ModuleName, 2, "invalid params")
	ErrInvalidHyperparameters  = errors.Register(ModuleName, 3, "invalid hyperparameters")
	ErrSubnetNotFound          = errors.Register(ModuleName, 4, "subnet not found")
	ErrNotSubnetOwner          = errors.Register(ModuleName, 5, "signer is not the subnet owner")
	ErrTooManySubnets          = errors.Register(ModuleName, 6, "maximum number of subnets reached")
	ErrCostAboveLimit          = errors.Register(ModuleName, 7, "cost is above the limit you set")
	ErrInsufficientFunds       = errors.Register(ModuleName, 8, "insufficient funds")
	ErrRegistrationDisabled    = errors.Register(ModuleName, 9, "registration is disabled on this subnet")
	ErrHotkeyAlreadyRegistered = errors.Register(ModuleName, 10, "hotkey is already registered on this subnet")
	ErrHotkeyOwnedByOther      = errors.Register(ModuleName, 11, "hotkey belongs to another coldkey")
	ErrSubnetFullAllImmune     = errors.Register(ModuleName, 12, "subnet is full and every neuron is immune")
	ErrNotRegistered           = errors.Register(ModuleName, 13, "hotkey is not registered on this subnet")
	ErrRateLimited             = errors.Register(ModuleName, 14, "rate limited")
	ErrInvalidServingInfo      = errors.Register(ModuleName, 15, "invalid serving info")
	ErrTaskMismatch            = errors.Register(ModuleName, 16, "task does not match the subnet's task kind")
	ErrInvalidIdentity         = errors.Register(ModuleName, 17, "invalid subnet identity")
	ErrInvalidAddress          = errors.Register(ModuleName, 18, "invalid address")
	ErrHotkeyIsColdkey         = errors.Register(ModuleName, 19, "hotkey must differ from coldkey")
	ErrUidNotFound             = errors.Register(ModuleName, 20, "uid not found")
	ErrCannotShrinkSubnet      = errors.Register(ModuleName, 21, "max_allowed_uids below the current number of neurons")
	ErrWeightsLengthMismatch   = errors.Register(ModuleName, 22, "uids and values have different lengths")
	ErrNoValidatorPermit       = errors.Register(ModuleName, 23, "hotkey has no validator permit")
	ErrWeightsVersionTooLow    = errors.Register(ModuleName, 24, "weights version key is below the subnet's")
	ErrDuplicateUids           = errors.Register(ModuleName, 25, "duplicate uids in weights")
	ErrInvalidUid              = errors.Register(ModuleName, 26, "uid does not exist on this subnet")
	ErrTooFewWeights           = errors.Register(ModuleName, 27, "fewer weights than min_allowed_weights")
	ErrMaxWeightExceeded       = errors.Register(ModuleName, 28, "a weight exceeds max_weight_limit")
	ErrCommitRevealEnabled     = errors.Register(ModuleName, 29, "subnet uses commit-reveal: commit then reveal your weights")
	ErrCommitRevealDisabled    = errors.Register(ModuleName, 30, "subnet does not use commit-reveal: set weights directly")
	ErrTooManyCommits          = errors.Register(ModuleName, 31, "too many pending weight commits")
	ErrCommitNotFound          = errors.Register(ModuleName, 32, "no pending commit matches")
	ErrRevealTooEarly          = errors.Register(ModuleName, 33, "reveal is too early")
	ErrRevealTooLate           = errors.Register(ModuleName, 34, "reveal is too late: the commit expired")
	ErrInvalidCommitHash       = errors.Register(ModuleName, 35, "invalid commit hash")
	ErrTooManyWeights          = errors.Register(ModuleName, 36, "more weights than neurons on the subnet")
	ErrRevealHashMismatch      = errors.Register(ModuleName, 37, "no pending commit matches these weights, salt and version key; reveal exactly what you committed")
	ErrMultiaddrInUse          = errors.Register(ModuleName, 38, "multiaddr is already served by another neuron on this subnet")
	ErrInvalidGenesis          = errors.Register(ModuleName, 39, "invalid genesis")
)

// AllErrors lists every registered error, for the code uniqueness test.
var AllErrors = []*errors.Error{
	ErrInvalidParams, ErrInvalidHyperparameters, ErrSubnetNotFound, ErrNotSubnetOwner, ErrTooManySubnets,
	ErrCostAboveLimit, ErrInsufficientFunds, ErrRegistrationDisabled, ErrHotkeyAlreadyRegistered,
	ErrHotkeyOwnedByOther, ErrSubnetFullAllImmune, ErrNotRegistered, ErrRateLimited, ErrInvalidServingInfo,
	ErrTaskMismatch, ErrInvalidIdentity, ErrInvalidAddress, ErrHotkeyIsColdkey, ErrUidNotFound,
	ErrCannotShrinkSubnet, ErrWeightsLengthMismatch, ErrNoValidatorPermit, ErrWeightsVersionTooLow,
	ErrDuplicateUids, ErrInvalidUid, ErrTooFewWeights, ErrMaxWeightExceeded, ErrCommitRevealEnabled,
	ErrCommitRevealDisabled, ErrTooManyCommits, ErrCommitNotFound, ErrRevealTooEarly, ErrRevealTooLate,
	ErrInvalidCommitHash, ErrTooManyWeights, ErrRevealHashMismatch, ErrMultiaddrInUse, ErrInvalidGenesis,
}
