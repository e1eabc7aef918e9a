package yuma

import (
	"fmt"
	"testing"
)

// benchInput is a steady-state subnet: validators 0..v-1 hold stake and permits and weight every
// miner (uids v..n-1) with random u16 weights; the bonds are those of a previous epoch.
func benchInput(b *testing.B, n, v int, par Params) EpochInput {
	b.Helper()
	r := rng(uint64(n*1000 + v))
	in := EpochInput{
		Block:               1000,
		Stake:               make([]uint64, n),
		BlockAtRegistration: make([]uint64, n),
		LastUpdate:          make([]uint64, n),
		ValidatorPermits:    make([]bool, n),
		Weights:             make([][]Weight, n),
		RaoEmission:         1_000_000_000,
		Params:              par,
	}
	for i := 0; i < n; i++ {
		in.LastUpdate[i] = 999
		if i < v {
			in.Stake[i] = 1_000_000_000_000 + uint64(r.intn(1_000_000))*1_000_000
			in.ValidatorPermits[i] = true
			row := make([]Weight, 0, n-v)
			for j := v; j < n; j++ {
				row = append(row, Weight{uint16(j), uint16(1 + r.intn(65535))})
			}
			in.Weights[i] = row
		}
	}
	out, err := RunEpoch(in)
	if err != nil {
		b.Fatal(err)
	}
	in.Bonds = out.Bonds
	in.ValidatorPermits = out.NewValidatorPermits
	in.Block++
	return in
}

// BenchmarkEpoch measures one sparse epoch (RunEpoch). Run with
//
//	go test -run '^$' -bench . -benchmem -cpu 1 ./yuma/
func BenchmarkEpoch(b *testing.B) {
	liquid := DefaultParams()
	liquid.LiquidAlpha = true
	yuma2 := DefaultParams()
	yuma2.Yuma3 = false
	cases := []struct {
		n, v int
		name string
		par  Params
	}{
		{256, 64, "/yuma3", DefaultParams()},
		{1024, 64, "/yuma3", DefaultParams()},
		{4096, 64, "/yuma3", DefaultParams()},
		{4096, 256, "/yuma3", DefaultParams()},
		{4096, 64, "/yuma2", yuma2},
		{4096, 64, "/liquid_alpha", liquid},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("uids=%d/validators=%d%s", c.n, c.v, c.name), func(b *testing.B) {
			par := c.par
			par.MaxAllowedValidators = uint16(c.v)
			in := benchInput(b, c.n, c.v, par)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := RunEpoch(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEpochDense is the O(n²) test epoch, for comparison.
func BenchmarkEpochDense(b *testing.B) {
	in := benchInput(b, 256, 64, DefaultParams())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := RunEpochDense(in); err != nil {
			b.Fatal(err)
		}
	}
}
