package yuma

import (
	"errors"
	"slices"
	"testing"
)

// Features the shared vectors do not reach are pinned here against SPEC §3.

func baseInput(n int) EpochInput {
	in := EpochInput{
		Block:               100,
		Stake:               make([]uint64, n),
		BlockAtRegistration: make([]uint64, n),
		LastUpdate:          make([]uint64, n),
		ValidatorPermits:    make([]bool, n),
		Weights:             make([][]Weight, n),
		Bonds:               make([][]Weight, n),
		RaoEmission:         1_000_000_000,
		Params:              DefaultParams(),
	}
	for i := range in.LastUpdate {
		in.LastUpdate[i] = 99
		in.BlockAtRegistration[i] = 1
	}
	return in
}

func hasCell(row []SparseEntry, col int) bool {
	for _, e := range row {
		if int(e.Col) == col {
			return true
		}
	}
	return false
}

func TestOwnerRules(t *testing.T) {
	in := baseInput(3)
	owner := uint16(0)
	in.OwnerUID = &owner
	in.Stake = []uint64{5, 100, 0}
	in.Params.StakeThreshold = 10
	in.Params.MaxAllowedValidators = 1
	in.ValidatorPermits = []bool{false, true, false} // the owner's stored permit is forced on
	in.Weights[0] = []Weight{{0, 65535}, {2, 65535}}
	in.Weights[1] = []Weight{{1, 65535}, {2, 65535}}

	sp, err := RunEpoch(in)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Stake[0] == 0 {
		t.Error("sparse: the owner is not exempt from the stake threshold")
	}
	if !hasCell(sp.Weights[0], 0) {
		t.Error("sparse: the owner's self-weight was masked")
	}
	if hasCell(sp.Weights[1], 1) {
		t.Error("sparse: a non-owner self-weight was kept")
	}
	if !sp.NewValidatorPermits[0] || !sp.NewValidatorPermits[1] || sp.NewValidatorPermits[2] {
		t.Errorf("sparse permits = %v, want the top-1 stake plus the owner", sp.NewValidatorPermits)
	}
	if sp.ActiveStake[0] == 0 {
		t.Error("sparse: the owner's stored permit was not forced")
	}

	de, err := RunEpochDense(in)
	if err != nil {
		t.Fatal(err)
	}
	if de.Stake[0] != 0 {
		t.Error("dense: the owner must not be exempt from the stake threshold")
	}
	if hasCell(de.Weights[0], 0) {
		t.Error("dense: the owner's self-weight must be masked")
	}
	if de.NewValidatorPermits[0] {
		t.Error("dense: the owner must not get a forced permit")
	}
}

func TestBondRegistrationMask(t *testing.T) {
	for _, c := range []struct {
		lastStep uint64
		kept     bool
	}{
		{49, false}, // last_tempo = 50 <= registration 50: the bond is dropped
		{50, true},  // last_tempo = 51 > 50: kept (and decayed)
		{0, false},  // last_tempo = block − tempo = 100 − 60 = 40 <= 50: dropped
	} {
		in := baseInput(3)
		in.Params.Tempo = 60
		in.Stake = []uint64{1000, 0, 0}
		in.ValidatorPermits = []bool{true, false, false}
		in.BlockAtRegistration[2] = 50
		in.Bonds[0] = []Weight{{2, 30000}}
		in.LastMechanismStepBlock = c.lastStep
		if got := LastTempo(in.Block, in.Params.Tempo, c.lastStep); (got <= 50) == c.kept {
			t.Fatalf("LastTempo(%d) = %d", c.lastStep, got)
		}
		out, err := RunEpoch(in)
		if err != nil {
			t.Fatal(err)
		}
		got := len(out.Bonds[0]) == 1 && out.Bonds[0][0].UID == 2
		if got != c.kept {
			t.Errorf("LastMechanismStepBlock %d: bonds %v, kept = %v", c.lastStep, out.Bonds[0], c.kept)
		}
		if c.kept && out.Bonds[0][0].Value >= 30000 {
			t.Errorf("a bond without weight must decay, got %d", out.Bonds[0][0].Value)
		}
	}
}

func TestCommitRevealMask(t *testing.T) {
	in := baseInput(3)
	in.Stake = []uint64{1000, 0, 0}
	in.ValidatorPermits = []bool{true, false, false}
	in.BlockAtRegistration = []uint64{1, 1, 20}
	in.Weights[0] = []Weight{{1, 65535}, {2, 65535}}
	in.CommitBlocks = []uint64{10, ^uint64(0), ^uint64(0)}
	out, err := RunEpoch(in)
	if err != nil {
		t.Fatal(err)
	}
	if !hasCell(out.Weights[0], 2) {
		t.Fatal("commit-reveal disabled: the weight must stay")
	}
	in.Params.CommitRevealEnabled = true
	out, err = RunEpoch(in)
	if err != nil {
		t.Fatal(err)
	}
	if hasCell(out.Weights[0], 2) || !hasCell(out.Weights[0], 1) {
		t.Fatalf("commit block 10 < registration 20 must mask only (0, 2): %v", out.Weights[0])
	}
}

func TestLengthTolerance(t *testing.T) {
	in := baseInput(3)
	in.Stake = []uint64{10, 10, 10}
	in.ValidatorPermits = []bool{true, true, true}
	in.Weights[0] = []Weight{{1, 65535}}
	in.LastUpdate = nil // empty: no activity mask, but every weights row is outdated (read as 0)
	out, err := RunEpoch(in)
	if err != nil {
		t.Fatal(err)
	}
	if out.ActiveStake[0] == 0 || out.Active[0] {
		t.Errorf("empty LastUpdate: active stake %v, active %v", out.ActiveStake, out.Active)
	}
	if len(out.Weights[0]) != 0 {
		t.Errorf("empty LastUpdate: weights %v must be masked", out.Weights[0])
	}
	in.LastUpdate = []uint64{99}
	in.ValidatorPermits = []bool{true}
	out, _ = RunEpoch(in)
	if out.ActiveStake[1] != 0 || out.ActiveStake[2] != 0 || out.ActiveStake[0] != I32F32One {
		t.Errorf("short vectors must mask the missing uids: %v", out.ActiveStake)
	}

	bad := baseInput(3)
	bad.BlockAtRegistration = bad.BlockAtRegistration[:2]
	if _, err := RunEpoch(bad); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("short BlockAtRegistration: err = %v", err)
	}
	bad = baseInput(3)
	bad.RootStake = []uint64{1}
	if _, err := RunEpochDense(bad); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("short RootStake: err = %v", err)
	}
	if out, err := RunEpoch(EpochInput{}); err != nil || out.N != 0 {
		t.Errorf("empty subnet: %v %v", out, err)
	}
}

// referenceMergeSeen is a literal port of the reference's peekable walk in
// compute_liquid_alpha_values_sparse: for j in 0..n, skip cells with column < j and read the cell
// if its column is j.
func referenceMergeSeen(row []SparseEntry, n int) map[int]I32F32 {
	seen := map[int]I32F32{}
	p := 0
	for j := 0; j < n; j++ {
		for p < len(row) {
			c := int(row[p].Col)
			if c < j {
				p++
				continue
			}
			if c == j {
				seen[j] = row[p].Val
			}
			break
		}
	}
	return seen
}

func TestLiquidAlphaMergeQuirk(t *testing.T) {
	r := rng(7)
	for iter := 0; iter < 2000; iter++ {
		n := 1 + r.intn(10)
		var row []SparseEntry
		for k := r.intn(12); k > 0; k-- {
			row = append(row, SparseEntry{uint16(r.intn(n + 2)), I32F32(1 + r.intn(1000))})
		}
		val := make([]I32F32, n)
		set := make([]bool, n)
		touch := mergeSeen(row, n, val, set, nil)
		want := referenceMergeSeen(row, n)
		if len(touch) != len(want) {
			t.Fatalf("row %v: seen %v, want %v", row, touch, want)
		}
		for _, c := range touch {
			if w, ok := want[c]; !ok || w != val[c] || !set[c] {
				t.Fatalf("row %v: column %d = %d, want %v", row, c, val[c], want)
			}
		}
	}
}

func TestAggregateMechanisms(t *testing.T) {
	in := baseInput(3)
	in.Stake = []uint64{1000, 0, 0}
	in.ValidatorPermits = []bool{true, false, false}
	in.Weights[0] = []Weight{{1, 65535}}
	shares := SplitEmissions(1000, 2, []uint16{49151, 16384})
	if !slices.Equal(shares, []uint64{750, 250}) {
		t.Fatalf("shares = %v", shares)
	}
	var outs []*EpochOutput
	for m, s := range shares {
		mech := in
		mech.RaoEmission = s
		if m == 1 {
			mech.Weights = [][]Weight{{{2, 65535}}, nil, nil}
		}
		o, err := RunEpoch(mech)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, o)
	}
	agg, err := AggregateMechanisms(outs, shares, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got := agg.ServerEmission[1] + agg.ServerEmission[2]; got != 499 && got != 500 {
		t.Errorf("server emission = %v", agg.ServerEmission)
	}
	if agg.ServerEmission[1] <= agg.ServerEmission[2] {
		t.Errorf("mechanism 0 (75%%) pays uid 1, mechanism 1 (25%%) pays uid 2: %v", agg.ServerEmission)
	}
	// Consensus of uid 1 is 65535 in mechanism 0 and 0 in mechanism 1: 0.75 × 65535 = 49151.25.
	if agg.Consensus[1] != 49151 || agg.Consensus[2] != 16383 {
		t.Errorf("consensus = %v, want [_, 49151, 16383]", agg.Consensus)
	}
	if _, err := AggregateMechanisms(outs, shares[:1], 1000); err == nil {
		t.Error("mismatched shares were accepted")
	}
	zero, _ := AggregateMechanisms(outs, []uint64{0, 0}, 0)
	if zero.Consensus[1] != 65535 || zero.Consensus[2] != 0 {
		t.Errorf("a zero total must give mechanism 0 the full weight: %v", zero.Consensus)
	}
}

func TestShouldRunEpoch(t *testing.T) {
	for _, c := range []struct {
		tempo                           uint16
		block, last, pending, sinceLast uint64
		want                            bool
	}{
		{0, 100, 0, 0, 0, false},
		{10, 9, 0, 0, 9, false},
		{10, 10, 0, 0, 10, true},
		{10, 15, 10, 12, 5, true},
		{10, 15, 10, 16, 5, false},
		{10, 15, 10, 0, MaxTempo + 1, true},
	} {
		if got := ShouldRunEpoch(c.tempo, c.block, c.last, c.pending, c.sinceLast); got != c.want {
			t.Errorf("ShouldRunEpoch(%+v) = %v", c, got)
		}
	}
}
