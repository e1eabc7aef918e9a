package types_test

import (
	"errors"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

// TestEmissionAtHalvesAtEachInterval: the block emission is block_emission until the first halving height, then
// halves (flooring) once per full halving_interval, and reaches zero after enough halvings.
func TestEmissionAtHalvesAtEachInterval(t *testing.T) {
	p := types.DefaultParams()
	p.BlockEmission, p.HalvingInterval = math.NewInt(1_000_001), 100
	cases := []struct {
		height uint64
		want   int64
	}{
		{0, 1_000_001}, {1, 1_000_001}, {99, 1_000_001}, // before the first halving
		{100, 500_000}, {101, 500_000}, {199, 500_000}, // 1_000_001 >> 1, floored
		{200, 250_000}, {300, 125_000}, {1900, 1}, // 1_000_001 >> 19 = 1
		{2000, 0}, {25_500, 0}, {25_600, 0}, {^uint64(0), 0}, // 20 halvings and more: nothing left
	}
	for _, c := range cases {
		if got := p.EmissionAt(c.height); !got.Equal(math.NewInt(c.want)) {
			t.Errorf("EmissionAt(%d) = %s, want %d", c.height, got, c.want)
		}
	}
	next := []struct{ height, want uint64 }{{0, 100}, {99, 100}, {100, 200}, {150, 200}, {1999, 2000}}
	for _, c := range next {
		if got := p.NextHalving(c.height); got != c.want {
			t.Errorf("NextHalving(%d) = %d, want %d", c.height, got, c.want)
		}
	}

	// The default: 1 MIND until height 10,512,000, then 0.5 MIND.
	d := types.DefaultParams()
	if got := d.EmissionAt(d.HalvingInterval - 1); !got.Equal(math.NewInt(1_000_000)) {
		t.Errorf("default emission before the halving = %s", got)
	}
	if got := d.EmissionAt(d.HalvingInterval); !got.Equal(math.NewInt(500_000)) {
		t.Errorf("default emission at the halving = %s", got)
	}

	// halving_interval 0: never halves.
	p.HalvingInterval = 0
	if got := p.EmissionAt(1 << 40); !got.Equal(math.NewInt(1_000_001)) || p.NextHalving(5) != 0 {
		t.Errorf("without halving: EmissionAt = %s, NextHalving = %d", got, p.NextHalving(5))
	}
}

// TestParamsValidate: each invalid field is refused with ErrInvalidParams.
func TestParamsValidate(t *testing.T) {
	if err := types.DefaultParams().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := types.DefaultGenesis().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := map[string]func(p *types.Params){
		"negative emission":    func(p *types.Params) { p.BlockEmission = math.NewInt(-1) },
		"nil emission":         func(p *types.Params) { p.BlockEmission = math.Int{} },
		"security share > 100": func(p *types.Params) { p.SecurityShareBps = 10_001 },
		"owner cut > 100":      func(p *types.Params) { p.OwnerCutBps = 10_001 },
		"unknown split policy": func(p *types.Params) { p.SubnetSplitPolicy = types.SubnetSplitPolicy(99) },
		"unspecified policy":   func(p *types.Params) { p.SubnetSplitPolicy = 0 },
		"no epochs per block":  func(p *types.Params) { p.MaxEpochsPerBlock = 0 },
	}
	for _, name := range []string{
		"negative emission", "nil emission", "security share > 100", "owner cut > 100",
		"unknown split policy", "unspecified policy", "no epochs per block",
	} {
		p := types.DefaultParams()
		bad[name](&p)
		if err := p.Validate(); !errors.Is(err, types.ErrInvalidParams) {
			t.Errorf("%s: Validate() = %v, want ErrInvalidParams", name, err)
		}
	}
}
