package types

import (
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// CountedPosition is the part of one coldkey's position on a hotkey that counts at a subnet's epoch.
type CountedPosition struct {
	Coldkey sdk.AccAddress
	Amount  math.Int
}

// CountedStake is what counts of one hotkey's stake at a subnet's epoch: the positions that count (coldkey byte
// order, positive amounts only) and their sum, which is the hotkey's stake in the epoch.
type CountedStake struct {
	Total     math.Int
	Positions []CountedPosition
}

// EmissionCredit is one amount x/emissions stakes on hotkey for coldkey at an epoch (see AddStakesFromEmission).
type EmissionCredit struct {
	Coldkey sdk.AccAddress
	Hotkey  sdk.AccAddress
	Amount  math.Int
}
