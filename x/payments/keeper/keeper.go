// Package keeper implements x/payments: payment channels from users (payers) to gateways (validator hotkeys),
// cumulative vouchers claimed by the gateways and split exactly between the gateway, the subnet owner, an optional
// burn and the subnet's pending pool (paid by Yuma Consensus at the next epoch), subnet access rules, and the
// bounded settlement of closed channels. See ../README.md.
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	storetypes "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/payments/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// Keeper of x/payments.
type Keeper struct {
	cdc           codec.BinaryCodec
	storeService  storetypes.KVStoreService
	addressCodec  address.Codec
	accountKeeper types.AccountKeeper
	bankKeeper    types.BankKeeper
	subnets       types.SubnetsKeeper
	emissions     types.EmissionsKeeper
	authority     string
	denom         string

	Schema   collections.Schema
	Params   collections.Item[types.Params]
	Channels collections.Map[uint64, types.Channel]
	// ChannelsByPayer and ChannelsByGateway index Channels by (address, id).
	ChannelsByPayer   collections.KeySet[collections.Pair[sdk.AccAddress, uint64]]
	ChannelsByGateway collections.KeySet[collections.Pair[sdk.AccAddress, uint64]]
	ChannelSeq        collections.Sequence
	// SettleQueue holds closed channels keyed (settles_at, id): EndBlock reads only the due prefix.
	SettleQueue collections.KeySet[collections.Pair[int64, uint64]]
	AccessRules collections.Map[uint32, types.AccessRule]
	Revenues    collections.Map[uint32, types.Revenue]
}

// NewKeeper returns the x/payments keeper. denom is the payment denomination (umind).
func NewKeeper(
	cdc codec.BinaryCodec,
	storeService storetypes.KVStoreService,
	addressCodec address.Codec,
	ak types.AccountKeeper,
	bk types.BankKeeper,
	sk types.SubnetsKeeper,
	ek types.EmissionsKeeper,
	authority string,
	denom string,
) *Keeper {
	if addr := ak.GetModuleAddress(types.ModuleName); addr == nil {
		panic(fmt.Sprintf("the x/%s module account has not been set", types.ModuleName))
	}
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("invalid x/%s authority address: %w", types.ModuleName, err))
	}
	if err := sdk.ValidateDenom(denom); err != nil {
		panic(fmt.Errorf("invalid x/%s denom: %w", types.ModuleName, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	addrID := collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key)
	k := &Keeper{
		cdc: cdc, storeService: storeService, addressCodec: addressCodec, accountKeeper: ak, bankKeeper: bk,
		subnets: sk, emissions: ek, authority: authority, denom: denom,
		Params:            collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Channels:          collections.NewMap(sb, types.ChannelsKey, "channels", collections.Uint64Key, codec.CollValue[types.Channel](cdc)),
		ChannelsByPayer:   collections.NewKeySet(sb, types.ChannelsByPayerKey, "channels_by_payer", addrID),
		ChannelsByGateway: collections.NewKeySet(sb, types.ChannelsByGatewayKey, "channels_by_gateway", addrID),
		ChannelSeq:        collections.NewSequence(sb, types.ChannelSeqKey, "channel_seq"),
		SettleQueue: collections.NewKeySet(sb, types.SettleQueueKey, "settle_queue",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		AccessRules: collections.NewMap(sb, types.AccessRulesKey, "access_rules", collections.Uint32Key, codec.CollValue[types.AccessRule](cdc)),
		Revenues:    collections.NewMap(sb, types.RevenuesKey, "revenues", collections.Uint32Key, codec.CollValue[types.Revenue](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// GetAuthority returns the address allowed to change params.
func (k *Keeper) GetAuthority() string { return k.authority }

// Logger returns the module logger.
func (k *Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// addr decodes a stored or submitted account address with the keeper's address codec, naming the field in the
// error.
func (k *Keeper) addr(field, s string) (sdk.AccAddress, error) {
	if s == "" {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "%s is empty; want a bech32 account address", field)
	}
	bz, err := k.addressCodec.StringToBytes(s)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "%s %q is not a bech32 account address: %v", field, s, err)
	}
	if len(bz) == 0 {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "%s is empty; want a bech32 account address", field)
	}
	return bz, nil
}

func (k *Keeper) coins(amount math.Int) sdk.Coins {
	return sdk.NewCoins(sdk.NewCoin(k.denom, amount))
}

// GetChannel returns a channel or ErrChannelNotFound.
func (k *Keeper) GetChannel(ctx context.Context, id uint64) (types.Channel, error) {
	c, err := k.Channels.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return c, errorsmod.Wrapf(types.ErrChannelNotFound,
			"channel %d does not exist (it may have settled); list yours with `tokenmindd q payments channels-by-payer`", id)
	}
	return c, err
}

// Balance is what a channel still holds: deposit - claimed.
func Balance(c types.Channel) math.Int { return c.Deposit.Sub(c.Claimed) }

// GetAccessRule returns a subnet's access rule; a subnet whose owner never set one is free.
func (k *Keeper) GetAccessRule(ctx context.Context, netuid uint32) (types.AccessRule, error) {
	r, err := k.AccessRules.Get(ctx, netuid)
	if errors.Is(err, collections.ErrNotFound) {
		return types.AccessRule{Netuid: netuid, QueryPrice: math.ZeroInt(), MinDeposit: math.ZeroInt()}, nil
	}
	return r, err
}

// GetRevenue returns what users paid a subnet (zeros if nothing yet).
func (k *Keeper) GetRevenue(ctx context.Context, netuid uint32) (types.Revenue, error) {
	r, err := k.Revenues.Get(ctx, netuid)
	if errors.Is(err, collections.ErrNotFound) {
		z := math.ZeroInt()
		return types.Revenue{Netuid: netuid, Paid: z, Gateway: z, Owner: z, Burned: z, Pool: z}, nil
	}
	return r, err
}

func (k *Keeper) setChannel(ctx context.Context, c types.Channel, payer, gateway sdk.AccAddress) error {
	if err := k.Channels.Set(ctx, c.Id, c); err != nil {
		return err
	}
	if err := k.ChannelsByPayer.Set(ctx, collections.Join(payer, c.Id)); err != nil {
		return err
	}
	return k.ChannelsByGateway.Set(ctx, collections.Join(gateway, c.Id))
}

// channelAddrs decodes a channel's payer and gateway.
func (k *Keeper) channelAddrs(c types.Channel) (payer, gateway sdk.AccAddress, err error) {
	if payer, err = k.addr("payer", c.Payer); err != nil {
		return nil, nil, err
	}
	if gateway, err = k.addr("gateway", c.Gateway); err != nil {
		return nil, nil, err
	}
	return payer, gateway, nil
}

func (k *Keeper) removeChannel(ctx context.Context, c types.Channel) error {
	payer, gateway, err := k.channelAddrs(c)
	if err != nil {
		return err
	}
	if err := k.Channels.Remove(ctx, c.Id); err != nil {
		return err
	}
	if err := k.ChannelsByPayer.Remove(ctx, collections.Join(payer, c.Id)); err != nil {
		return err
	}
	if err := k.ChannelsByGateway.Remove(ctx, collections.Join(gateway, c.Id)); err != nil {
		return err
	}
	return k.SettleQueue.Remove(ctx, collections.Join(c.SettlesAt, c.Id))
}

// requireValidatorGateway checks that hotkey may serve as a gateway on the subnet: registered there, and a
// validator — it holds a validator permit from the last epoch, or it belongs to the subnet owner (who may run a
// validator before permits exist, as with weights).
func (k *Keeper) requireValidatorGateway(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) error {
	subnet, err := k.getSubnet(ctx, netuid)
	if err != nil {
		return err
	}
	uid, err := k.subnets.GetUid(ctx, netuid, hotkey)
	if err != nil {
		return errorsmod.Wrapf(types.ErrGatewayNotRegistered, "gateway hotkey %s is not registered on subnet %d: %v", hotkey, netuid, err)
	}
	out, err := k.subnets.GetEpochOutput(ctx, netuid, uid)
	if err != nil {
		return err
	}
	if out.ValidatorPermit {
		return nil
	}
	owner, _, err := k.subnets.HotkeyOwner(ctx, hotkey)
	if err != nil {
		return err
	}
	if subnetOwner, err := k.addr("subnet owner", subnet.Owner); err == nil && owner.Equals(subnetOwner) {
		return nil
	}
	return errorsmod.Wrapf(types.ErrGatewayNotValidator,
		"gateway hotkey %s (uid %d on subnet %d) has no validator permit; choose a validator's gateway (see `tokenmindd q subnets metagraph %d`)",
		hotkey, uid, netuid, netuid)
}

func (k *Keeper) getSubnet(ctx context.Context, netuid uint32) (subnetstypes.Subnet, error) {
	s, err := k.subnets.GetSubnet(ctx, netuid)
	if err != nil {
		return s, errorsmod.Wrapf(types.ErrSubnetNotFound, "subnet %d: %v", netuid, err)
	}
	return s, nil
}
