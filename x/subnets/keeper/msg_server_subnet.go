package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// SubnetCreationCost is what creating a subnet costs at the current height (see types.SubnetCreationCost).
func (k *Keeper) SubnetCreationCost(ctx context.Context) (math.Int, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	last, err := k.LastSubnetCost.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	lastAt, err := k.LastSubnetCreated.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	return types.SubnetCreationCost(params.SubnetMinCost, last, lastAt, blockHeight(ctx), params.SubnetCostReductionInterval), nil
}

// burnFrom moves amount umind from addr to the module account and burns it.
func (k *Keeper) burnFrom(ctx context.Context, addr sdk.AccAddress, amount math.Int, what string) error {
	if !amount.IsPositive() {
		return nil
	}
	bal := k.bank.GetBalance(ctx, addr, sdk.DefaultBondDenom)
	if bal.Amount.LT(amount) {
		return errorsmod.Wrapf(types.ErrInsufficientFunds, "%s costs %s%s but %s holds %s; send it at least %s%s more and retry",
			what, amount, sdk.DefaultBondDenom, addr, bal, amount.Sub(bal.Amount), sdk.DefaultBondDenom)
	}
	coins := sdk.NewCoins(sdk.NewCoin(sdk.DefaultBondDenom, amount))
	if err := k.bank.SendCoinsFromAccountToModule(ctx, addr, types.ModuleName, coins); err != nil {
		return err
	}
	return k.bank.BurnCoins(ctx, types.ModuleName, coins)
}

// CreateSubnet burns the creation cost and creates a subnet with the default hyperparameters.
func (ms msgServer) CreateSubnet(goCtx context.Context, msg *types.MsgCreateSubnet) (*types.MsgCreateSubnetResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	ctx := sdk.UnwrapSDKContext(goCtx)
	owner := sdk.MustAccAddressFromBech32(msg.Owner)
	params, err := ms.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	count, err := ms.countSubnets(ctx)
	if err != nil {
		return nil, err
	}
	if count >= params.MaxSubnets {
		return nil, errorsmod.Wrapf(types.ErrTooManySubnets, "%d of %d exist; governance can raise max_subnets", count, params.MaxSubnets)
	}
	cost, err := ms.SubnetCreationCost(ctx)
	if err != nil {
		return nil, err
	}
	if msg.MaxCost.IsPositive() && cost.GT(msg.MaxCost) {
		return nil, errorsmod.Wrapf(types.ErrCostAboveLimit, "creating a subnet costs %s umind now, your max is %s; the cost falls back to %s over %d blocks", cost, msg.MaxCost, params.SubnetMinCost, params.SubnetCostReductionInterval)
	}
	if err := ms.burnFrom(ctx, owner, cost, "creating a subnet"); err != nil {
		return nil, err
	}
	netuid64, err := ms.NextNetuid.Next(ctx)
	if err != nil {
		return nil, err
	}
	if netuid64 == 0 { // netuids start at 1
		if netuid64, err = ms.NextNetuid.Next(ctx); err != nil {
			return nil, err
		}
	}
	netuid := uint32(netuid64)
	hp := params.DefaultHyperparameters
	subnet := types.Subnet{
		Netuid:          netuid,
		Owner:           msg.Owner,
		Identity:        msg.Identity,
		Hyperparameters: hp,
		CreatedAt:       blockHeight(ctx),
		Burn:            types.ClampBurn(params.InitialBurn, hp.MinBurn, hp.MaxBurn),
		BurnDecayQ32:    types.BurnDecayFactorQ32(hp.BurnHalfLife),
		Locked:          cost,
	}
	if err := ms.Subnets.Set(ctx, netuid, subnet); err != nil {
		return nil, err
	}
	if err := ms.LastSubnetCost.Set(ctx, cost); err != nil {
		return nil, err
	}
	if err := ms.LastSubnetCreated.Set(ctx, blockHeight(ctx)); err != nil {
		return nil, err
	}
	if err := ctx.EventManager().EmitTypedEvent(&types.EventSubnetCreated{
		Netuid: netuid, Owner: msg.Owner, Cost: cost, Identity: msg.Identity,
	}); err != nil {
		return nil, err
	}
	return &types.MsgCreateSubnetResponse{Netuid: netuid, Cost: cost}, nil
}

func (k *Keeper) countSubnets(ctx context.Context) (uint32, error) {
	iter, err := k.Subnets.Iterate(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer iter.Close()
	var n uint32
	for ; iter.Valid(); iter.Next() {
		n++
	}
	return n, nil
}

// SetHyperparameters replaces a subnet's hyperparameters within the governance bounds. A tempo change is deferred
// to the next epoch boundary (pending_tempo); everything else applies at once.
func (ms msgServer) SetHyperparameters(goCtx context.Context, msg *types.MsgSetHyperparameters) (*types.MsgSetHyperparametersResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	ctx := sdk.UnwrapSDKContext(goCtx)
	subnet, err := ms.GetSubnet(ctx, msg.Netuid)
	if err != nil {
		return nil, err
	}
	if subnet.Owner != msg.Owner {
		return nil, errorsmod.Wrapf(types.ErrNotSubnetOwner, "subnet %d is owned by %s", msg.Netuid, subnet.Owner)
	}
	params, err := ms.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	now := blockHeight(ctx)
	if subnet.HyperparametersUpdatedAt > 0 && now < subnet.HyperparametersUpdatedAt+params.HyperparametersRateLimit {
		return nil, errorsmod.Wrapf(types.ErrRateLimited, "hyperparameters of subnet %d may change again at height %d",
			msg.Netuid, subnet.HyperparametersUpdatedAt+params.HyperparametersRateLimit)
	}
	hp := msg.Hyperparameters
	if err := hp.ValidateWithin(params.MinHyperparameters, params.MaxHyperparameters); err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidHyperparameters, err.Error())
	}
	if hp.MaxAllowedUids < subnet.N {
		return nil, errorsmod.Wrapf(types.ErrCannotShrinkSubnet, "subnet %d has %d neurons, max_allowed_uids %d is lower",
			msg.Netuid, subnet.N, hp.MaxAllowedUids)
	}
	if hp.Tempo != subnet.Hyperparameters.Tempo {
		subnet.PendingTempo = hp.Tempo
		hp.Tempo = subnet.Hyperparameters.Tempo
	}
	if hp.BurnHalfLife != subnet.Hyperparameters.BurnHalfLife {
		subnet.BurnDecayQ32 = types.BurnDecayFactorQ32(hp.BurnHalfLife)
	}
	subnet.Hyperparameters = hp
	subnet.Burn = types.ClampBurn(subnet.Burn, hp.MinBurn, hp.MaxBurn)
	subnet.HyperparametersUpdatedAt = now
	if err := ms.Subnets.Set(ctx, msg.Netuid, subnet); err != nil {
		return nil, err
	}
	if err := ctx.EventManager().EmitTypedEvent(&types.EventHyperparametersSet{
		Netuid: msg.Netuid, Hyperparameters: msg.Hyperparameters,
	}); err != nil {
		return nil, err
	}
	return &types.MsgSetHyperparametersResponse{}, nil
}
