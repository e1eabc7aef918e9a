package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// EndBlocker pays matured unbonding entries, bounded per block. It returns an error (halting the chain) only when
// the module's own state cannot be read; a single failing entry never makes it fail.
func (k *Keeper) EndBlocker(goCtx context.Context) error {
	_, err := k.ProcessMaturedUnbondings(sdk.UnwrapSDKContext(goCtx))
	return err
}
