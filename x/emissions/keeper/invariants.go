package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

func isNotFound(err error) bool { return errors.Is(err, collections.ErrNotFound) }

// CheckInvariants checks that the emissions module account holds exactly Σ pending pools + undistributed (every
// minted umind is either paid out or waiting in a pool).
func (k *Keeper) CheckInvariants(ctx context.Context) error {
	want, err := getItemInt(ctx, k.Undistributed)
	if err != nil {
		return err
	}
	iter, err := k.PendingPool.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	vals, err := iter.Values()
	if err != nil {
		return err
	}
	for _, v := range vals {
		if v.IsNegative() {
			return errorsmod.Wrap(types.ErrInvariantBroken, "negative pool")
		}
		want = want.Add(v)
	}
	have := k.bank.GetBalance(ctx, k.auth.GetModuleAddress(types.ModuleName), k.denom).Amount
	if !have.Equal(want) {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "module account holds %s, pools + undistributed = %s", have, want)
	}
	return nil
}

// TotalMintedAmount is every umind x/emissions has minted.
func (k *Keeper) TotalMintedAmount(ctx context.Context) (math.Int, error) {
	return getItemInt(ctx, k.TotalMinted)
}

// RegisterInvariants registers the module invariant.
func RegisterInvariants(ir sdk.InvariantRegistry, k *Keeper) {
	ir.RegisterRoute(types.ModuleName, "pools", func(ctx sdk.Context) (string, bool) {
		if err := k.CheckInvariants(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "pools", fmt.Sprint(err)), true
		}
		return "", false
	})
}
