package app

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	stakekeeper "github.com/tokenmind/tokenmind/x/stake/keeper"
)

// stakeNeuronHooks lets x/stake forget the epoch-stake snapshot of a hotkey whose UID was replaced, so a hotkey
// that registers again later starts from zero counted stake, like any newcomer.
type stakeNeuronHooks struct{ stake *stakekeeper.Keeper }

func (h stakeNeuronHooks) AfterNeuronReplaced(ctx context.Context, netuid, _ uint32, oldHotkey, _ sdk.AccAddress) error {
	return h.stake.ClearEpochStake(ctx, netuid, oldHotkey)
}
