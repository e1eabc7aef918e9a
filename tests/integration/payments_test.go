package integration_test

import (
	"testing"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	emissionstypes "github.com/tokenmind/tokenmind/x/emissions/types"
	paymentstypes "github.com/tokenmind/tokenmind/x/payments/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// paymentsChain: tempo 10, no block emission (so the only money reaching the subnet's pool is user revenue and every
// umind of it can be followed), payments with a 2% burn.
func paymentsChain(tb testing.TB, names []string) *integration.App {
	tb.Helper()
	return integration.New(tb, names, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.Tempo, hp.WeightsRateLimit, hp.ImmunityPeriod = 10, 1, 100
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
		em := emissionstypes.DefaultGenesis()
		em.Params.BlockEmission = math.ZeroInt()
		integration.SetGenesisModule(g, a, emissionstypes.ModuleName, em)
		pg := paymentstypes.DefaultGenesis()
		pg.Params.BurnShareBps = 200
		pg.Params.ClaimRateLimit = 2
		pg.Params.SettleBlocks = 20
		integration.SetGenesisModule(g, a, paymentstypes.ModuleName, pg)
	}))
}

func signVoucher(tb testing.TB, user *integration.Account, channel uint64, gateway sdk.AccAddress, amount int64) []byte {
	tb.Helper()
	sig, err := paymentstypes.SignVoucher(user.Priv, paymentstypes.Voucher{
		ChainID: integration.ChainID, ChannelID: channel,
		Gateway: gateway, Amount: math.NewInt(amount),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return sig
}

func pool(tb testing.TB, c *integration.App, netuid uint32) math.Int {
	tb.Helper()
	p, err := c.EmissionsKeeper.Pool(c.Ctx(), netuid)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestPaidQueriesReachMinersThroughYuma: a user opens a channel to a validator's gateway on a paid subnet, the
// gateway claims two vouchers fee-free, and the next epoch pays the pool share through Yuma Consensus to the miners
// and the validator's delegators; the user closes and gets the rest back after the window. Every umind is followed:
// what the user lost = gateway owner + subnet owner (share and owner cut) + burned + staked payouts + what the pool
// carries.
func TestPaidQueriesReachMinersThroughYuma(t *testing.T) {
	c := paymentsChain(t, []string{"owner", "vcold", "v1", "mcold", "m1", "m2", "delegator", "user"})
	owner, vcold, v1, mcold, del, user := c.Account("owner"), c.Account("vcold"), c.Account("v1"), c.Account("mcold"), c.Account("delegator"), c.Account("user")
	supply0 := c.Supply()

	r := c.MustDeliver([]sdk.Msg{&subnetstypes.MsgCreateSubnet{
		Owner: owner.Addr.String(), MaxCost: math.ZeroInt(),
		Identity: subnetstypes.SubnetIdentity{Name: "ner", TaskKind: "ner"},
	}}, owner)
	var created subnetstypes.MsgCreateSubnetResponse
	c.MsgResponse(r.Data, &created)
	netuid := created.Netuid
	burned := created.Cost
	for _, reg := range [][2]*integration.Account{{vcold, v1}, {mcold, c.Account("m1")}, {mcold, c.Account("m2")}} {
		r := c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{
			Coldkey: reg[0].Addr.String(), Hotkey: reg[1].Addr.String(),
			Netuid: netuid, MaxBurn: math.ZeroInt(),
		}}, reg[0], reg[1])
		var resp subnetstypes.MsgRegisterNeuronResponse
		c.MsgResponse(r.Data, &resp)
		burned = burned.Add(resp.Burned)
	}
	c.MustDeliver([]sdk.Msg{&staketypes.MsgAddStake{Coldkey: vcold.Addr.String(), Hotkey: v1.Addr.String(), Amount: math.NewInt(5_000_000)}}, vcold)
	c.MustDeliver([]sdk.Msg{&staketypes.MsgAddStake{Coldkey: del.Addr.String(), Hotkey: v1.Addr.String(), Amount: math.NewInt(3_000_000)}}, del)

	// A miner cannot be a gateway; before its permit, neither can v1.
	open := func(gw sdk.AccAddress, deposit int64) *paymentstypes.MsgOpenChannel {
		return &paymentstypes.MsgOpenChannel{Payer: user.Addr.String(), Netuid: netuid, GatewayHotkey: gw.String(), Deposit: math.NewInt(deposit)}
	}
	c.RequireError(c.Deliver([]sdk.Msg{open(c.Account("m1").Addr, 1_000_000)}, user), paymentstypes.ErrGatewayNotValidator)

	// Epochs grant v1 its permit; then it sets weights.
	for i := 0; i < 40; i++ {
		out, err := c.SubnetsKeeper.GetEpochOutput(c.Ctx(), netuid, 0)
		if err != nil {
			t.Fatal(err)
		}
		if out.ValidatorPermit {
			break
		}
		c.NextBlock()
	}
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgSetWeights{Hotkey: v1.Addr.String(), Netuid: netuid, Uids: []uint32{1, 2}, Values: []uint32{60_000, 30_000}}}, v1)

	// The owner makes the subnet paid: 1,000 umind per request, 100,000 minimum deposit.
	c.MustDeliver([]sdk.Msg{&paymentstypes.MsgSetAccessRule{
		Owner: owner.Addr.String(), Netuid: netuid, Paid: true,
		QueryPrice: math.NewInt(1_000), MinDeposit: math.NewInt(100_000),
	}}, owner)
	c.RequireError(c.Deliver([]sdk.Msg{open(v1.Addr, 99_999)}, user), paymentstypes.ErrBelowMinDeposit)
	userStart := c.Balance(user.Addr)
	r = c.MustDeliver([]sdk.Msg{open(v1.Addr, 1_000_000)}, user)
	var opened paymentstypes.MsgOpenChannelResponse
	c.MsgResponse(r.Data, &opened)
	ch := opened.ChannelId

	// 250 queries at 1,000 umind: the gateway holds a voucher for 250,000 and claims it, fee-free, from its hotkey.
	v1Bal, vcoldBal, ownerBal := c.Balance(v1.Addr), c.Balance(vcold.Addr), c.Balance(owner.Addr)
	claim1 := &paymentstypes.MsgClaim{
		GatewayHotkey: v1.Addr.String(), ChannelId: ch, CumulativeAmount: math.NewInt(250_000),
		Signature: signVoucher(t, user, ch, v1.Addr, 250_000),
	}
	r = c.MustDeliver([]sdk.Msg{claim1}, v1)
	integration.RequireEvent(t, r.Events, "tokenmind.payments.v1.EventClaim", "pool_share")
	split1 := paymentstypes.SplitClaim(math.NewInt(250_000), paramsOf(t, c))
	// 10% gateway, 5% owner, 2% burn, 83% pool of 250,000.
	if !split1.Gateway.Equal(math.NewInt(25_000)) || !split1.Owner.Equal(math.NewInt(12_500)) || !split1.Burned.Equal(math.NewInt(5_000)) || !split1.Pool.Equal(math.NewInt(207_500)) {
		t.Fatalf("split %+v", split1)
	}
	if !c.Balance(v1.Addr).Equal(v1Bal) {
		t.Fatalf("the gateway hotkey paid for its claim: %s -> %s", v1Bal, c.Balance(v1.Addr))
	}
	if got := c.Balance(vcold.Addr).Sub(vcoldBal); !got.Equal(split1.Gateway) {
		t.Fatalf("gateway owner got %s, want %s", got, split1.Gateway)
	}
	if got := c.Balance(owner.Addr).Sub(ownerBal); !got.Equal(split1.Owner) {
		t.Fatalf("subnet owner got %s, want %s", got, split1.Owner)
	}

	// The same voucher again is refused in CheckTx (it would fail), so a free claim cannot be replayed into a block;
	// so is a voucher signed for another chain.
	c.NextBlocks(2) // past claim_rate_limit, so the amount check is what refuses it
	if res := c.CheckTx(c.SignTx([]sdk.Msg{claim1}, v1)); res.Code != paymentstypes.ErrVoucherNotNewer.ABCICode() || res.Codespace != paymentstypes.ModuleName {
		t.Fatalf("replayed claim in CheckTx: code %d %s (%s)", res.Code, res.Codespace, res.Log)
	}
	foreign, _ := paymentstypes.SignVoucher(user.Priv, paymentstypes.Voucher{ChainID: "tokenmind-other-1", ChannelID: ch, Gateway: v1.Addr, Amount: math.NewInt(300_000)})
	if res := c.CheckTx(c.SignTx([]sdk.Msg{&paymentstypes.MsgClaim{
		GatewayHotkey: v1.Addr.String(), ChannelId: ch,
		CumulativeAmount: math.NewInt(300_000), Signature: foreign,
	}}, v1)); res.Code != paymentstypes.ErrInvalidVoucher.ABCICode() {
		t.Fatalf("foreign-chain voucher in CheckTx: code %d (%s)", res.Code, res.Log)
	}
	// Over the deposit: refused, saying how much escrow there is.
	over := c.Deliver([]sdk.Msg{&paymentstypes.MsgClaim{
		GatewayHotkey: v1.Addr.String(), ChannelId: ch, CumulativeAmount: math.NewInt(1_000_001),
		Signature: signVoucher(t, user, ch, v1.Addr, 1_000_001),
	}}, v1)
	c.RequireError(over, paymentstypes.ErrVoucherExceedsDeposit)

	// Second claim: 400 queries in all.
	c.NextBlocks(2)
	c.MustDeliver([]sdk.Msg{&paymentstypes.MsgClaim{
		GatewayHotkey: v1.Addr.String(), ChannelId: ch, CumulativeAmount: math.NewInt(400_000),
		Signature: signVoucher(t, user, ch, v1.Addr, 400_000),
	}}, v1)
	split2 := paymentstypes.SplitClaim(math.NewInt(150_000), paramsOf(t, c))
	rev, err := c.PaymentsKeeper.GetRevenue(c.Ctx(), netuid)
	if err != nil {
		t.Fatal(err)
	}
	if !rev.Paid.Equal(math.NewInt(400_000)) || !rev.Pool.Equal(split1.Pool.Add(split2.Pool)) || !rev.Burned.Equal(split1.Burned.Add(split2.Burned)) {
		t.Fatalf("revenue %+v", rev)
	}

	// Through the next epochs Yuma pays the pool: owner cut (liquid) + staked payouts + carried = pool, to the umind,
	// and the miners' and the validator's stake grow.
	m1Stake := c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account("m1").Addr)
	delStake := c.StakeKeeper.GetStake(c.Ctx(), del.Addr, v1.Addr)
	for epochs := 0; epochs < 2; epochs++ {
		sched, err := c.EmissionsKeeper.Schedules.Get(c.Ctx(), netuid)
		if err != nil {
			t.Fatal(err)
		}
		for c.Height()+1 < int64(sched.NextEpochHeight) {
			c.NextBlock()
		}
		before := pool(t, c, netuid)
		ownerBefore, stakeBefore := c.Balance(owner.Addr), c.StakeKeeper.GetTotalStake(c.Ctx())
		c.NextBlock() // the epoch
		after := pool(t, c, netuid)
		ownerCut := c.Balance(owner.Addr).Sub(ownerBefore)
		staked := c.StakeKeeper.GetTotalStake(c.Ctx()).Sub(stakeBefore)
		if !ownerCut.Add(staked).Add(after).Equal(before) {
			t.Fatalf("epoch: owner cut %s + staked %s + carried %s != pool %s", ownerCut, staked, after, before)
		}
		if want := before.MulRaw(int64(emissionstypes.DefaultOwnerCutBps)).QuoRaw(10_000); !ownerCut.Equal(want) {
			t.Fatalf("owner cut %s, want %s of pool %s", ownerCut, want, before)
		}
	}
	if !c.StakeKeeper.GetTotalHotkeyStake(c.Ctx(), c.Account("m1").Addr).GT(m1Stake) {
		t.Fatal("miner m1 earned nothing from the revenue")
	}
	if !c.StakeKeeper.GetStake(c.Ctx(), del.Addr, v1.Addr).GT(delStake) {
		t.Fatal("the validator's delegator earned nothing from the revenue")
	}

	// Close: the gateway may still claim during the window; then the rest returns to the user.
	r = c.MustDeliver([]sdk.Msg{&paymentstypes.MsgCloseChannel{Payer: user.Addr.String(), ChannelId: ch}}, user)
	var closed paymentstypes.MsgCloseChannelResponse
	c.MsgResponse(r.Data, &closed)
	c.MustDeliver([]sdk.Msg{&paymentstypes.MsgClaim{
		GatewayHotkey: v1.Addr.String(), ChannelId: ch, CumulativeAmount: math.NewInt(401_000),
		Signature: signVoucher(t, user, ch, v1.Addr, 401_000),
	}}, v1)
	split3 := paymentstypes.SplitClaim(math.NewInt(1_000), paramsOf(t, c))
	for c.Height() < closed.SettlesAt {
		c.NextBlock()
	}
	if _, err := c.PaymentsKeeper.GetChannel(c.Ctx(), ch); err == nil {
		t.Fatal("channel not settled after its window")
	}
	if lost := userStart.Sub(c.Balance(user.Addr)); !lost.Equal(math.NewInt(401_000)) {
		t.Fatalf("user lost %s, want exactly the 401000 it signed for", lost)
	}
	if err := c.PaymentsKeeper.CheckInvariants(c.Ctx()); err != nil {
		t.Fatal(err)
	}
	if err := c.EmissionsKeeper.CheckInvariants(c.Ctx()); err != nil {
		t.Fatal(err)
	}
	// Supply: nothing minted; only creation, registrations and the documented burn share left it.
	totalBurn := split1.Burned.Add(split2.Burned).Add(split3.Burned)
	if want := supply0.Sub(burned).Sub(totalBurn); !c.Supply().Equal(want) {
		t.Fatalf("supply %s, want %s", c.Supply(), want)
	}
}

func paramsOf(tb testing.TB, c *integration.App) paymentstypes.Params {
	tb.Helper()
	p, err := c.PaymentsKeeper.Params.Get(c.Ctx())
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestClaimIsFreeForRegisteredGateway runs CheckTx on a node with a minimum gas price: the gateway's claim with no
// fee is admitted (the ante handler ran CheckClaim), a claim by another hotkey or any other Msg without a fee is
// refused.
func TestClaimIsFreeForRegisteredGateway(t *testing.T) {
	c := integration.New(t, []string{"owner", "gw", "other", "user"}, integration.WithBaseAppOptions(baseapp.SetMinGasPrices("0.01umind")),
		integration.WithGenesis(func(g app.GenesisState, a *app.App) {
			gs := subnetstypes.DefaultGenesis()
			gs.Params.SubnetMinCost = math.NewInt(1_000_000)
			integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
		}))
	owner, gw, other, user := c.Account("owner"), c.Account("gw"), c.Account("other"), c.Account("user")
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgCreateSubnet{
		Owner: owner.Addr.String(), MaxCost: math.ZeroInt(),
		Identity: subnetstypes.SubnetIdentity{Name: "ner", TaskKind: "ner"},
	}}, owner)
	for _, h := range []*integration.Account{gw, other} {
		c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{Coldkey: owner.Addr.String(), Hotkey: h.Addr.String(), Netuid: 1, MaxBurn: math.ZeroInt()}}, owner, h)
	}
	r := c.MustDeliver([]sdk.Msg{&paymentstypes.MsgOpenChannel{Payer: user.Addr.String(), Netuid: 1, GatewayHotkey: gw.Addr.String(), Deposit: math.NewInt(1_000_000)}}, user)
	var opened paymentstypes.MsgOpenChannelResponse
	c.MsgResponse(r.Data, &opened)
	claim := func(signer *integration.Account) []sdk.Msg {
		return []sdk.Msg{&paymentstypes.MsgClaim{
			GatewayHotkey: signer.Addr.String(), ChannelId: opened.ChannelId,
			CumulativeAmount: math.NewInt(5_000), Signature: signVoucher(t, user, opened.ChannelId, signer.Addr, 5_000),
		}}
	}
	if res := c.CheckTx(c.SignTx(claim(gw), gw)); res.Code != 0 {
		t.Fatalf("free claim of the channel's gateway refused: %s", res.Log)
	}
	if res := c.CheckTx(c.SignTx(claim(other), other)); res.Code != paymentstypes.ErrNotChannelGateway.ABCICode() {
		t.Fatalf("free claim by another hotkey: code %d (%s)", res.Code, res.Log)
	}
	send := []sdk.Msg{banktypes.NewMsgSend(user.Addr, owner.Addr, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))}
	if res := c.CheckTx(c.SignTx(send, user)); res.Code == 0 {
		t.Fatal("a fee-less MsgSend was admitted despite the minimum gas price")
	}
	c.NextBlock() // commit resets the check state that the admitted CheckTx advanced
	gwBal := c.Balance(gw.Addr)
	c.MustDeliver(claim(gw), gw)
	if !c.Balance(gw.Addr).Equal(gwBal) {
		t.Fatalf("the gateway hotkey's balance moved: %s -> %s", gwBal, c.Balance(gw.Addr))
	}
}
