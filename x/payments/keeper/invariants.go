package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

// CheckInvariants checks the module's accounting:
//   - the module account holds exactly Σ (deposit - claimed) over all channels (open or in their settlement window);
//   - every channel has 0 <= claimed <= deposit, both indexes, and a settlement queue entry exactly when closed;
//   - every revenue record sums: gateway + owner + burned + pool == paid.
func (k *Keeper) CheckInvariants(ctx context.Context) error {
	want := math.ZeroInt()
	iter, err := k.Channels.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	chans, err := iter.Values()
	if err != nil {
		return err
	}
	for _, ch := range chans {
		if ch.Claimed.IsNegative() || ch.Claimed.GT(ch.Deposit) {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "channel %d: claimed %s outside [0, deposit %s]", ch.Id, ch.Claimed, ch.Deposit)
		}
		want = want.Add(Balance(ch))
		payer, gateway, err := k.channelAddrs(ch)
		if err != nil {
			return err
		}
		if ok, err := k.ChannelsByPayer.Has(ctx, collections.Join(payer, ch.Id)); err != nil || !ok {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "channel %d missing from the payer index (%v)", ch.Id, err)
		}
		if ok, err := k.ChannelsByGateway.Has(ctx, collections.Join(gateway, ch.Id)); err != nil || !ok {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "channel %d missing from the gateway index (%v)", ch.Id, err)
		}
		queued, err := k.SettleQueue.Has(ctx, collections.Join(ch.SettlesAt, ch.Id))
		if err != nil {
			return err
		}
		if queued != (ch.ClosedAt != 0) {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "channel %d: closed_at %d but queued for settlement = %v", ch.Id, ch.ClosedAt, queued)
		}
	}
	for _, idx := range []struct {
		name string
		set  collections.KeySet[collections.Pair[sdk.AccAddress, uint64]]
	}{{"payer", k.ChannelsByPayer}, {"gateway", k.ChannelsByGateway}} {
		n, err := countKeys(ctx, idx.set)
		if err != nil {
			return err
		}
		if n != len(chans) {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "%s index has %d entries for %d channels", idx.name, n, len(chans))
		}
	}
	have := k.bankKeeper.GetBalance(ctx, k.accountKeeper.GetModuleAddress(types.ModuleName), k.denom).Amount
	if !have.Equal(want) {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "module account holds %s%s, channels hold %s%s", have, k.denom, want, k.denom)
	}
	riter, err := k.Revenues.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	revs, err := riter.Values()
	if err != nil {
		return err
	}
	for _, r := range revs {
		if !r.Gateway.Add(r.Owner).Add(r.Burned).Add(r.Pool).Equal(r.Paid) {
			return errorsmod.Wrapf(types.ErrInvariantBroken, "revenue of subnet %d: shares do not sum to paid %s", r.Netuid, r.Paid)
		}
	}
	return nil
}

func countKeys(ctx context.Context, ks collections.KeySet[collections.Pair[sdk.AccAddress, uint64]]) (int, error) {
	iter, err := ks.Iterate(ctx, nil)
	if err != nil {
		return 0, err
	}
	keys, err := iter.Keys()
	return len(keys), err
}

// RegisterInvariants registers the module invariant.
func RegisterInvariants(ir sdk.InvariantRegistry, k *Keeper) {
	ir.RegisterRoute(types.ModuleName, "escrow", func(ctx sdk.Context) (string, bool) {
		if err := k.CheckInvariants(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "escrow", fmt.Sprint(err)), true
		}
		return "", false
	})
}
