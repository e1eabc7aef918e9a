package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

// OpenChannel locks the deposit in the module account for queries on one subnet through one gateway. The gateway
// must be a validator hotkey registered on the subnet; on a paid subnet the deposit must reach the access rule's
// min_deposit.
func (ms msgServer) OpenChannel(goCtx context.Context, msg *types.MsgOpenChannel) (*types.MsgOpenChannelResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	payer, err := ms.addr("payer", msg.Payer)
	if err != nil {
		return nil, err
	}
	gateway, err := ms.addr("gateway_hotkey", msg.GatewayHotkey)
	if err != nil {
		return nil, err
	}
	if err := ms.requireValidatorGateway(goCtx, msg.Netuid, gateway); err != nil {
		return nil, err
	}
	// Vouchers are secp256k1 signatures: a payer whose key cannot sign them (a multisig, ed25519) would lock escrow
	// that no voucher could ever release to the gateway.
	if acc := ms.accountKeeper.GetAccount(goCtx, payer); acc != nil && acc.GetPubKey() != nil {
		if _, ok := acc.GetPubKey().(*secp256k1.PubKey); !ok {
			return nil, errorsmod.Wrapf(types.ErrInvalidVoucher,
				"payer key type %s cannot sign vouchers; open the channel from a secp256k1 account", acc.GetPubKey().Type())
		}
	}
	rule, err := ms.GetAccessRule(goCtx, msg.Netuid)
	if err != nil {
		return nil, err
	}
	if rule.Paid && msg.Deposit.LT(rule.MinDeposit) {
		return nil, errorsmod.Wrapf(types.ErrBelowMinDeposit, "subnet %d needs a deposit of at least %s%s, got %s%s",
			msg.Netuid, rule.MinDeposit, ms.denom, msg.Deposit, ms.denom)
	}
	if err := ms.lock(goCtx, payer, msg.Deposit); err != nil {
		return nil, err
	}
	id, err := ms.ChannelSeq.Next(goCtx)
	if err != nil {
		return nil, err
	}
	id++ // ids start at 1 (the sequence holds the last id used)
	ch := types.Channel{
		Id: id, Payer: msg.Payer, Netuid: msg.Netuid, Gateway: msg.GatewayHotkey, Deposit: msg.Deposit,
		Claimed: math.ZeroInt(), OpenedAt: sdk.UnwrapSDKContext(goCtx).BlockHeight(),
	}
	if err := ms.setChannel(goCtx, ch, payer, gateway); err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(goCtx).EventManager().EmitTypedEvent(&types.EventChannelOpened{
		ChannelId: id, Payer: msg.Payer, Netuid: msg.Netuid, Gateway: msg.GatewayHotkey, Deposit: msg.Deposit,
	}); err != nil {
		return nil, err
	}
	return &types.MsgOpenChannelResponse{ChannelId: id}, nil
}

// lock moves amount from the payer into the module account, with a readable error when the payer cannot pay.
func (k *Keeper) lock(ctx context.Context, payer sdk.AccAddress, amount math.Int) error {
	spendable := k.bankKeeper.SpendableCoins(ctx, payer).AmountOf(k.denom)
	if spendable.LT(amount) {
		return errorsmod.Wrapf(types.ErrInsufficientFunds, "payer %s can spend %s%s, locking %s%s needs more funds",
			payer, spendable, k.denom, amount, k.denom)
	}
	return k.bankKeeper.SendCoinsFromAccountToModule(ctx, payer, types.ModuleName, k.coins(amount))
}

// payerChannel loads a channel and checks the signer is its payer.
func (k *Keeper) payerChannel(ctx context.Context, payerStr string, id uint64) (types.Channel, sdk.AccAddress, error) {
	payer, err := k.addr("payer", payerStr)
	if err != nil {
		return types.Channel{}, nil, err
	}
	ch, err := k.GetChannel(ctx, id)
	if err != nil {
		return ch, nil, err
	}
	chPayer, err := k.addr("payer", ch.Payer)
	if err != nil {
		return ch, nil, err
	}
	if !payer.Equals(chPayer) {
		return ch, nil, errorsmod.Wrapf(types.ErrNotChannelPayer, "channel %d belongs to payer %s, not %s", id, ch.Payer, payerStr)
	}
	return ch, payer, nil
}

// TopUpChannel adds to an open channel's deposit.
func (ms msgServer) TopUpChannel(goCtx context.Context, msg *types.MsgTopUpChannel) (*types.MsgTopUpChannelResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	ch, payer, err := ms.payerChannel(goCtx, msg.Payer, msg.ChannelId)
	if err != nil {
		return nil, err
	}
	if ch.ClosedAt != 0 {
		return nil, errorsmod.Wrapf(types.ErrChannelClosing, "channel %d was closed at height %d and settles at %d; open a new channel",
			ch.Id, ch.ClosedAt, ch.SettlesAt)
	}
	if err := ms.lock(goCtx, payer, msg.Amount); err != nil {
		return nil, err
	}
	ch.Deposit = ch.Deposit.Add(msg.Amount)
	if err := ms.Channels.Set(goCtx, ch.Id, ch); err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(goCtx).EventManager().EmitTypedEvent(&types.EventChannelToppedUp{
		ChannelId: ch.Id, Payer: msg.Payer, Amount: msg.Amount, Deposit: ch.Deposit,
	}); err != nil {
		return nil, err
	}
	return &types.MsgTopUpChannelResponse{}, nil
}

// CloseChannel starts the settlement window: the gateway may still claim until settles_at = now + settle_blocks,
// whose EndBlock returns the remainder to the payer.
func (ms msgServer) CloseChannel(goCtx context.Context, msg *types.MsgCloseChannel) (*types.MsgCloseChannelResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	ch, _, err := ms.payerChannel(goCtx, msg.Payer, msg.ChannelId)
	if err != nil {
		return nil, err
	}
	if ch.ClosedAt != 0 {
		return nil, errorsmod.Wrapf(types.ErrChannelClosing, "channel %d is already closing; it settles at height %d", ch.Id, ch.SettlesAt)
	}
	params, err := ms.Params.Get(goCtx)
	if err != nil {
		return nil, err
	}
	now := sdk.UnwrapSDKContext(goCtx).BlockHeight()
	ch.ClosedAt = now
	ch.SettlesAt = now + int64(params.SettleBlocks)
	if err := ms.Channels.Set(goCtx, ch.Id, ch); err != nil {
		return nil, err
	}
	if err := ms.SettleQueue.Set(goCtx, collections.Join(ch.SettlesAt, ch.Id)); err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(goCtx).EventManager().EmitTypedEvent(&types.EventChannelClosed{
		ChannelId: ch.Id, Payer: ch.Payer, SettlesAt: ch.SettlesAt, Remaining: Balance(ch),
	}); err != nil {
		return nil, err
	}
	return &types.MsgCloseChannelResponse{SettlesAt: ch.SettlesAt}, nil
}

// SetAccessRule sets a subnet's access rule: free, or paid at query_price per unit (at most max_query_price) with
// a minimum channel deposit. Only the subnet owner may. Existing channels keep their deposits; the gateway applies
// the new price to the queries it serves from then on.
func (ms msgServer) SetAccessRule(goCtx context.Context, msg *types.MsgSetAccessRule) (*types.MsgSetAccessRuleResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	owner, err := ms.addr("owner", msg.Owner)
	if err != nil {
		return nil, err
	}
	subnet, err := ms.getSubnet(goCtx, msg.Netuid)
	if err != nil {
		return nil, err
	}
	subnetOwner, err := ms.addr("subnet owner", subnet.Owner)
	if err != nil {
		return nil, err
	}
	if !owner.Equals(subnetOwner) {
		return nil, errorsmod.Wrapf(types.ErrNotSubnetOwner, "subnet %d is owned by %s, not %s", msg.Netuid, subnet.Owner, msg.Owner)
	}
	params, err := ms.Params.Get(goCtx)
	if err != nil {
		return nil, err
	}
	if msg.QueryPrice.GT(params.MaxQueryPrice) {
		return nil, errorsmod.Wrapf(types.ErrInvalidAccessRule, "query_price %s%s exceeds the governance bound max_query_price %s%s",
			msg.QueryPrice, ms.denom, params.MaxQueryPrice, ms.denom)
	}
	rule := types.AccessRule{
		Netuid: msg.Netuid, Paid: msg.Paid, QueryPrice: msg.QueryPrice, MinDeposit: msg.MinDeposit,
		UpdatedAt: sdk.UnwrapSDKContext(goCtx).BlockHeight(),
	}
	if err := ms.AccessRules.Set(goCtx, msg.Netuid, rule); err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(goCtx).EventManager().EmitTypedEvent(&types.EventAccessRuleSet{Rule: rule}); err != nil {
		return nil, err
	}
	return &types.MsgSetAccessRuleResponse{}, nil
}
