package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/emissions/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// emisChain is newChain (tempo 10, weights_rate_limit 1, 16 UIDs) with the x/emissions genesis changed by set.
func emisChain(t *testing.T, set func(gs *types.GenesisState), opts ...integration.Option) *integration.App {
	t.Helper()
	return integration.New(t, names, append([]integration.Option{integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := subnetstypes.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		hp := &gs.Params.DefaultHyperparameters
		hp.Tempo, hp.WeightsRateLimit, hp.MaxAllowedUids, hp.MaxAllowedValidators = 10, 1, 16, 8
		integration.SetGenesisModule(g, a, subnetstypes.ModuleName, gs)
		eg := types.DefaultGenesis()
		if set != nil {
			set(eg)
		}
		integration.SetGenesisModule(g, a, types.ModuleName, eg)
	})}, opts...)...)
}

// createSubnetsInOneBlock creates one subnet per owner, all in the same block (so their epochs fall due together),
// and returns their netuids in creation order.
func createSubnetsInOneBlock(t *testing.T, c *integration.App, owners ...string) []uint32 {
	t.Helper()
	var txs [][]byte
	for _, o := range owners {
		txs = append(txs, c.SignTx([]sdk.Msg{&subnetstypes.MsgCreateSubnet{
			Owner: c.Account(o).Addr.String(), MaxCost: math.ZeroInt(),
			Identity: subnetstypes.SubnetIdentity{Name: "ner", TaskKind: "ner"},
		}}, c.Account(o)))
	}
	res := c.NextBlock(txs...)
	var out []uint32
	for i, r := range res.TxResults {
		if r.Code != 0 {
			t.Fatalf("create subnet %d: %s/%d %s", i, r.Codespace, r.Code, r.Log)
		}
		var resp subnetstypes.MsgCreateSubnetResponse
		c.MsgResponse(r.Data, &resp)
		out = append(out, resp.Netuid)
	}
	return out
}

// untilStarted commits blocks until every netuid's first epoch has come.
func untilStarted(t *testing.T, c *integration.App, netuids ...uint32) {
	t.Helper()
	for i := 0; i < 100; i++ {
		all := true
		for _, n := range netuids {
			s, err := c.EmissionsKeeper.Schedules.Get(c.Ctx(), n)
			if err != nil || !s.Started {
				all = false
			}
		}
		if all {
			return
		}
		c.NextBlock()
	}
	t.Fatalf("subnets %v did not start within 100 blocks", netuids)
}

// epochDueNextBlock reports whether any epoch falls due at the next block.
func epochDueNextBlock(t *testing.T, c *integration.App) bool {
	t.Helper()
	rng := new(collections.Range[collections.Pair[uint64, uint32]]).EndInclusive(collections.Join(uint64(c.Height()+1), ^uint32(0)))
	iter, err := c.EmissionsKeeper.EpochQueue.Iterate(c.Ctx(), rng)
	if err != nil {
		t.Fatal(err)
	}
	defer iter.Close()
	return iter.Valid()
}

// untilQuiet commits blocks until no epoch falls due at the next block.
func untilQuiet(t *testing.T, c *integration.App) {
	t.Helper()
	for i := 0; epochDueNextBlock(t, c); i++ {
		if i > 100 {
			t.Fatal("an epoch is due at every block")
		}
		c.NextBlock()
	}
}

func pools(t *testing.T, c *integration.App, netuids []uint32) []math.Int {
	t.Helper()
	out := make([]math.Int, len(netuids))
	for i, n := range netuids {
		p, err := c.EmissionsKeeper.Pool(c.Ctx(), n)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = p
	}
	return out
}

func undistributed(t *testing.T, c *integration.App) math.Int {
	t.Helper()
	u, err := c.EmissionsKeeper.Undistributed.Get(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func moduleBalance(c *integration.App, module string) math.Int {
	return c.Balance(c.AccountKeeper.GetModuleAddress(module))
}

// setParams writes x/emissions params in ctx (from c.WriteCtx(): they apply from the next block), which is what a
// passed gov proposal does (gov itself is in TestParamsChangeByGovernance). Each WriteCtx call starts the next
// block's state afresh, so make every write of a block through one ctx.
func setParams(t *testing.T, c *integration.App, ctx sdk.Context, f func(p *types.Params)) {
	t.Helper()
	p, err := c.EmissionsKeeper.Params.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f(&p)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := c.EmissionsKeeper.Params.Set(ctx, p); err != nil {
		t.Fatal(err)
	}
}

// typedEvents decodes the block's events of one typed-event kind (e.g. &types.EventEpoch{}).
func typedEvents[T proto.Message](t *testing.T, events []abci.Event) []T {
	t.Helper()
	var zero T
	name := proto.MessageName(zero)
	var out []T
	for _, e := range events {
		if e.Type != name {
			continue
		}
		// FinalizeBlock tags events with where they came from (mode=BeginBlock, msg_index=…); those are not fields.
		fields := abci.Event{Type: e.Type}
		for _, a := range e.Attributes {
			if a.Key != "mode" && a.Key != "msg_index" {
				fields.Attributes = append(fields.Attributes, a)
			}
		}
		msg, err := sdk.ParseTypedEvent(fields)
		if err != nil {
			t.Fatalf("event %s: %v", e.Type, err)
		}
		out = append(out, msg.(T))
	}
	return out
}

func ints(xs ...int64) []math.Int {
	out := make([]math.Int, len(xs))
	for i, x := range xs {
		out[i] = math.NewInt(x)
	}
	return out
}

func equalInts(a, b []math.Int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func sub(a, b []math.Int) []math.Int {
	out := make([]math.Int, len(a))
	for i := range a {
		out[i] = a[i].Sub(b[i])
	}
	return out
}
