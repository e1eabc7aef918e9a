package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/testutil/integration"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

var accounts = []string{"alice", "bob", "carol", "h1", "h2", "h3", "h4", "h5"}

// newChain starts a chain where subnets are cheap and small: 3 UIDs, immunity 5 blocks.
func newChain(t *testing.T) *integration.App {
	t.Helper()
	return integration.New(t, accounts, integration.WithGenesis(func(g app.GenesisState, a *app.App) {
		gs := types.DefaultGenesis()
		gs.Params.SubnetMinCost = math.NewInt(1_000_000)
		gs.Params.DefaultHyperparameters.MaxAllowedUids = 3
		gs.Params.DefaultHyperparameters.MaxAllowedValidators = 3
		gs.Params.DefaultHyperparameters.ImmunityPeriod = 5
		gs.Params.DefaultHyperparameters.ServingRateLimit = 3
		integration.SetGenesisModule(g, a, types.ModuleName, gs)
	}))
}

func createSubnet(t *testing.T, c *integration.App, owner string) uint32 {
	t.Helper()
	r := c.MustDeliver([]sdk.Msg{&types.MsgCreateSubnet{
		Owner: c.Account(owner).Addr.String(), MaxCost: math.ZeroInt(),
		Identity: types.SubnetIdentity{Name: "entities", TaskKind: "ner"},
	}}, c.Account(owner))
	var resp types.MsgCreateSubnetResponse
	unpackResponse(t, c, r.Data, &resp)
	return resp.Netuid
}

func register(c *integration.App, netuid uint32, coldkey, hotkey string, maxBurn math.Int) *registration {
	r := c.Deliver([]sdk.Msg{&types.MsgRegisterNeuron{
		Coldkey: c.Account(coldkey).Addr.String(), Hotkey: c.Account(hotkey).Addr.String(), Netuid: netuid, MaxBurn: maxBurn,
	}}, c.Account(coldkey), c.Account(hotkey))
	return &registration{code: r.Code, codespace: r.Codespace, log: r.Log, data: r.Data, res: r}
}

func TestCreateSubnetBurnsCostAndDoublesIt(t *testing.T) {
	c := newChain(t)
	alice := c.Account("alice")
	supply, bal := supplyNetOfMint(c), c.Balance(alice.Addr)
	netuid := createSubnet(t, c, "alice")
	if netuid != 1 {
		t.Fatalf("first netuid = %d, want 1", netuid)
	}
	burned := bal.Sub(c.Balance(alice.Addr))
	if !burned.Equal(math.NewInt(1_000_000)) || !supply.Sub(supplyNetOfMint(c)).Equal(burned) {
		t.Fatalf("burned %s from alice, supply fell by %s; want 1000000 both", burned, supply.Sub(supplyNetOfMint(c)))
	}
	cost, err := c.SubnetsKeeper.SubnetCreationCost(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	// Right after a creation the cost is about double the last one (minus the linear decay of one block).
	if cost.LT(math.NewInt(1_999_000)) || cost.GT(math.NewInt(2_000_000)) {
		t.Fatalf("cost after one creation = %s, want ~2000000", cost)
	}
	r := c.Deliver([]sdk.Msg{&types.MsgCreateSubnet{
		Owner: alice.Addr.String(), MaxCost: math.NewInt(1_500_000), Identity: types.SubnetIdentity{Name: "x", TaskKind: "ner"},
	}}, alice)
	c.RequireError(r, types.ErrCostAboveLimit)
	s, err := c.SubnetsKeeper.GetSubnet(c.Ctx(), 1)
	if err != nil || s.Owner != alice.Addr.String() || s.Identity.TaskKind != "ner" || !s.Locked.Equal(math.NewInt(1_000_000)) {
		t.Fatalf("subnet = %+v, %v", s, err)
	}
}

// TestRegistrationLifecycle walks create → register until full → all immune → replacement of the right UID.
func TestRegistrationLifecycle(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	bob := c.Account("bob")

	before, supply := c.Balance(bob.Addr), supplyNetOfMint(c)
	r := register(c, netuid, "bob", "h1", math.ZeroInt())
	r.ok(t)
	var first types.MsgRegisterNeuronResponse
	unpackResponse(t, c, r.data, &first)
	price := first.Burned // the price at the registration's block (it decays every block)
	if !price.IsPositive() {
		t.Fatalf("registration burned %s", price)
	}
	if paid := before.Sub(c.Balance(bob.Addr)); !paid.Equal(price) || !supply.Sub(supplyNetOfMint(c)).Equal(price) {
		t.Fatalf("paid %s, supply fell %s; want the price %s burned", paid, supply.Sub(supplyNetOfMint(c)), price)
	}
	// The price is multiplied by 1.26 after a registration (then decays per block).
	if got := mustSubnet(t, c, netuid).Burn; got.LT(price) {
		t.Fatalf("price after a registration %s < before %s", got, price)
	}
	register(c, netuid, "bob", "h2", math.ZeroInt()).ok(t)
	register(c, netuid, "bob", "h3", math.ZeroInt()).ok(t)
	if n := mustSubnet(t, c, netuid).N; n != 3 {
		t.Fatalf("n = %d, want 3", n)
	}

	// Full and every neuron immune: refused, nothing paid.
	before = c.Balance(bob.Addr)
	register(c, netuid, "bob", "h4", math.ZeroInt()).is(t, types.ErrSubnetFullAllImmune)
	if !c.Balance(bob.Addr).Equal(before) {
		t.Fatal("a refused registration cost the coldkey money")
	}

	// Give UID 0 some emission; UIDs 1 and 2 tie at zero, so the older of them (UID 1) is replaced.
	if err := c.SubnetsKeeper.SetEpochOutput(ctxWrite(c), netuid, 0, types.EpochOutput{Emission: math.NewInt(100)}); err != nil {
		t.Fatal(err)
	}
	c.NextBlocks(6) // immunity (5 blocks) is over for all three
	imm := queryImmunity(t, c, netuid)
	if !imm.Full || !imm.HasNextReplaced || imm.NextReplacedUid != 1 {
		t.Fatalf("immunity query = %+v, want full with uid 1 next", imm)
	}
	r = register(c, netuid, "bob", "h4", math.ZeroInt())
	r.ok(t)
	var resp types.MsgRegisterNeuronResponse
	unpackResponse(t, c, r.data, &resp)
	if resp.Uid != 1 || resp.ReplacedHotkey != c.Account("h2").Addr.String() {
		t.Fatalf("replaced uid %d (%s), want uid 1 (h2)", resp.Uid, resp.ReplacedHotkey)
	}
	requireEvent(t, r.res.Events, "tokenmind.subnets.v1.EventNeuronRegistered", "replace_reason")
	// h2 is gone from the subnet, h4 holds UID 1 with fresh state; the epoch output of UID 0 is untouched.
	if _, err := c.SubnetsKeeper.GetUid(c.Ctx(), netuid, c.Account("h2").Addr); err == nil {
		t.Fatal("replaced hotkey still registered")
	}
	n, err := c.SubnetsKeeper.GetNeuron(c.Ctx(), netuid, 1)
	if err != nil || n.Hotkey != c.Account("h4").Addr.String() || n.RegisteredAt != uint64(c.Height()) {
		t.Fatalf("uid 1 = %+v, %v", n, err)
	}
	// The old hotkey stays owned by bob: another coldkey cannot take it.
	register(c, netuid, "carol", "h2", math.ZeroInt()).is(t, types.ErrHotkeyOwnedByOther)
	// h4 is immune now, so the next replacement is UID 2 (UID 0 earns more).
	imm = queryImmunity(t, c, netuid)
	if imm.NextReplacedUid != 2 {
		t.Fatalf("next replaced = %d, want 2", imm.NextReplacedUid)
	}
}

func TestRegistrationRejections(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, 99, "bob", "h1", math.ZeroInt()).is(t, types.ErrSubnetNotFound)
	register(c, netuid, "bob", "h1", math.NewInt(1)).is(t, types.ErrCostAboveLimit)
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t)
	register(c, netuid, "bob", "h1", math.ZeroInt()).is(t, types.ErrHotkeyAlreadyRegistered)
	r := c.Deliver([]sdk.Msg{&types.MsgRegisterNeuron{
		Coldkey: c.Account("bob").Addr.String(), Hotkey: c.Account("bob").Addr.String(), Netuid: netuid, MaxBurn: math.ZeroInt(),
	}}, c.Account("bob"))
	c.RequireError(r, types.ErrHotkeyIsColdkey)

	// Disable registration through the owner's hyperparameters.
	hp := mustSubnet(t, c, netuid).Hyperparameters
	hp.RegistrationAllowed = false
	c.MustDeliver([]sdk.Msg{&types.MsgSetHyperparameters{Owner: c.Account("alice").Addr.String(), Netuid: netuid, Hyperparameters: hp}}, c.Account("alice"))
	register(c, netuid, "bob", "h2", math.ZeroInt()).is(t, types.ErrRegistrationDisabled)
}

func TestRegistrationNeedsBothSignatures(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	msg := &types.MsgRegisterNeuron{Coldkey: c.Account("bob").Addr.String(), Hotkey: c.Account("h1").Addr.String(), Netuid: netuid, MaxBurn: math.ZeroInt()}
	// Signed by the coldkey alone: the tx is invalid (the hotkey did not consent).
	if r := c.Deliver([]sdk.Msg{msg}, c.Account("bob")); r.Code == 0 {
		t.Fatal("registration without the hotkey's signature succeeded")
	}
	// Signed by someone else in place of the hotkey.
	if r := c.Deliver([]sdk.Msg{msg}, c.Account("bob"), c.Account("h2")); r.Code == 0 {
		t.Fatal("registration signed by the wrong hotkey succeeded")
	}
	if _, err := c.SubnetsKeeper.GetUid(c.Ctx(), netuid, c.Account("h1").Addr); err == nil {
		t.Fatal("h1 registered without consenting")
	}
}

func TestBurnDecaysEveryBlock(t *testing.T) {
	c := newChain(t)
	netuid := createSubnet(t, c, "alice")
	register(c, netuid, "bob", "h1", math.ZeroInt()).ok(t)
	p0 := mustSubnet(t, c, netuid).Burn
	hp := mustSubnet(t, c, netuid).Hyperparameters
	c.NextBlocks(int(hp.BurnHalfLife))
	p1 := mustSubnet(t, c, netuid).Burn
	// After one half-life the price is half (within flooring), but never below min_burn.
	want := p0.QuoRaw(2)
	if want.LT(hp.MinBurn) {
		want = hp.MinBurn
	}
	diff := p1.Sub(want).Abs()
	if diff.GT(p0.QuoRaw(1000)) {
		t.Fatalf("after %d blocks price = %s, want ~%s (from %s)", hp.BurnHalfLife, p1, want, p0)
	}
}
