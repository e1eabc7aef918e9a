package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

// checkedClaim is what checkClaim establishes about a claim.
type checkedClaim struct {
	ch       types.Channel
	gateway  sdk.AccAddress
	increase math.Int
	params   types.Params
}

// checkClaim runs every check of MsgClaim without writing anything: the signer is the channel's gateway, the
// channel is still claimable, the rate limit has passed, the voucher promises more than was claimed and no more
// than the deposit, and it carries the payer's signature over this chain, this channel, this gateway and this
// amount (one secp256k1 verification against the payer's key in x/auth).
func (k *Keeper) checkClaim(ctx context.Context, msg *types.MsgClaim) (checkedClaim, error) {
	if err := msg.ValidateBasic(); err != nil {
		return checkedClaim{}, err
	}
	gateway, err := k.addr("gateway_hotkey", msg.GatewayHotkey)
	if err != nil {
		return checkedClaim{}, err
	}
	ch, err := k.GetChannel(ctx, msg.ChannelId)
	if err != nil {
		return checkedClaim{}, err
	}
	chGateway, err := k.addr("gateway", ch.Gateway)
	if err != nil {
		return checkedClaim{}, err
	}
	if !gateway.Equals(chGateway) {
		return checkedClaim{}, errorsmod.Wrapf(types.ErrNotChannelGateway, "channel %d pays gateway %s, not %s",
			ch.Id, ch.Gateway, msg.GatewayHotkey)
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockHeight()
	if ch.SettlesAt != 0 && now > ch.SettlesAt {
		return checkedClaim{}, errorsmod.Wrapf(types.ErrChannelClosing, "channel %d's settlement window ended at height %d", ch.Id, ch.SettlesAt)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return checkedClaim{}, err
	}
	if ch.LastClaimHeight != 0 && now < ch.LastClaimHeight+int64(params.ClaimRateLimit) {
		return checkedClaim{}, errorsmod.Wrapf(types.ErrClaimRateLimited,
			"channel %d was claimed at height %d; the next claim is allowed from height %d (claim_rate_limit %d blocks)",
			ch.Id, ch.LastClaimHeight, ch.LastClaimHeight+int64(params.ClaimRateLimit), params.ClaimRateLimit)
	}
	cum := msg.CumulativeAmount
	if cum.LTE(ch.Claimed) {
		return checkedClaim{}, errorsmod.Wrapf(types.ErrVoucherNotNewer,
			"channel %d has already claimed %s%s; a voucher for %s%s is old or replayed, send the payer's latest",
			ch.Id, ch.Claimed, k.denom, cum, k.denom)
	}
	if cum.GT(ch.Deposit) {
		return checkedClaim{}, errorsmod.Wrapf(types.ErrVoucherExceedsDeposit,
			"voucher for %s%s on channel %d, whose deposit is %s%s (escrow left %s%s); claim at most the deposit",
			cum, k.denom, ch.Id, ch.Deposit, k.denom, Balance(ch), k.denom)
	}
	payer, err := k.addr("payer", ch.Payer)
	if err != nil {
		return checkedClaim{}, err
	}
	acc := k.accountKeeper.GetAccount(ctx, payer)
	if acc == nil || acc.GetPubKey() == nil {
		return checkedClaim{}, errorsmod.Wrapf(types.ErrPayerPubKeyUnknown,
			"payer %s has no public key on chain; it is recorded with the payer's first transaction", ch.Payer)
	}
	sdkCtx.GasMeter().ConsumeGas(types.VoucherVerifyGas, "x/payments voucher signature")
	v := types.Voucher{ChainID: sdkCtx.ChainID(), ChannelID: ch.Id, Gateway: gateway, Amount: cum}
	if err := types.VerifyVoucher(acc.GetPubKey(), v, msg.Signature); err != nil {
		return checkedClaim{}, err
	}
	return checkedClaim{ch: ch, gateway: gateway, increase: cum.Sub(ch.Claimed), params: params}, nil
}

// CheckClaim runs every check of MsgClaim and also requires the gateway hotkey to be registered on the channel's
// subnet now. The ante handler calls it to make a claim fee-free: a claim that would fail is refused in CheckTx,
// so free claims cannot fill blocks, and claim_rate_limit bounds how often each channel can be claimed.
func (k *Keeper) CheckClaim(ctx context.Context, msg *types.MsgClaim) error {
	cc, err := k.checkClaim(ctx, msg)
	if err != nil {
		return err
	}
	if _, err := k.subnets.GetUid(ctx, cc.ch.Netuid, cc.gateway); err != nil {
		return errorsmod.Wrapf(types.ErrGatewayNotRegistered,
			"gateway hotkey %s is no longer registered on subnet %d: claims are not fee-free, pay a fee (%v)", cc.gateway, cc.ch.Netuid, err)
	}
	return nil
}

// Claim pays the increase of the voucher over the last claim, split exactly: the gateway share to the gateway
// hotkey's owner coldkey, the owner share to the subnet owner, the burn share burned, and the rest into the
// subnet's pending pool in x/emissions. Claims need not come from a registered hotkey (a deregistered gateway
// still collects what it served, paying a fee); fee-free claims do (see CheckClaim).
func (ms msgServer) Claim(goCtx context.Context, msg *types.MsgClaim) (*types.MsgClaimResponse, error) {
	cc, err := ms.checkClaim(goCtx, msg)
	if err != nil {
		return nil, err
	}
	ch := cc.ch
	subnet, err := ms.getSubnet(goCtx, ch.Netuid)
	if err != nil {
		return nil, err
	}
	subnetOwner, err := ms.addr("subnet owner", subnet.Owner)
	if err != nil {
		return nil, err
	}
	gatewayOwner, _, err := ms.subnets.HotkeyOwner(goCtx, cc.gateway)
	if err != nil {
		return nil, err
	}
	if len(gatewayOwner) == 0 {
		gatewayOwner = cc.gateway // no owner record: pay the hotkey itself
	}
	split := types.SplitClaim(cc.increase, cc.params)

	ch.Claimed = msg.CumulativeAmount
	ch.LastClaimHeight = sdk.UnwrapSDKContext(goCtx).BlockHeight()
	if err := ms.Channels.Set(goCtx, ch.Id, ch); err != nil {
		return nil, err
	}
	if split.Gateway.IsPositive() {
		if err := ms.bankKeeper.SendCoinsFromModuleToAccount(goCtx, types.ModuleName, gatewayOwner, ms.coins(split.Gateway)); err != nil {
			return nil, err
		}
	}
	if split.Owner.IsPositive() {
		if err := ms.bankKeeper.SendCoinsFromModuleToAccount(goCtx, types.ModuleName, subnetOwner, ms.coins(split.Owner)); err != nil {
			return nil, err
		}
	}
	if split.Burned.IsPositive() {
		if err := ms.bankKeeper.BurnCoins(goCtx, types.ModuleName, ms.coins(split.Burned)); err != nil {
			return nil, err
		}
	}
	if err := ms.emissions.AddRevenue(goCtx, types.ModuleName, ch.Netuid, split.Pool); err != nil {
		return nil, err
	}
	rev, err := ms.GetRevenue(goCtx, ch.Netuid)
	if err != nil {
		return nil, err
	}
	rev.Paid = rev.Paid.Add(cc.increase)
	rev.Gateway = rev.Gateway.Add(split.Gateway)
	rev.Owner = rev.Owner.Add(split.Owner)
	rev.Burned = rev.Burned.Add(split.Burned)
	rev.Pool = rev.Pool.Add(split.Pool)
	rev.Claims++
	if err := ms.Revenues.Set(goCtx, ch.Netuid, rev); err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(goCtx).EventManager().EmitTypedEvent(&types.EventClaim{
		ChannelId: ch.Id, Netuid: ch.Netuid, Payer: ch.Payer, Gateway: ch.Gateway,
		GatewayOwner: gatewayOwner.String(), SubnetOwner: subnet.Owner,
		Cumulative: msg.CumulativeAmount, Paid: cc.increase,
		GatewayShare: split.Gateway, OwnerShare: split.Owner, Burned: split.Burned, PoolShare: split.Pool,
	}); err != nil {
		return nil, err
	}
	return &types.MsgClaimResponse{Paid: cc.increase}, nil
}
