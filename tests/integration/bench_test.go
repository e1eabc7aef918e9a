package integration_test

import (
	"fmt"
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	paymentstypes "github.com/tokenmind/tokenmind/x/payments/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// benchPool is how many hotkeys one chain of the registration benchmark prepares.
const benchPool = 450

func benchChain(b *testing.B, opts ...integration.Option) *integration.App {
	b.Helper()
	names := []string{"owner", "cold"}
	for i := 0; i < benchPool; i++ {
		names = append(names, fmt.Sprintf("hot%d", i))
	}
	opts = append([]integration.Option{integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		gs.Params.DefaultHyperparameters.MaxAllowedUids = 4096
		gs.Params.DefaultHyperparameters.BurnIncreaseMultMilli = 1000
		gs.Params.DefaultHyperparameters.WeightsRateLimit = 1
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
	})}, opts...)
	c := integration.New(b, names, opts...)
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgCreateSubnet{
		Owner: c.Account("owner").Addr.String(), MaxCost: math.ZeroInt(),
		Identity: subnetstypes.SubnetIdentity{Name: "bench", TaskKind: "ner"},
	}}, c.Account("owner"))
	return c
}

// Each iteration signs one tx and delivers it in its own block (FinalizeBlock + Commit), so the three numbers
// share the same per-block overhead and their ratios show the Msgs' own cost.
func BenchmarkDeliverMsgSend(b *testing.B) {
	c := benchChain(b)
	from, to := c.Account("cold"), c.Account("owner")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tx := c.SignTx([]sdk.Msg{banktypes.NewMsgSend(from.Addr, to.Addr, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))}, from)
		b.StartTimer()
		if r := c.NextBlock(tx).TxResults[0]; r.Code != 0 {
			b.Fatal(r.Log)
		}
	}
}

func BenchmarkDeliverMsgAddStake(b *testing.B) {
	c := benchChain(b)
	cold, hot := c.Account("cold"), c.Account("hot0")
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{Coldkey: cold.Addr.String(), Hotkey: hot.Addr.String(), Netuid: 1, MaxBurn: math.ZeroInt()}}, cold, hot)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tx := c.SignTx([]sdk.Msg{&staketypes.MsgAddStake{Coldkey: cold.Addr.String(), Hotkey: hot.Addr.String(), Amount: math.NewInt(1_000_000)}}, cold)
		b.StartTimer()
		if r := c.NextBlock(tx).TxResults[0]; r.Code != 0 {
			b.Fatal(r.Log)
		}
	}
}

func BenchmarkDeliverMsgRegisterNeuron(b *testing.B) {
	c := benchChain(b)
	cold := c.Account("cold")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if i > 0 && i%benchPool == 0 { // every prepared hotkey is registered: start a fresh chain
			c = benchChain(b)
			cold = c.Account("cold")
		}
		hot := c.Account(fmt.Sprintf("hot%d", i%benchPool))
		tx := c.SignTx([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{Coldkey: cold.Addr.String(), Hotkey: hot.Addr.String(), Netuid: 1, MaxBurn: math.ZeroInt()}}, cold, hot)
		b.StartTimer()
		if r := c.NextBlock(tx).TxResults[0]; r.Code != 0 {
			b.Fatal(r.Log)
		}
	}
}

// BenchmarkDeliverMsgSetWeights256 sets weights on 256 UIDs from the subnet owner's hotkey (no permit needed), one tx
// per block like the other Msg benchmarks.
func BenchmarkDeliverMsgSetWeights256(b *testing.B) {
	c := benchChain(b)
	owner, cold := c.Account("owner"), c.Account("cold")
	vali := c.Account("hot0")
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{Coldkey: owner.Addr.String(), Hotkey: vali.Addr.String(), Netuid: 1, MaxBurn: math.ZeroInt()}}, owner, vali)
	uids := make([]uint32, 0, 256)
	values := make([]uint32, 0, 256)
	for i := 1; i <= 256; i++ {
		hot := c.Account(fmt.Sprintf("hot%d", i))
		c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{Coldkey: cold.Addr.String(), Hotkey: hot.Addr.String(), Netuid: 1, MaxBurn: math.ZeroInt()}}, cold, hot)
		uids = append(uids, uint32(i))
		values = append(values, uint32(1+(i*7919)%65535))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tx := c.SignTx([]sdk.Msg{&subnetstypes.MsgSetWeights{Hotkey: vali.Addr.String(), Netuid: 1, Uids: uids, Values: values}}, vali)
		b.StartTimer()
		if r := c.NextBlock(tx).TxResults[0]; r.Code != 0 {
			b.Fatal(r.Log)
		}
	}
}

// BenchmarkDeliverMsgClaim claims a new cumulative voucher every block (claim_rate_limit 0) from the gateway hotkey,
// fee-free: the ante handler's CheckClaim and the Msg each verify the voucher, plus the tx signature. Compare with
// BenchmarkDeliverMsgSend.
func BenchmarkDeliverMsgClaim(b *testing.B) {
	c := benchChain(b, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		pg := paymentstypes.DefaultGenesis()
		pg.Params.ClaimRateLimit = 0
		integration.SetGenesisModule(g, a, paymentstypes.ModuleName, pg)
	}))
	owner, user, gw := c.Account("owner"), c.Account("cold"), c.Account("hot0")
	// The subnet owner's hotkey may be a gateway before validator permits exist.
	c.MustDeliver([]sdk.Msg{&subnetstypes.MsgRegisterNeuron{Coldkey: owner.Addr.String(), Hotkey: gw.Addr.String(), Netuid: 1, MaxBurn: math.ZeroInt()}}, owner, gw)
	r := c.MustDeliver([]sdk.Msg{&paymentstypes.MsgOpenChannel{
		Payer: user.Addr.String(), Netuid: 1, GatewayHotkey: gw.Addr.String(),
		Deposit: math.NewInt(100_000_000_000),
	}}, user)
	var opened paymentstypes.MsgOpenChannelResponse
	c.MsgResponse(r.Data, &opened)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		amount := math.NewInt(int64(i+1) * 1_000)
		sig, err := paymentstypes.SignVoucher(user.Priv, paymentstypes.Voucher{
			ChainID: integration.ChainID, ChannelID: opened.ChannelId,
			Gateway: gw.Addr, Amount: amount,
		})
		if err != nil {
			b.Fatal(err)
		}
		tx := c.SignTx([]sdk.Msg{&paymentstypes.MsgClaim{
			GatewayHotkey: gw.Addr.String(), ChannelId: opened.ChannelId,
			CumulativeAmount: amount, Signature: sig,
		}}, gw)
		b.StartTimer()
		if r := c.NextBlock(tx).TxResults[0]; r.Code != 0 {
			b.Fatal(r.Log)
		}
	}
}
