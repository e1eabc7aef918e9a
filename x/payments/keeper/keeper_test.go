package keeper_test

import (
	"errors"
	"testing"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	emissionstypes "github.com/tokenmind/tokenmind/x/emissions/types"
	"github.com/tokenmind/tokenmind/x/payments/keeper"
	"github.com/tokenmind/tokenmind/x/payments/testutil"
	"github.com/tokenmind/tokenmind/x/payments/types"
)

const netuid = uint32(1)

var (
	subnetOwner = testutil.Addr("subnet-owner")
	valiOwner   = testutil.Addr("validator-owner")
	gwHot       = testutil.Addr("gateway-hotkey")
	gwHot2      = testutil.Addr("gateway-hotkey-2")
	minerHot    = testutil.Addr("miner-hotkey")
	ownerHot    = testutil.Addr("owner-hotkey")
)

type env struct {
	*testutil.Fixture
	payer testutil.Key
	other testutil.Key
}

// setup: subnet 1 (ner, owned by subnetOwner) with a validator gateway gwHot (permit, owned by valiOwner), a second
// validator gwHot2, a miner without permit, and the owner's own hotkey without permit; payer and other funded.
func setup(t *testing.T) *env {
	t.Helper()
	f := testutil.NewFixture(t)
	f.Subnets.AddSubnet(netuid, subnetOwner, "ner")
	f.Subnets.Register(netuid, gwHot, valiOwner, true)
	f.Subnets.Register(netuid, gwHot2, valiOwner, true)
	f.Subnets.Register(netuid, minerHot, valiOwner, false)
	f.Subnets.Register(netuid, ownerHot, subnetOwner, false)
	e := &env{Fixture: f, payer: f.NewKey(t, "payer"), other: f.NewKey(t, "other")}
	f.Fund(t, e.payer.Addr, 10_000_000)
	f.Fund(t, e.other.Addr, 10_000_000)
	return e
}

func requireErr(t *testing.T, err error, want *errorsmod.Error) {
	t.Helper()
	require.Error(t, err)
	require.Truef(t, errors.Is(err, want), "got %v, want %s", err, want.Error())
}

func (e *env) invariants(t *testing.T) {
	t.Helper()
	require.NoError(t, e.Keeper.CheckInvariants(e.Ctx))
	require.NoError(t, e.Emissions.CheckInvariants(e.Ctx))
}

func (e *env) open(t *testing.T, gateway sdk.AccAddress, deposit int64) uint64 {
	t.Helper()
	res, err := e.MsgServer.OpenChannel(e.Ctx, &types.MsgOpenChannel{
		Payer: e.payer.Addr.String(), Netuid: netuid,
		GatewayHotkey: gateway.String(), Deposit: math.NewInt(deposit),
	})
	require.NoError(t, err)
	return res.ChannelId
}

func (e *env) voucher(t *testing.T, signer testutil.Key, chainID string, id uint64, gateway sdk.AccAddress, amount int64) []byte {
	t.Helper()
	sig, err := types.SignVoucher(signer.Priv, types.Voucher{ChainID: chainID, ChannelID: id, Gateway: gateway, Amount: math.NewInt(amount)})
	require.NoError(t, err)
	return sig
}

func (e *env) claimMsg(t *testing.T, id uint64, amount int64) *types.MsgClaim {
	t.Helper()
	return &types.MsgClaim{
		GatewayHotkey: gwHot.String(), ChannelId: id, CumulativeAmount: math.NewInt(amount),
		Signature: e.voucher(t, e.payer, testutil.ChainID, id, gwHot, amount),
	}
}

func (e *env) advance(n int64) {
	e.Ctx = e.Ctx.WithBlockHeight(e.Ctx.BlockHeight() + n)
}

func TestOpenChannel(t *testing.T) {
	e := setup(t)
	id := e.open(t, gwHot, 1_000_000)
	require.Equal(t, uint64(1), id)
	require.Equal(t, math.NewInt(9_000_000), e.Balance(e.payer.Addr))
	require.Equal(t, math.NewInt(1_000_000), e.ModuleBalance(types.ModuleName))
	ch, err := e.Keeper.GetChannel(e.Ctx, id)
	require.NoError(t, err)
	require.Equal(t, gwHot.String(), ch.Gateway)
	require.True(t, ch.Claimed.IsZero())
	// A payer whose key cannot sign vouchers (here ed25519) cannot open a channel.
	edAddr := testutil.Addr("ed25519-payer")
	edAcc := e.AccountKeeper.NewAccountWithAddress(e.Ctx, edAddr)
	require.NoError(t, edAcc.SetPubKey(ed25519.GenPrivKeyFromSecret([]byte("ed")).PubKey()))
	e.AccountKeeper.SetAccount(e.Ctx, edAcc)
	e.Fund(t, edAddr, 1_000)
	_, err = e.MsgServer.OpenChannel(e.Ctx, &types.MsgOpenChannel{Payer: edAddr.String(), Netuid: netuid, GatewayHotkey: gwHot.String(), Deposit: math.NewInt(1_000)})
	requireErr(t, err, types.ErrInvalidVoucher)
	// The subnet owner's own hotkey may be a gateway without a permit (as with weights).
	require.Equal(t, uint64(2), e.open(t, ownerHot, 5))
	e.invariants(t)

	cases := []struct {
		name string
		msg  types.MsgOpenChannel
		want *errorsmod.Error
	}{
		{"unknown subnet", types.MsgOpenChannel{Payer: e.payer.Addr.String(), Netuid: 9, GatewayHotkey: gwHot.String(), Deposit: math.NewInt(5)}, types.ErrSubnetNotFound},
		{"netuid 0", types.MsgOpenChannel{Payer: e.payer.Addr.String(), Netuid: 0, GatewayHotkey: gwHot.String(), Deposit: math.NewInt(5)}, types.ErrSubnetNotFound},
		{"unregistered gateway", types.MsgOpenChannel{Payer: e.payer.Addr.String(), Netuid: netuid, GatewayHotkey: testutil.Addr("nobody").String(), Deposit: math.NewInt(5)}, types.ErrGatewayNotRegistered},
		{"miner as gateway", types.MsgOpenChannel{Payer: e.payer.Addr.String(), Netuid: netuid, GatewayHotkey: minerHot.String(), Deposit: math.NewInt(5)}, types.ErrGatewayNotValidator},
		{"zero deposit", types.MsgOpenChannel{Payer: e.payer.Addr.String(), Netuid: netuid, GatewayHotkey: gwHot.String(), Deposit: math.ZeroInt()}, types.ErrInvalidAmount},
		{"bad payer", types.MsgOpenChannel{Payer: "mind1bad", Netuid: netuid, GatewayHotkey: gwHot.String(), Deposit: math.NewInt(5)}, types.ErrInvalidAddress},
		{"too poor", types.MsgOpenChannel{Payer: e.payer.Addr.String(), Netuid: netuid, GatewayHotkey: gwHot.String(), Deposit: math.NewInt(100_000_000)}, types.ErrInsufficientFunds},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.MsgServer.OpenChannel(e.Ctx, &tc.msg)
			requireErr(t, err, tc.want)
		})
	}
	e.invariants(t)
}

func TestAccessRuleAndMinDeposit(t *testing.T) {
	e := setup(t)
	set := func(signer sdk.AccAddress, paid bool, price, minDep int64) error {
		_, err := e.MsgServer.SetAccessRule(e.Ctx, &types.MsgSetAccessRule{
			Owner: signer.String(), Netuid: netuid, Paid: paid,
			QueryPrice: math.NewInt(price), MinDeposit: math.NewInt(minDep),
		})
		return err
	}
	requireErr(t, set(e.payer.Addr, true, 10, 100), types.ErrNotSubnetOwner)
	requireErr(t, set(subnetOwner, true, 0, 100), types.ErrInvalidAccessRule)
	requireErr(t, set(subnetOwner, true, 100, 10), types.ErrInvalidAccessRule)
	requireErr(t, set(subnetOwner, false, 1, 0), types.ErrInvalidAccessRule)
	requireErr(t, set(subnetOwner, true, types.DefaultMaxQueryPrice.Int64()+1, types.DefaultMaxQueryPrice.Int64()+1), types.ErrInvalidAccessRule)
	_, err := e.MsgServer.SetAccessRule(e.Ctx, &types.MsgSetAccessRule{
		Owner: subnetOwner.String(), Netuid: 9, Paid: false,
		QueryPrice: math.ZeroInt(), MinDeposit: math.ZeroInt(),
	})
	requireErr(t, err, types.ErrSubnetNotFound)

	require.NoError(t, set(subnetOwner, true, 1_000, 100_000))
	res, err := e.QueryServer.AccessRule(e.Ctx, &types.QueryAccessRuleRequest{Netuid: netuid})
	require.NoError(t, err)
	require.True(t, res.Rule.Paid)
	require.Equal(t, math.NewInt(1_000), res.Rule.QueryPrice)
	require.Equal(t, types.UnitRequest, res.Unit)

	_, err = e.MsgServer.OpenChannel(e.Ctx, &types.MsgOpenChannel{
		Payer: e.payer.Addr.String(), Netuid: netuid,
		GatewayHotkey: gwHot.String(), Deposit: math.NewInt(99_999),
	})
	requireErr(t, err, types.ErrBelowMinDeposit)
	e.open(t, gwHot, 100_000)
	// Free again.
	require.NoError(t, set(subnetOwner, false, 0, 0))
	e.open(t, gwHot, 1)
	e.invariants(t)
}

func TestTopUpAndClose(t *testing.T) {
	e := setup(t)
	id := e.open(t, gwHot, 1_000)
	_, err := e.MsgServer.TopUpChannel(e.Ctx, &types.MsgTopUpChannel{Payer: e.payer.Addr.String(), ChannelId: id, Amount: math.NewInt(500)})
	require.NoError(t, err)
	ch, _ := e.Keeper.GetChannel(e.Ctx, id)
	require.Equal(t, math.NewInt(1_500), ch.Deposit)

	_, err = e.MsgServer.TopUpChannel(e.Ctx, &types.MsgTopUpChannel{Payer: e.other.Addr.String(), ChannelId: id, Amount: math.NewInt(1)})
	requireErr(t, err, types.ErrNotChannelPayer)
	_, err = e.MsgServer.TopUpChannel(e.Ctx, &types.MsgTopUpChannel{Payer: e.payer.Addr.String(), ChannelId: 99, Amount: math.NewInt(1)})
	requireErr(t, err, types.ErrChannelNotFound)
	_, err = e.MsgServer.CloseChannel(e.Ctx, &types.MsgCloseChannel{Payer: e.other.Addr.String(), ChannelId: id})
	requireErr(t, err, types.ErrNotChannelPayer)

	res, err := e.MsgServer.CloseChannel(e.Ctx, &types.MsgCloseChannel{Payer: e.payer.Addr.String(), ChannelId: id})
	require.NoError(t, err)
	require.Equal(t, e.Ctx.BlockHeight()+int64(types.DefaultSettleBlocks), res.SettlesAt)
	_, err = e.MsgServer.CloseChannel(e.Ctx, &types.MsgCloseChannel{Payer: e.payer.Addr.String(), ChannelId: id})
	requireErr(t, err, types.ErrChannelClosing)
	_, err = e.MsgServer.TopUpChannel(e.Ctx, &types.MsgTopUpChannel{Payer: e.payer.Addr.String(), ChannelId: id, Amount: math.NewInt(1)})
	requireErr(t, err, types.ErrChannelClosing)
	e.invariants(t)
}

// TestClaimSplitsExactly: two claims on one channel, each paying the increase, split exactly between the gateway's
// owner, the subnet owner, the burn and the subnet's pending pool; revenue recorded; every umind accounted for.
func TestClaimSplitsExactly(t *testing.T) {
	e := setup(t)
	p := types.DefaultParams()
	p.BurnShareBps = 300 // 10% gateway, 5% owner, 3% burn, 82% pool
	_, err := e.MsgServer.UpdateParams(e.Ctx, &types.MsgUpdateParams{Authority: e.Authority, Params: p})
	require.NoError(t, err)
	id := e.open(t, gwHot, 1_000_000)
	supply0 := e.Supply()

	res, err := e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 12_345))
	require.NoError(t, err)
	require.Equal(t, math.NewInt(12_345), res.Paid)
	// 12345: gateway 1234.5, owner 617.25, burn 370.35, pool 10122.9 -> floors 1234, 617, 370, 10122 (sum 12343);
	// the two left go to .9 (pool) then .5 (gateway).
	require.Equal(t, math.NewInt(1_235), e.Balance(valiOwner))
	require.Equal(t, math.NewInt(617), e.Balance(subnetOwner))
	pool, err := e.Emissions.Pool(e.Ctx, netuid)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(10_123), pool)
	require.Equal(t, supply0.SubRaw(370), e.Supply())
	require.Equal(t, math.NewInt(1_000_000-12_345), e.ModuleBalance(types.ModuleName))
	require.Equal(t, math.NewInt(10_123), e.ModuleBalance(emissionstypes.ModuleName))

	e.advance(int64(p.ClaimRateLimit))
	_, err = e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 20_000))
	require.NoError(t, err)
	rev, err := e.QueryServer.Revenue(e.Ctx, &types.QueryRevenueRequest{Netuid: netuid})
	require.NoError(t, err)
	r := rev.Revenue
	require.Equal(t, math.NewInt(20_000), r.Paid)
	require.Equal(t, uint64(2), r.Claims)
	require.Equal(t, r.Paid, r.Gateway.Add(r.Owner).Add(r.Burned).Add(r.Pool))
	require.Equal(t, r.Gateway, e.Balance(valiOwner))
	require.Equal(t, r.Owner, e.Balance(subnetOwner))
	pool, _ = e.Emissions.Pool(e.Ctx, netuid)
	require.Equal(t, r.Pool, pool)
	require.Equal(t, supply0.Sub(r.Burned), e.Supply())
	// The payer lost exactly what the events say: Σ EventClaim.paid = 20000.
	paid := math.ZeroInt()
	for _, ev := range e.Ctx.EventManager().Events() {
		if ev.Type != "tokenmind.payments.v1.EventClaim" {
			continue
		}
		msg, err := sdk.ParseTypedEvent(abciEvent(ev))
		require.NoError(t, err)
		c := msg.(*types.EventClaim)
		require.Equal(t, c.Paid, c.GatewayShare.Add(c.OwnerShare).Add(c.Burned).Add(c.PoolShare))
		paid = paid.Add(c.Paid)
	}
	require.Equal(t, math.NewInt(20_000), paid)
	ch, _ := e.QueryServer.Channel(e.Ctx, &types.QueryChannelRequest{ChannelId: id})
	require.Equal(t, math.NewInt(1_000_000-20_000), ch.Balance)
	e.invariants(t)
}

// TestClaimRejections: every way a claim can be wrong returns its typed error and changes nothing.
func TestClaimRejections(t *testing.T) {
	e := setup(t)
	id := e.open(t, gwHot, 10_000)
	id2 := e.open(t, gwHot, 10_000)
	idOther := e.open(t, gwHot2, 10_000)
	_, err := e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 1_000))
	require.NoError(t, err)
	e.advance(int64(types.DefaultClaimRateLimit))

	sign := func(k testutil.Key, chain string, ch uint64, gw sdk.AccAddress, amt int64) []byte {
		return e.voucher(t, k, chain, ch, gw, amt)
	}
	msg := func(signer sdk.AccAddress, ch uint64, amt int64, sig []byte) *types.MsgClaim {
		return &types.MsgClaim{GatewayHotkey: signer.String(), ChannelId: ch, CumulativeAmount: math.NewInt(amt), Signature: sig}
	}
	noKey := testutil.Addr("payer-without-key")
	cases := []struct {
		name string
		msg  *types.MsgClaim
		want *errorsmod.Error
	}{
		{"forged", msg(gwHot, id, 2_000, sign(e.other, testutil.ChainID, id, gwHot, 2_000)), types.ErrInvalidVoucher},
		{"other chain", msg(gwHot, id, 2_000, sign(e.payer, "tokenmind-other-1", id, gwHot, 2_000)), types.ErrInvalidVoucher},
		{"other channel", msg(gwHot, id, 2_000, sign(e.payer, testutil.ChainID, id2, gwHot, 2_000)), types.ErrInvalidVoucher},
		{"other gateway", msg(gwHot, id, 2_000, sign(e.payer, testutil.ChainID, id, gwHot2, 2_000)), types.ErrInvalidVoucher},
		{"other amount", msg(gwHot, id, 2_001, sign(e.payer, testutil.ChainID, id, gwHot, 2_000)), types.ErrInvalidVoucher},
		{"replayed", msg(gwHot, id, 1_000, sign(e.payer, testutil.ChainID, id, gwHot, 1_000)), types.ErrVoucherNotNewer},
		{"decreasing", msg(gwHot, id, 999, sign(e.payer, testutil.ChainID, id, gwHot, 999)), types.ErrVoucherNotNewer},
		{"over deposit", msg(gwHot, id, 10_001, sign(e.payer, testutil.ChainID, id, gwHot, 10_001)), types.ErrVoucherExceedsDeposit},
		{"not the channel's gateway", msg(gwHot2, id, 2_000, sign(e.payer, testutil.ChainID, id, gwHot2, 2_000)), types.ErrNotChannelGateway},
		{"unknown channel", msg(gwHot, 77, 2_000, sign(e.payer, testutil.ChainID, 77, gwHot, 2_000)), types.ErrChannelNotFound},
		{"short signature", msg(gwHot, id, 2_000, []byte{1, 2, 3}), types.ErrInvalidVoucher},
		{"bad gateway address", &types.MsgClaim{GatewayHotkey: "mind1xyz", ChannelId: id, CumulativeAmount: math.NewInt(1), Signature: make([]byte, 64)}, types.ErrInvalidAddress},
		{"zero amount", msg(gwHot, id, 0, make([]byte, 64)), types.ErrInvalidAmount},
	}
	before := e.ModuleBalance(types.ModuleName)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.MsgServer.Claim(e.Ctx, tc.msg)
			requireErr(t, err, tc.want)
			requireErr(t, e.Keeper.CheckClaim(e.Ctx, tc.msg), tc.want)
		})
	}
	require.Equal(t, before, e.ModuleBalance(types.ModuleName))
	_ = idOther

	// Rate limit: a valid claim right after another.
	_, err = e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 2_000))
	require.NoError(t, err)
	_, err = e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 3_000))
	requireErr(t, err, types.ErrClaimRateLimited)
	e.advance(int64(types.DefaultClaimRateLimit) - 1)
	_, err = e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 3_000))
	requireErr(t, err, types.ErrClaimRateLimited)
	e.advance(1)
	_, err = e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 3_000))
	require.NoError(t, err)

	// A payer whose public key the chain does not know (an account that never signed): refused with a typed error.
	e.Fund(t, noKey, 1_000)
	res, err := e.MsgServer.OpenChannel(e.Ctx, &types.MsgOpenChannel{Payer: noKey.String(), Netuid: netuid, GatewayHotkey: gwHot.String(), Deposit: math.NewInt(1_000)})
	require.NoError(t, err)
	_, err = e.MsgServer.Claim(e.Ctx, msg(gwHot, res.ChannelId, 10, sign(e.payer, testutil.ChainID, res.ChannelId, gwHot, 10)))
	requireErr(t, err, types.ErrPayerPubKeyUnknown)

	// CheckClaim (the fee-free path) also needs the gateway still registered; the paid path does not.
	e.advance(int64(types.DefaultClaimRateLimit))
	e.Subnets.Deregister(netuid, gwHot)
	requireErr(t, e.Keeper.CheckClaim(e.Ctx, e.claimMsg(t, id, 4_000)), types.ErrGatewayNotRegistered)
	_, err = e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 4_000))
	require.NoError(t, err)
	e.invariants(t)
}

// TestSettlementWindow: after close, the gateway may claim until settles_at; at settles_at's EndBlock the rest goes
// back to the payer and the channel is gone; a claim afterwards finds no channel.
func TestSettlementWindow(t *testing.T) {
	e := setup(t)
	id := e.open(t, gwHot, 10_000)
	_, err := e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 1_000))
	require.NoError(t, err)
	res, err := e.MsgServer.CloseChannel(e.Ctx, &types.MsgCloseChannel{Payer: e.payer.Addr.String(), ChannelId: id})
	require.NoError(t, err)
	balance0 := e.Balance(e.payer.Addr)

	e.Ctx = e.Ctx.WithBlockHeight(res.SettlesAt - 1)
	require.NoError(t, e.Keeper.EndBlock(e.Ctx))
	_, err = e.Keeper.GetChannel(e.Ctx, id)
	require.NoError(t, err, "settled before the window ended")

	// In the last block of the window the gateway still claims, then EndBlock settles.
	e.Ctx = e.Ctx.WithBlockHeight(res.SettlesAt)
	_, err = e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 4_000))
	require.NoError(t, err)
	require.NoError(t, e.Keeper.EndBlock(e.Ctx))
	require.Equal(t, balance0.AddRaw(6_000), e.Balance(e.payer.Addr))
	_, err = e.Keeper.GetChannel(e.Ctx, id)
	requireErr(t, err, types.ErrChannelNotFound)
	require.True(t, e.ModuleBalance(types.ModuleName).IsZero())
	list, err := e.QueryServer.ChannelsByPayer(e.Ctx, &types.QueryChannelsByPayerRequest{Payer: e.payer.Addr.String()})
	require.NoError(t, err)
	require.Empty(t, list.Channels)

	e.advance(int64(types.DefaultClaimRateLimit))
	_, err = e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 5_000))
	requireErr(t, err, types.ErrChannelNotFound)
	e.invariants(t)
}

// TestSettlementBounded: with max_settlements_per_block = 2, five channels due at once settle 2, 2, 1 over three
// blocks, oldest first.
func TestSettlementBounded(t *testing.T) {
	e := setup(t)
	p := types.DefaultParams()
	p.MaxSettlementsPerBlock = 2
	_, err := e.MsgServer.UpdateParams(e.Ctx, &types.MsgUpdateParams{Authority: e.Authority, Params: p})
	require.NoError(t, err)
	var ids []uint64
	for i := 0; i < 5; i++ {
		id := e.open(t, gwHot, 100)
		_, err := e.MsgServer.CloseChannel(e.Ctx, &types.MsgCloseChannel{Payer: e.payer.Addr.String(), ChannelId: id})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	e.advance(int64(p.SettleBlocks))
	for _, want := range []int{2, 2, 1, 0} {
		n, err := e.Keeper.SettleDue(e.Ctx)
		require.NoError(t, err)
		require.Equal(t, want, n)
		e.invariants(t)
		e.advance(1)
	}
	for _, id := range ids {
		_, err := e.Keeper.GetChannel(e.Ctx, id)
		requireErr(t, err, types.ErrChannelNotFound)
	}
	require.Equal(t, math.NewInt(10_000_000), e.Balance(e.payer.Addr))
}

func TestQueriesByPayerAndGateway(t *testing.T) {
	e := setup(t)
	a := e.open(t, gwHot, 10)
	b := e.open(t, gwHot2, 10)
	c := e.open(t, gwHot, 10)
	byGw, err := e.QueryServer.ChannelsByGateway(e.Ctx, &types.QueryChannelsByGatewayRequest{Gateway: gwHot.String()})
	require.NoError(t, err)
	require.Len(t, byGw.Channels, 2)
	require.Equal(t, []uint64{a, c}, []uint64{byGw.Channels[0].Id, byGw.Channels[1].Id})
	byPayer, err := e.QueryServer.ChannelsByPayer(e.Ctx, &types.QueryChannelsByPayerRequest{Payer: e.payer.Addr.String()})
	require.NoError(t, err)
	require.Len(t, byPayer.Channels, 3)
	require.Equal(t, b, byPayer.Channels[1].Id)
	_, err = e.QueryServer.ChannelsByPayer(e.Ctx, &types.QueryChannelsByPayerRequest{Payer: "junk"})
	require.Error(t, err)
	_, err = e.QueryServer.Channel(e.Ctx, &types.QueryChannelRequest{ChannelId: 99})
	require.Error(t, err)
}

func TestUpdateParams(t *testing.T) {
	e := setup(t)
	p := types.DefaultParams()
	p.OwnerShareBps = 2_000
	_, err := e.MsgServer.UpdateParams(e.Ctx, &types.MsgUpdateParams{Authority: e.payer.Addr.String(), Params: p})
	requireErr(t, err, sdkerrors.ErrUnauthorized)
	bad := p
	bad.SettleBlocks = 1
	_, err = e.MsgServer.UpdateParams(e.Ctx, &types.MsgUpdateParams{Authority: e.Authority, Params: bad})
	requireErr(t, err, types.ErrInvalidParams)
	_, err = e.MsgServer.UpdateParams(e.Ctx, &types.MsgUpdateParams{Authority: e.Authority, Params: p})
	require.NoError(t, err)
	got, err := e.QueryServer.Params(e.Ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, uint32(2_000), got.Params.OwnerShareBps)
}

// TestGenesisRoundTrip: export after channels, claims, a close and a rule; import into a fresh keeper whose module
// account holds the escrow; export again gives the same state, and settlement still works from the import.
func TestGenesisRoundTrip(t *testing.T) {
	e := setup(t)
	id := e.open(t, gwHot, 10_000)
	e.open(t, gwHot2, 500)
	_, err := e.MsgServer.Claim(e.Ctx, e.claimMsg(t, id, 2_500))
	require.NoError(t, err)
	_, err = e.MsgServer.CloseChannel(e.Ctx, &types.MsgCloseChannel{Payer: e.payer.Addr.String(), ChannelId: id})
	require.NoError(t, err)
	_, err = e.MsgServer.SetAccessRule(e.Ctx, &types.MsgSetAccessRule{
		Owner: subnetOwner.String(), Netuid: netuid, Paid: true,
		QueryPrice: math.NewInt(5), MinDeposit: math.NewInt(50),
	})
	require.NoError(t, err)
	gs, err := e.Keeper.ExportGenesis(e.Ctx)
	require.NoError(t, err)
	require.Len(t, gs.Channels, 2)
	require.Equal(t, uint64(3), gs.NextChannelId)

	g := testutil.NewFixture(t)
	// Without the escrow in the module account the import is refused.
	requireErr(t, g.Keeper.InitGenesis(g.Ctx, gs), types.ErrInvalidGenesis)
	g = testutil.NewFixture(t)
	g.Fund(t, testutil.Addr("escrow-funder"), 8_000)
	require.NoError(t, g.BankKeeper.SendCoinsFromAccountToModule(g.Ctx, testutil.Addr("escrow-funder"), types.ModuleName,
		sdk.NewCoins(sdk.NewInt64Coin(testutil.Denom, 8_000))))
	require.NoError(t, g.Keeper.InitGenesis(g.Ctx, gs))
	again, err := g.Keeper.ExportGenesis(g.Ctx)
	require.NoError(t, err)
	require.Equal(t, gs, again)
	require.NoError(t, g.Keeper.CheckInvariants(g.Ctx))
	// The closed channel's settlement was rebuilt from the channel.
	g.Ctx = g.Ctx.WithBlockHeight(gs.Channels[0].SettlesAt)
	n, err := g.Keeper.SettleDue(g.Ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.NoError(t, g.Keeper.CheckInvariants(g.Ctx))
}

// TestInvariantDetectsLeak: coins leaving the module account outside a claim break the invariant.
func TestInvariantDetectsLeak(t *testing.T) {
	e := setup(t)
	e.open(t, gwHot, 1_000)
	require.NoError(t, e.Keeper.CheckInvariants(e.Ctx))
	require.NoError(t, e.BankKeeper.SendCoinsFromModuleToAccount(e.Ctx, types.ModuleName, e.other.Addr,
		sdk.NewCoins(sdk.NewInt64Coin(testutil.Denom, 1))))
	requireErr(t, e.Keeper.CheckInvariants(e.Ctx), types.ErrInvariantBroken)
	_ = keeper.Balance
}

// TestSettlementFailureNeverHalts: a refund that x/bank refuses (the payer is a blocked address) is not written,
// emits EventSettlementFailed and is retried SettleRetryBlocks later; EndBlock returns no error and the other due
// channel settles.
func TestSettlementFailureNeverHalts(t *testing.T) {
	f := testutil.NewFixture(t)
	good := testutil.Addr("good-payer")
	gs := types.DefaultGenesis()
	gs.NextChannelId = 3
	for i, payer := range []sdk.AccAddress{f.Blocked, good} {
		gs.Channels = append(gs.Channels, types.Channel{
			Id: uint64(i + 1), Payer: payer.String(), Netuid: netuid,
			Gateway: gwHot.String(), Deposit: math.NewInt(1_000), Claimed: math.NewInt(100), ClosedAt: 1, SettlesAt: 5,
		})
	}
	funder := testutil.Addr("funder-account")
	f.Fund(t, funder, 1_800)
	require.NoError(t, f.BankKeeper.SendCoinsFromAccountToModule(f.Ctx, funder, types.ModuleName,
		sdk.NewCoins(sdk.NewInt64Coin(testutil.Denom, 1_800))))
	require.NoError(t, f.Keeper.InitGenesis(f.Ctx, gs))

	f.Ctx = f.Ctx.WithBlockHeight(5).WithEventManager(sdk.NewEventManager())
	require.NoError(t, f.Keeper.EndBlock(f.Ctx))
	require.Equal(t, math.NewInt(900), f.Balance(good))
	ch, err := f.Keeper.GetChannel(f.Ctx, 1)
	require.NoError(t, err)
	require.Equal(t, int64(5)+types.SettleRetryBlocks, ch.SettlesAt)
	found := false
	for _, ev := range f.Ctx.EventManager().Events() {
		found = found || ev.Type == "tokenmind.payments.v1.EventSettlementFailed"
	}
	require.True(t, found, "no EventSettlementFailed")
	require.NoError(t, f.Keeper.CheckInvariants(f.Ctx))
	// Nothing due before the retry height.
	f.Ctx = f.Ctx.WithBlockHeight(6)
	n, err := f.Keeper.SettleDue(f.Ctx)
	require.NoError(t, err)
	require.Zero(t, n)
}
