package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

// EndBlock pays matured unbonding entries and deletes position snapshots left by replaced hotkeys, each bounded
// per block. It returns an error (halting the chain) only when the module's own state cannot be read; a single
// failing unbonding entry never makes it fail.
func (k *Keeper) EndBlock(goCtx context.Context) error {
	ctx := sdk.UnwrapSDKContext(goCtx)
	if _, err := k.ProcessMaturedUnbondings(ctx); err != nil {
		return err
	}
	_, err := k.PruneSnapshots(ctx, types.SnapshotPruneBudget)
	return err
}
