package types_test

import (
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/app"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

func init() { app.SetConfig() }

func TestDefaultParamsValidate(t *testing.T) {
	if err := types.DefaultParams().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := types.DefaultGenesis().Validate(); err != nil {
		t.Fatal(err)
	}
	p := types.DefaultParams()
	p.MinHyperparameters.Tempo = p.MaxHyperparameters.Tempo + 1
	if err := p.Validate(); err == nil {
		t.Fatal("min bound above max bound accepted")
	}
	p = types.DefaultParams()
	p.DefaultHyperparameters.Kappa = 70000
	if err := p.Validate(); err == nil {
		t.Fatal("kappa above 65535 accepted")
	}
}

func TestBurnDecayFactorHalvesOverHalfLife(t *testing.T) {
	for _, h := range []uint64{1, 2, 10, 360, 7200} {
		f := types.BurnDecayFactorQ32(h)
		p := math.NewInt(1 << 40)
		min, max := math.ZeroInt(), math.ZeroInt()
		for i := uint64(0); i < h; i++ {
			p = types.DecayBurn(p, f, min, max)
		}
		half := math.NewInt(1 << 39)
		// The factor is the largest with f^h <= 0.5 when f^h is floored in Q32 at each step, so a large price
		// halves to within the rounding of that search (0.1%).
		if p.Sub(half).Abs().GT(half.QuoRaw(1000)) {
			t.Errorf("half-life %d: price %s after %d blocks, want about %s", h, p, h, half)
		}
	}
	if got := types.BurnDecayFactorQ32(0); got != 1<<32 {
		t.Errorf("half-life 0 should not decay, factor %d", got)
	}
}

func TestBumpAndClampBurn(t *testing.T) {
	got := types.BumpBurn(math.NewInt(1_000_000), 1260, math.NewInt(10), math.NewInt(100_000_000))
	if !got.Equal(math.NewInt(1_260_000)) {
		t.Fatalf("bump = %s", got)
	}
	if got := types.BumpBurn(math.NewInt(90_000_000), 1260, math.ZeroInt(), math.NewInt(100_000_000)); !got.Equal(math.NewInt(100_000_000)) {
		t.Fatalf("clamp to max = %s", got)
	}
}

func TestSubnetCreationCostRule(t *testing.T) {
	floor := math.NewInt(100)
	cases := []struct {
		last        int64
		lastAt, now uint64
		interval    uint64
		want        int64
	}{
		{0, 0, 50, 100, 100},     // nothing created yet: the floor
		{100, 10, 10, 100, 200},  // just after a creation: double
		{100, 10, 60, 100, 100},  // half way: 200 - 100 = 100
		{500, 10, 35, 100, 750},  // 1000 - 1000*25/100
		{500, 10, 500, 100, 100}, // fully decayed: the floor
	}
	for _, c := range cases {
		got := types.SubnetCreationCost(floor, math.NewInt(c.last), c.lastAt, c.now, c.interval)
		if !got.Equal(math.NewInt(c.want)) {
			t.Errorf("last %d at %d, now %d: cost %s, want %d", c.last, c.lastAt, c.now, got, c.want)
		}
	}
}

func addr(b byte) string { return sdk.AccAddress(append(make([]byte, 19), b)).String() }

// FuzzMsgValidation feeds arbitrary strings to every Msg's validation: it must never panic, and what it accepts
// must be well-formed.
func FuzzMsgValidation(f *testing.F) {
	f.Add("entities", "ner", "/ip4/1.2.3.4/tcp/4001", "full", uint32(1))
	f.Add("", "NER!", "ip4/x", "\x00", uint32(0))
	f.Add("x", "a.b-c_d", "/dns4/miner-1/tcp/4001", "m", uint32(7))
	f.Fuzz(func(t *testing.T, name, task, maddr, model string, netuid uint32) {
		owner, hot := addr(1), addr(2)
		cs := &types.MsgCreateSubnet{Owner: owner, MaxCost: math.ZeroInt(), Identity: types.SubnetIdentity{Name: name, TaskKind: task}}
		if cs.ValidateBasic() == nil && (!types.ValidTaskKind(task) || len(name) > types.MaxNameLength) {
			t.Fatalf("accepted bad identity %q/%q", name, task)
		}
		sv := &types.MsgServe{Hotkey: hot, Netuid: netuid, Multiaddrs: []string{maddr}, Model: model}
		if sv.ValidateBasic() == nil {
			if netuid == 0 || types.ValidateMultiaddr(maddr) != nil || len(model) > types.MaxModelLength {
				t.Fatalf("accepted bad serve %q %q %d", maddr, model, netuid)
			}
		}
		rn := &types.MsgRegisterNeuron{Coldkey: owner, Hotkey: name, Netuid: netuid, MaxBurn: math.ZeroInt()}
		if rn.ValidateBasic() == nil {
			if _, err := sdk.AccAddressFromBech32(name); err != nil {
				t.Fatalf("accepted hotkey %q", name)
			}
		}
		_ = (&types.MsgSetHyperparameters{Owner: model, Netuid: netuid, Hyperparameters: types.DefaultHyperparameters()}).ValidateBasic()
	})
}
