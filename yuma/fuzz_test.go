package yuma

import (
	"reflect"
	"slices"
	"testing"
)

// rng is a small deterministic generator (splitmix64) for building fuzz inputs.
type rng uint64

func (r *rng) u64() uint64 {
	*r += 0x9E3779B97F4A7C15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func (r *rng) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return int(r.u64() % uint64(n))
}

func (r *rng) chance(pct int) bool { return r.intn(100) < pct }

// fuzzShape says which reference quirks a generated input may exercise.
type fuzzShape struct {
	// sane: hyperparameters in their allowed ranges and total stake far below 2^63, so the
	// reference's plain (wrapping) sums cannot overflow and normalisation properties hold.
	sane       bool
	comparable bool // sparse and dense must agree (no owner, no commit-reveal, no liquid alpha, tidy vectors)
}

// randomEpochInput builds a random but valid epoch input from seed. flags select the features:
// bit 0 Yuma 3, bit 1 liquid alpha, bit 2 owner, bit 3 commit-reveal, bit 4 untidy vectors
// (LastUpdate / permits of other lengths, unsorted rows, duplicate cells, bonds to uids >= n),
// bit 5 extreme hyperparameters, bit 6 root stake.
func randomEpochInput(seed uint64, flags uint32) (EpochInput, fuzzShape) {
	r := rng(seed)
	n := 1 + r.intn(24)
	if flags&(1<<7) != 0 {
		n = 1 + r.intn(3)
	}
	untidy := flags&(1<<4) != 0
	extreme := flags&(1<<5) != 0
	in := EpochInput{
		Block:       uint64(r.intn(3000)),
		RaoEmission: r.u64() >> uint(r.intn(64)),
		Params:      DefaultParams(),
	}
	p := &in.Params
	p.Yuma3 = flags&1 != 0
	p.LiquidAlpha = flags&2 != 0
	p.Tempo = uint16(r.intn(400))
	p.MaxAllowedValidators = uint16(r.intn(n + 3))
	p.Kappa = uint16(r.intn(65536))
	if r.chance(50) {
		p.Kappa = 32767
	}
	p.BondsPenalty = []uint16{0, 65535, uint16(r.intn(65536))}[r.intn(3)]
	p.BondsMovingAverage = uint64(r.intn(1_000_001))
	p.AlphaLow = uint16(r.intn(65536))
	p.AlphaHigh = uint16(r.intn(65536))
	p.AlphaSigmoidSteepness = int16(r.intn(3000) - 500)
	p.StakeThreshold = uint64(r.intn(50))
	if extreme {
		p.BondsMovingAverage = r.u64()
		p.AlphaSigmoidSteepness = int16(r.u64())
		p.ActivityCutoffFactorMilli = uint32(r.u64())
		p.Tempo = uint16(r.u64())
		p.StakeThreshold = r.u64() >> uint(r.intn(64))
	}
	in.Stake = make([]uint64, n)
	in.BlockAtRegistration = make([]uint64, n)
	for i := range in.Stake {
		switch r.intn(4) {
		case 0:
		case 1:
			in.Stake[i] = uint64(r.intn(100))
		case 2:
			in.Stake[i] = uint64(r.intn(1_000_000)) * 1_000_000_000
		default:
			in.Stake[i] = r.u64() >> uint(8+r.intn(56))
			if extreme {
				in.Stake[i] = r.u64() >> uint(r.intn(64))
			}
		}
		in.BlockAtRegistration[i] = uint64(r.intn(int(in.Block) + 2))
	}
	if flags&(1<<6) != 0 {
		in.RootStake = make([]uint64, n)
		for i := range in.RootStake {
			in.RootStake[i] = r.u64() >> uint(8+r.intn(56))
		}
		in.Params.TaoWeight = r.u64()
	}
	luLen, permLen := n, n
	if untidy {
		luLen, permLen = r.intn(n+3), r.intn(n+3)
	}
	in.LastUpdate = make([]uint64, luLen)
	for i := range in.LastUpdate {
		in.LastUpdate[i] = uint64(r.intn(int(in.Block) + 2))
	}
	in.ValidatorPermits = make([]bool, permLen)
	for i := range in.ValidatorPermits {
		in.ValidatorPermits[i] = r.chance(60)
	}
	row := func(dense bool) []Weight {
		var w []Weight
		for j := 0; j < n; j++ {
			if dense || r.chance(40) {
				w = append(w, Weight{uint16(j), uint16(r.intn(65536))})
			}
		}
		if len(w) > 0 && r.chance(50) {
			w[r.intn(len(w))].Value = 65535
		}
		if untidy {
			if r.chance(30) {
				for k := len(w) - 1; k > 0; k-- {
					m := r.intn(k + 1)
					w[k], w[m] = w[m], w[k]
				}
			}
			if len(w) > 0 && r.chance(20) {
				w = append(w, Weight{w[r.intn(len(w))].UID, uint16(r.intn(65536))})
			}
			if r.chance(20) {
				w = append(w, Weight{uint16(n + r.intn(5)), uint16(r.intn(65536))})
			}
		}
		return w
	}
	in.Weights = make([][]Weight, n)
	in.Bonds = make([][]Weight, n)
	for i := 0; i < n; i++ {
		if r.chance(70) {
			in.Weights[i] = row(r.chance(30))
		}
		if r.chance(50) {
			in.Bonds[i] = row(false)
		}
	}
	if flags&4 != 0 {
		o := uint16(r.intn(n + 1))
		in.OwnerUID = &o
	}
	if flags&8 != 0 {
		in.Params.CommitRevealEnabled = true
		in.CommitBlocks = make([]uint64, n)
		for i := range in.CommitBlocks {
			in.CommitBlocks[i] = ^uint64(0)
			if r.chance(40) {
				in.CommitBlocks[i] = uint64(r.intn(int(in.Block) + 2))
			}
		}
	}
	if r.chance(30) {
		in.LastMechanismStepBlock = uint64(r.intn(int(in.Block) + 1))
	}
	shape := fuzzShape{sane: !extreme, comparable: !extreme && !untidy && in.OwnerUID == nil && !in.Params.CommitRevealEnabled &&
		(!p.Yuma3 || !p.LiquidAlpha)}
	return in, shape
}

func cloneInput(in EpochInput) EpochInput {
	c := in
	c.Stake = slices.Clone(in.Stake)
	c.RootStake = slices.Clone(in.RootStake)
	c.BlockAtRegistration = slices.Clone(in.BlockAtRegistration)
	c.LastUpdate = slices.Clone(in.LastUpdate)
	c.ValidatorPermits = slices.Clone(in.ValidatorPermits)
	c.CommitBlocks = slices.Clone(in.CommitBlocks)
	c.Weights = make([][]Weight, len(in.Weights))
	for i, r := range in.Weights {
		c.Weights[i] = slices.Clone(r)
	}
	c.Bonds = make([][]Weight, len(in.Bonds))
	for i, r := range in.Bonds {
		c.Bonds[i] = slices.Clone(r)
	}
	if in.OwnerUID != nil {
		o := *in.OwnerUID
		c.OwnerUID = &o
	}
	return c
}

// checkNormalised: all zero, or a sum in [1 − n·2^-32, 1] (each truncating division loses less
// than one bit) with no negative entry.
func checkNormalised(t *testing.T, name string, v []I32F32) {
	t.Helper()
	var sum I32F32
	for i, x := range v {
		if x < 0 {
			t.Fatalf("%s[%d] = %s < 0", name, i, x)
		}
		sum += x
	}
	if sum != 0 && (sum > I32F32One || sum < I32F32One-I32F32(len(v))) {
		t.Fatalf("%s sums to %s (bits %d), want 0 or 1 within %d bits", name, sum, sum, len(v))
	}
}

func checkOutput(t *testing.T, in EpochInput, out *EpochOutput, sparse, sane bool) {
	t.Helper()
	n := len(in.Stake)
	if out.N != n {
		t.Fatalf("N = %d, want %d", out.N, n)
	}
	for name, l := range map[string]int{
		"Active": len(out.Active), "Stake": len(out.Stake), "Consensus": len(out.Consensus),
		"Incentive": len(out.Incentive), "Dividends": len(out.Dividends), "ValidatorTrust": len(out.ValidatorTrust),
		"Emission": len(out.Emission), "ServerEmission": len(out.ServerEmission),
		"ValidatorEmission": len(out.ValidatorEmission), "NewValidatorPermits": len(out.NewValidatorPermits),
		"Bonds": len(out.Bonds), "DividendsU16": len(out.DividendsU16),
	} {
		if l != n {
			t.Fatalf("len(%s) = %d, want %d", name, l, n)
		}
	}
	if !sane {
		return
	}
	checkNormalised(t, "Stake", out.Stake)
	checkNormalised(t, "ActiveStake", out.ActiveStake)
	checkNormalised(t, "Incentive", out.Incentive)
	checkNormalised(t, "Dividends", out.Dividends)
	checkNormalised(t, "NormalizedCombinedEmission", out.NormalizedCombinedEmission)
	for i, c := range out.Consensus {
		if c < 0 || c > I32F32One {
			t.Fatalf("Consensus[%d] = %s outside [0, 1]", i, c)
		}
	}
	// The emission split: server + validator never exceeds the input, and when anything is paid
	// it is the input up to the rounding of 2n truncated divisions and 2n floors.
	var paid, combined uint64
	var shares I32F32
	for i := 0; i < n; i++ {
		paid += out.ServerEmission[i] + out.ValidatorEmission[i]
		combined += out.Emission[i]
		shares += out.NormalizedServerEmission[i] + out.NormalizedValidatorEmission[i]
	}
	if paid > in.RaoEmission || combined > in.RaoEmission {
		t.Fatalf("paid %d / combined %d > emission %d", paid, combined, in.RaoEmission)
	}
	if shares != 0 {
		loss := ProportionToAmount(I32F32(2*n), in.RaoEmission) + 2*uint64(n) + 1
		if paid+loss < in.RaoEmission {
			t.Fatalf("paid %d of %d (allowed loss %d)", paid, in.RaoEmission, loss)
		}
	}
	permits := 0
	for _, p := range out.NewValidatorPermits {
		if p {
			permits++
		}
	}
	k := int(in.Params.MaxAllowedValidators)
	if sparse && in.OwnerUID != nil && int(*in.OwnerUID) < n {
		k++
	}
	if permits > k && n >= int(in.Params.MaxAllowedValidators) {
		t.Fatalf("%d permits for max %d validators", permits, in.Params.MaxAllowedValidators)
	}
	if sparse {
		for i, row := range out.Bonds {
			if !out.NewValidatorPermits[i] && len(row) != 0 {
				t.Fatalf("uid %d has bonds without a permit", i)
			}
			for _, c := range row {
				if int(c.UID) >= n {
					t.Fatalf("bond to uid %d >= n", c.UID)
				}
			}
		}
	}
}

func densify(row []Weight, n int) []uint16 {
	d := make([]uint16, n)
	for _, c := range row {
		if int(c.UID) < n {
			d[c.UID] = c.Value
		}
	}
	return d
}

// FuzzEpoch runs both epochs on random subnets and hyperparameters: they must never panic or
// fail on valid input, must not modify their input, must normalise stake, incentive and
// dividends as the reference does (sum 1 up to truncation, or 0), must pay out the emission up to
// rounding, must be deterministic, and the sparse and dense epochs must agree wherever the
// reference's two paths are meant to agree.
func FuzzEpoch(f *testing.F) {
	for seed := uint64(0); seed < 48; seed++ {
		f.Add(seed, uint32(seed*37))
	}
	f.Add(uint64(99), uint32(0xff))
	f.Fuzz(func(t *testing.T, seed uint64, flags uint32) {
		in, shape := randomEpochInput(seed, flags)
		orig := cloneInput(in)
		sp, err := RunEpoch(in)
		if err != nil {
			t.Fatalf("RunEpoch: %v", err)
		}
		if !reflect.DeepEqual(in, orig) {
			t.Fatal("RunEpoch modified its input")
		}
		checkOutput(t, in, sp, true, shape.sane)
		again, _ := RunEpoch(cloneInput(orig))
		if !reflect.DeepEqual(sp, again) {
			t.Fatal("RunEpoch is not deterministic")
		}
		de, err := RunEpochDense(in)
		if err != nil {
			t.Fatalf("RunEpochDense: %v", err)
		}
		if !reflect.DeepEqual(in, orig) {
			t.Fatal("RunEpochDense modified its input")
		}
		checkOutput(t, in, de, false, shape.sane)
		if !shape.comparable {
			return
		}
		for _, v := range []struct {
			name string
			a, b any
		}{
			{"Consensus", sp.Consensus, de.Consensus},
			{"Incentive", sp.Incentive, de.Incentive},
			{"Dividends", sp.Dividends, de.Dividends},
			{"ValidatorTrust", sp.ValidatorTrust, de.ValidatorTrust},
			{"Emission", sp.Emission, de.Emission},
			{"ServerEmission", sp.ServerEmission, de.ServerEmission},
			{"ValidatorEmission", sp.ValidatorEmission, de.ValidatorEmission},
			{"NewValidatorPermits", sp.NewValidatorPermits, de.NewValidatorPermits},
		} {
			if !reflect.DeepEqual(v.a, v.b) {
				t.Fatalf("%s: sparse %v != dense %v", v.name, v.a, v.b)
			}
		}
		n := len(in.Stake)
		for i := 0; i < n; i++ {
			if sp.NewValidatorPermits[i] && !slices.Equal(densify(sp.Bonds[i], n), densify(de.Bonds[i], n)) {
				t.Fatalf("bonds row %d: sparse %v != dense %v", i, sp.Bonds[i], de.Bonds[i])
			}
		}
	})
}

// FuzzSplitEmissions: the mechanism shares always sum exactly to the amount.
func FuzzSplitEmissions(f *testing.F) {
	f.Add(uint64(25), uint8(5), []byte{})
	f.Add(uint64(19), uint8(5), []byte{0x0d, 0x7a, 0x1a, 0xf3, 0x28, 0x6c, 0x43, 0x5f, 0x6b, 0xca})
	f.Add(^uint64(0), uint8(3), []byte{0xff, 0xff})
	f.Add(uint64(10), uint8(0), []byte{})
	f.Fuzz(func(t *testing.T, amount uint64, count uint8, raw []byte) {
		var split []uint16
		if len(raw) > 0 {
			budget := 65535
			for k := 0; k+1 < len(raw); k += 2 {
				s := min(int(raw[k])<<8|int(raw[k+1]), budget)
				budget -= s
				split = append(split, uint16(s))
			}
		}
		c := int(count % 17)
		got := SplitEmissions(amount, c, split)
		if len(got) != c {
			t.Fatalf("%d shares for %d mechanisms", len(got), c)
		}
		if c == 0 {
			return
		}
		var sum uint64
		for _, v := range got {
			if sum+v < sum {
				t.Fatalf("shares overflow: %v", got)
			}
			sum += v
		}
		if sum != amount {
			t.Fatalf("SplitEmissions(%d, %d, %v) = %v sums to %d", amount, c, split, got, sum)
		}
	})
}

// FuzzSparseMedianMatchesDense checks the transposed, column-at-a-time WeightedMedianColSparse
// against the dense WeightedMedianCol on the densified matrix.
func FuzzSparseMedianMatchesDense(f *testing.F) {
	for s := uint64(0); s < 16; s++ {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		r := rng(seed)
		rows, cols := 1+r.intn(12), 1+r.intn(12)
		stake := make([]I32F32, rows)
		sm := make(SparseMatrix, rows)
		dm := NewMatrix(rows, cols)
		for i := range stake {
			if r.chance(70) {
				stake[i] = I32F32(r.intn(1 << 33))
			}
			for j := 0; j < cols; j++ {
				if r.chance(50) {
					v := I32F32(r.intn(4)) << 30 // few distinct values: many ties
					if r.chance(50) {
						v = I32F32(r.intn(1 << 32))
					}
					sm[i] = append(sm[i], SparseEntry{uint16(j), v})
					dm[i][j] = v
				}
			}
		}
		maj := I32F32(r.intn(1 << 32))
		a := WeightedMedianColSparse(stake, sm, cols, maj)
		b := WeightedMedianCol(stake, dm, maj)
		if !slices.Equal(a, b) {
			t.Fatalf("sparse %v != dense %v", a, b)
		}
	})
}

// FuzzRowOrder: densifying primitives give the same result for a row and any permutation of it
// (the merge fast path and the scratch path agree).
func FuzzRowOrder(f *testing.F) {
	for s := uint64(0); s < 16; s++ {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		r := rng(seed)
		n := 1 + r.intn(20)
		mk := func() SparseMatrix {
			m := make(SparseMatrix, n)
			for i := range m {
				for j := 0; j < n+2; j++ {
					if r.chance(40) {
						m[i] = append(m[i], SparseEntry{uint16(j), I32F32(r.intn(1 << 33))})
					}
				}
			}
			return m
		}
		a, b := mk(), mk()
		shuffled := func(m SparseMatrix) SparseMatrix {
			c := m.Clone()
			for _, row := range c {
				for k := len(row) - 1; k > 0; k-- {
					j := r.intn(k + 1)
					row[k], row[j] = row[j], row[k]
				}
			}
			return c
		}
		alpha := I32F32(r.intn(1 << 32))
		if x, y := MatEmaSparse(a, b, alpha), MatEmaSparse(shuffled(a), shuffled(b), alpha); !reflect.DeepEqual(x, y) {
			t.Fatalf("MatEmaSparse depends on row order:\n%v\n%v", x, y)
		}
		if x, y := InterpolateSparse(a, b, n, alpha), InterpolateSparse(shuffled(a), shuffled(b), n, alpha); !reflect.DeepEqual(x, y) {
			t.Fatalf("InterpolateSparse depends on row order:\n%v\n%v", x, y)
		}
	})
}

// FuzzSplitSubnetEmission: owner cut, server, validator, root and dust always sum to alpha_out.
func FuzzSplitSubnetEmission(f *testing.F) {
	f.Add(uint64(1_000_000_000), uint16(11796), true, uint64(0))
	f.Add(uint64(1_000_000_001), uint16(0), false, uint64(1<<31))
	f.Add(^uint64(0), uint16(65535), true, uint64(1<<32))
	f.Fuzz(func(t *testing.T, alpha uint64, cut uint16, enabled bool, root uint64) {
		s := SplitSubnetEmission(alpha, cut, enabled, root)
		sum := s.OwnerCut + s.Server + s.Validator + s.Root
		if sum < s.OwnerCut || sum+s.Dust != alpha || s.Dust > 4 {
			t.Fatalf("SplitSubnetEmission(%d, %d, %v, %d) = %+v", alpha, cut, enabled, root, s)
		}
	})
}

func TestSplitSubnetEmissionDefaults(t *testing.T) {
	// No owner cut, no root: exactly half to miners and half to validators.
	if s := SplitSubnetEmission(1_000_000_000, 11796, false, 0); s.Server != 500_000_000 || s.Validator != 500_000_000 || s.Dust != 0 {
		t.Errorf("no cut: %+v", s)
	}
	// Default owner cut 11796/65535 (18%): 18% owner, 41% miners, 41% validators, 2 units of dust
	// (fractions the U96F32 floors drop).
	s := SplitSubnetEmission(1_000_000_000, 11796, true, 0)
	if s.OwnerCut != 179_995_422 || s.Server != 410_002_288 || s.Validator != 410_002_288 || s.Dust != 2 {
		t.Errorf("default cut: %+v", s)
	}
	// Root proportion 0.5 takes half of the validator half.
	s = SplitSubnetEmission(1_000_000_000, 0, true, 1<<31)
	if s.Server != 500_000_000 || s.Root != 250_000_000 || s.Validator != 250_000_000 {
		t.Errorf("root 0.5: %+v", s)
	}
}
