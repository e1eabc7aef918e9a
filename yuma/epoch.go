package yuma

import (
	"errors"
	"fmt"
)

// ErrInvalidInput is wrapped by every error RunEpoch and RunEpochDense return.
var ErrInvalidInput = errors.New("yuma: invalid epoch input")

// MaxUIDs is the largest subnet size the epoch accepts (uids are u16).
const MaxUIDs = 65535

// Weight is one stored cell of a Weights or Bonds row: the destination uid and a u16 value.
type Weight struct {
	UID   uint16 `json:"uid"`
	Value uint16 `json:"value"`
}

// Params are the subnet hyperparameters the epoch reads (SPEC §9).
type Params struct {
	// Tempo is the epoch period in blocks; it also sets the activity cutoff and, when
	// LastMechanismStepBlock is 0, the bond registration mask.
	Tempo uint16 `json:"tempo"`
	// ActivityCutoffFactorMilli: a uid is inactive when LastUpdate + max(factor×tempo/1000, 1) <
	// current block.
	ActivityCutoffFactorMilli uint32 `json:"activity_cutoff_factor_milli"`
	// Kappa is the consensus majority threshold (u16, /65535).
	Kappa uint16 `json:"kappa"`
	// BondsPenalty interpolates the weights used for bonds between W (0) and clipped W (65535).
	BondsPenalty uint16 `json:"bonds_penalty"`
	// BondsMovingAverage is the bond EMA memory (/1_000_000); the EMA alpha is 1 − bma/1e6.
	BondsMovingAverage uint64 `json:"bonds_moving_average"`
	// Yuma3 selects Yuma 3 bonds and dividends (true for new subnets) over the original Yuma.
	Yuma3 bool `json:"yuma3"`
	// LiquidAlpha enables the per-cell sigmoid EMA alpha (Yuma 3 only).
	LiquidAlpha bool `json:"liquid_alpha"`
	// AlphaLow and AlphaHigh bound liquid alpha (u16, /65535).
	AlphaLow  uint16 `json:"alpha_low"`
	AlphaHigh uint16 `json:"alpha_high"`
	// AlphaSigmoidSteepness is the liquid-alpha sigmoid slope (divided by −100 inside).
	AlphaSigmoidSteepness int16 `json:"alpha_sigmoid_steepness"`
	// MaxAllowedValidators is the k of the top-k stake validator permits.
	MaxAllowedValidators uint16 `json:"max_allowed_validators"`
	// StakeThreshold is the minimum stake (in base units) to count at all; the subnet owner is
	// exempt in the sparse epoch.
	StakeThreshold uint64 `json:"stake_threshold"`
	// TaoWeight scales RootStake into the stake (u64, /u64::MAX).
	TaoWeight uint64 `json:"tao_weight"`
	// CommitRevealEnabled applies the commit-reveal column mask built from CommitBlocks.
	CommitRevealEnabled bool `json:"commit_reveal_enabled"`
}

// DefaultParams returns the hyperparameters of a newly created subnet in the reference runtime
// (runtime defaults plus what init_new_network writes): tempo 360, activity cutoff factor 13 889,
// kappa 32 767, bonds penalty 65 535, bonds moving average 900 000, Yuma 3 on, liquid alpha off
// with bounds (45 875, 58 982) and steepness 1000, 64 validators, no stake threshold, no root
// weight and commit-reveal off (the caller supplies CommitBlocks when it enables it).
func DefaultParams() Params {
	return Params{
		Tempo:                     360,
		ActivityCutoffFactorMilli: 13889,
		Kappa:                     32767,
		BondsPenalty:              65535,
		BondsMovingAverage:        900_000,
		Yuma3:                     true,
		AlphaLow:                  45875,
		AlphaHigh:                 58982,
		AlphaSigmoidSteepness:     1000,
		MaxAllowedValidators:      64,
	}
}

// EpochInput is everything one epoch of one subnet (one mechanism) reads. The subnet size n is
// len(Stake); uid i is index i of every per-uid slice.
type EpochInput struct {
	// Block is the current block number.
	Block uint64
	// Stake is each uid's own stake (alpha) in base units; len(Stake) = n.
	Stake []uint64
	// RootStake optionally adds RootStake[i] × TaoWeight/u64::MAX to uid i's stake (len 0 or n).
	RootStake []uint64
	// BlockAtRegistration is the block each uid was last registered at (len n).
	BlockAtRegistration []uint64
	// LastUpdate is the block of each uid's last set_weights (or registration). Its length may
	// differ from n, as in the reference: missing entries read as 0 in the outdated-weights mask
	// and as inactive in the activity mask (an empty vector disables the activity mask).
	LastUpdate []uint64
	// ValidatorPermits are the permits stored by the previous epoch. A missing entry is no permit
	// (an empty vector leaves active stake unmasked but still masks every weights row, as the
	// reference does).
	ValidatorPermits []bool
	// Weights[i] is the stored weights row of uid i: (destination uid, u16) in stored order,
	// normally max-upscaled so the largest value is 65535 (see VecU16MaxUpscaleToU16). Rows i >= n
	// and cells whose destination is >= n are ignored.
	Weights [][]Weight
	// Bonds[i] is the stored bonds row of uid i (the Bonds output of the previous epoch).
	Bonds [][]Weight
	// CommitBlocks[i] is the earliest block of uid i's pending (non-expired) weight commit, or
	// math.MaxUint64 when there is none; used only if Params.CommitRevealEnabled (len 0 or n).
	CommitBlocks []uint64
	// OwnerUID is the uid of the subnet owner's hotkey, or nil. In the sparse epoch the owner keeps
	// its self-weight, always holds a validator permit and is exempt from the stake threshold.
	OwnerUID *uint16
	// LastMechanismStepBlock is the block of the previous successful epoch (0 if unknown): bonds
	// pointing at uids registered at or after it + 1 (or Block − Tempo when 0) are dropped.
	LastMechanismStepBlock uint64
	// RaoEmission is the amount this epoch distributes (server + validator emission).
	RaoEmission uint64
	// Params are the subnet hyperparameters.
	Params Params
}

// EpochOutput is the result of one epoch. Every per-uid slice has length N unless noted.
// The u16 vectors are what the reference stores (fixed_proportion_to_u16 = floor(x × 65535)).
type EpochOutput struct {
	N int

	// Active[i] = !Inactive[i] (false for a uid beyond len(LastUpdate)).
	Active []bool
	// Inactive has len(LastUpdate) entries: LastUpdate[i] + cutoff < Block.
	Inactive []bool
	// TotalStake is the floor of each uid's stake (own + root × TaoWeight) before the threshold.
	TotalStake []uint64
	// Stake is the normalised stake after the stake threshold; StakeWeight its u16 form.
	Stake       []I32F32
	StakeWeight []uint16
	// ActiveStake is Stake masked by inactivity and missing permits, normalised.
	ActiveStake []I32F32

	Consensus      []I32F32
	Incentive      []I32F32
	Dividends      []I32F32
	ValidatorTrust []I32F32

	ConsensusU16      []uint16
	IncentiveU16      []uint16
	DividendsU16      []uint16
	ValidatorTrustU16 []uint16

	// The proportions of RaoEmission paid to each uid as a server (miner), as a validator, and in
	// total (SPEC §3.9, including the fallback to stake when nothing is earned).
	NormalizedServerEmission    []I32F32
	NormalizedValidatorEmission []I32F32
	NormalizedCombinedEmission  []I32F32
	// ServerEmission and ValidatorEmission are the amounts the coinbase pays (miners directly,
	// validators as proportions of the pending validator pool); Emission is the combined amount
	// stored as Emission.
	ServerEmission    []uint64
	ValidatorEmission []uint64
	Emission          []uint64

	// NewValidatorPermits are the permits to store for the next epoch (top-k by stake).
	NewValidatorPermits []bool
	// Bonds is the new Bonds storage, one row per uid: the EMA bonds of uids that keep a permit,
	// empty rows otherwise (the dense epoch leaves rows of uids that never had a permit unchanged).
	Bonds [][]Weight
	// Weights is the masked, row-normalised weight matrix the epoch used (W).
	Weights SparseMatrix
}

// ActivityCutoffBlocks is max(factorMilli × tempo / 1000, 1) in u64 integer arithmetic.
func ActivityCutoffBlocks(factorMilli uint32, tempo uint16) uint64 {
	c := uint64(factorMilli) * uint64(tempo) / 1000
	if c < 1 {
		return 1
	}
	return c
}

// LastTempo is the bond registration-mask block: LastMechanismStepBlock + 1, or
// block − tempo (saturating) when LastMechanismStepBlock is 0.
func LastTempo(block uint64, tempo uint16, lastMechanismStepBlock uint64) uint64 {
	if lastMechanismStepBlock == 0 {
		if block < uint64(tempo) {
			return 0
		}
		return block - uint64(tempo)
	}
	if lastMechanismStepBlock == ^uint64(0) {
		return lastMechanismStepBlock
	}
	return lastMechanismStepBlock + 1
}

func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidInput}, args...)...)
}

func (in *EpochInput) validate() (int, error) {
	n := len(in.Stake)
	if n > MaxUIDs {
		return 0, fmt.Errorf("%w: %d uids, at most %d", ErrInvalidInput, n, MaxUIDs)
	}
	if len(in.BlockAtRegistration) != n {
		return 0, fmt.Errorf("%w: len(BlockAtRegistration) = %d, want n = %d", ErrInvalidInput, len(in.BlockAtRegistration), n)
	}
	if len(in.RootStake) != 0 && len(in.RootStake) != n {
		return 0, fmt.Errorf("%w: len(RootStake) = %d, want 0 or n = %d", ErrInvalidInput, len(in.RootStake), n)
	}
	if len(in.CommitBlocks) != 0 && len(in.CommitBlocks) != n {
		return 0, fmt.Errorf("%w: len(CommitBlocks) = %d, want 0 or n = %d", ErrInvalidInput, len(in.CommitBlocks), n)
	}
	return n, nil
}

func (in *EpochInput) ownerIndex(n int) int {
	if in.OwnerUID == nil || int(*in.OwnerUID) >= n {
		return -1
	}
	return int(*in.OwnerUID)
}

// prologue holds the activity, stake and permit vectors shared by both epochs (SPEC §3.1–3.4).
type prologue struct {
	n            int
	owner        int // -1 if none
	inactive     []bool
	active       []bool
	forbids      []bool
	permits      []bool
	activeStake  []I32F32
	stake        []I32F32
	totalStake   []uint64
	newPermits   []bool
	lastTempo    uint64
	cutoffBlocks uint64
}

func newPrologue(in *EpochInput, n int, sparse bool) *prologue {
	p := &prologue{n: n, owner: -1}
	if sparse {
		p.owner = in.ownerIndex(n)
	}
	par := &in.Params

	// 3.1 activity
	p.cutoffBlocks = ActivityCutoffBlocks(par.ActivityCutoffFactorMilli, par.Tempo)
	p.inactive = make([]bool, len(in.LastUpdate))
	for i, lu := range in.LastUpdate {
		s := lu + p.cutoffBlocks
		if s < lu {
			s = ^uint64(0)
		}
		p.inactive[i] = s < in.Block
	}
	p.active = make([]bool, n)
	for i := range p.active {
		p.active[i] = i < len(p.inactive) && !p.inactive[i]
	}

	// 3.2 stake
	tw := TaoWeightFixed(par.TaoWeight)
	total := make([]I64F64, n)
	p.totalStake = make([]uint64, n)
	for i := range total {
		t := I64F64FromUint64(in.Stake[i])
		if len(in.RootStake) == n && in.RootStake[i] != 0 && !tw.IsZero() {
			t = t.SaturatingAdd(I64F64FromUint64(in.RootStake[i]).SaturatingMul(tw))
		}
		p.totalStake[i] = t.SaturatingToU64()
		if i != p.owner && t.SaturatingToU64() < par.StakeThreshold {
			t = I64F64{}
		}
		total[i] = t
	}
	InplaceNormalize64(total)
	p.stake = make([]I32F32, n)
	for i, t := range total {
		p.stake[i] = t.SaturatingToI32F32()
	}

	// 3.3 permits (the stored ones mask this epoch; the new ones are for the next)
	p.permits = append([]bool(nil), in.ValidatorPermits...)
	if p.owner >= 0 && p.owner < len(p.permits) {
		p.permits[p.owner] = true
	}
	p.forbids = make([]bool, len(p.permits))
	for i, v := range p.permits {
		p.forbids[i] = !v
	}
	p.newPermits = IsTopKNonzero(p.stake, int(par.MaxAllowedValidators))
	if p.owner >= 0 {
		p.newPermits[p.owner] = true
	}

	// 3.4 active stake
	p.activeStake = append([]I32F32(nil), p.stake...)
	InplaceMaskVector(p.inactive, p.activeStake)
	InplaceMaskVector(p.forbids, p.activeStake)
	InplaceNormalize(p.activeStake)

	p.lastTempo = LastTempo(in.Block, par.Tempo, in.LastMechanismStepBlock)
	return p
}

func newOutput(n int) *EpochOutput {
	return &EpochOutput{
		N:                           n,
		Active:                      []bool{},
		Inactive:                    []bool{},
		TotalStake:                  []uint64{},
		Stake:                       []I32F32{},
		StakeWeight:                 []uint16{},
		ActiveStake:                 []I32F32{},
		Consensus:                   []I32F32{},
		Incentive:                   []I32F32{},
		Dividends:                   []I32F32{},
		ValidatorTrust:              []I32F32{},
		ConsensusU16:                []uint16{},
		IncentiveU16:                []uint16{},
		DividendsU16:                []uint16{},
		ValidatorTrustU16:           []uint16{},
		NormalizedServerEmission:    []I32F32{},
		NormalizedValidatorEmission: []I32F32{},
		NormalizedCombinedEmission:  []I32F32{},
		ServerEmission:              []uint64{},
		ValidatorEmission:           []uint64{},
		Emission:                    []uint64{},
		NewValidatorPermits:         []bool{},
		Bonds:                       [][]Weight{},
		Weights:                     SparseMatrix{},
	}
}

func toU16(v []I32F32) []uint16 {
	out := make([]uint16, len(v))
	for i, x := range v {
		out[i] = FixedProportionToU16(x)
	}
	return out
}

// finish fills the emission split (SPEC §3.9) and the per-uid outputs shared by both epochs.
func (p *prologue) finish(out *EpochOutput, in *EpochInput, consensus, incentive, dividends, vtrust []I32F32) {
	n := p.n
	combined := make([]I32F32, n)
	var emissionSum I32F32
	for i := range combined {
		combined[i] = incentive[i].SaturatingAdd(dividends[i])
		emissionSum += combined[i]
	}
	nServer := append([]I32F32(nil), incentive...)
	nValidator := append([]I32F32(nil), dividends...)
	nCombined := combined
	InplaceNormalizeUsingSum(nServer, emissionSum)
	InplaceNormalizeUsingSum(nValidator, emissionSum)
	InplaceNormalize(nCombined)
	if emissionSum == 0 {
		src := p.activeStake
		if IsZeroVector(p.activeStake) {
			src = p.stake
		}
		nValidator = append([]I32F32(nil), src...)
		nCombined = append([]I32F32(nil), src...)
	}
	out.ServerEmission = make([]uint64, n)
	out.ValidatorEmission = make([]uint64, n)
	out.Emission = make([]uint64, n)
	for i := 0; i < n; i++ {
		out.ServerEmission[i] = ProportionToAmount(nServer[i], in.RaoEmission)
		out.ValidatorEmission[i] = ProportionToAmount(nValidator[i], in.RaoEmission)
		out.Emission[i] = ProportionToAmount(nCombined[i], in.RaoEmission)
	}
	out.NormalizedServerEmission = nServer
	out.NormalizedValidatorEmission = nValidator
	out.NormalizedCombinedEmission = nCombined

	out.Active = p.active
	out.Inactive = p.inactive
	out.TotalStake = p.totalStake
	out.Stake = p.stake
	out.StakeWeight = toU16(p.stake)
	out.ActiveStake = p.activeStake
	out.Consensus, out.ConsensusU16 = consensus, toU16(consensus)
	out.Incentive, out.IncentiveU16 = incentive, toU16(incentive)
	out.Dividends, out.DividendsU16 = dividends, toU16(dividends)
	out.ValidatorTrust, out.ValidatorTrustU16 = vtrust, toU16(vtrust)
	out.NewValidatorPermits = p.newPermits
}

// buildWeightsSparse loads the stored weights rows i < n, keeping cells whose destination is < n,
// as I32F32 integers (get_weights_sparse).
func buildWeightsSparse(rows [][]Weight, n int) SparseMatrix {
	total := 0
	for i := 0; i < n && i < len(rows); i++ {
		total += len(rows[i])
	}
	backing := make([]SparseEntry, 0, total)
	m := make(SparseMatrix, n)
	for i := 0; i < n && i < len(rows); i++ {
		start := len(backing)
		for _, w := range rows[i] {
			if int(w.UID) < n {
				backing = append(backing, SparseEntry{w.UID, U16ToFixed(w.Value)})
			}
		}
		m[i] = backing[start:len(backing):len(backing)]
	}
	return m
}

// buildBondsSparse loads the stored bonds rows i < n (all cells, as get_bonds_sparse does), as
// integers (Yuma 2) or as proportions u16/65535 (Yuma 3).
func buildBondsSparse(rows [][]Weight, n int, proportion bool) SparseMatrix {
	total := 0
	for i := 0; i < n && i < len(rows); i++ {
		total += len(rows[i])
	}
	backing := make([]SparseEntry, 0, total)
	m := make(SparseMatrix, n)
	for i := 0; i < n && i < len(rows); i++ {
		start := len(backing)
		for _, w := range rows[i] {
			v := U16ToFixed(w.Value)
			if proportion {
				v = FixedToFixedU16Proportion(v)
			}
			backing = append(backing, SparseEntry{w.UID, v})
		}
		m[i] = backing[start:len(backing):len(backing)]
	}
	return m
}

// RunEpoch runs the sparse production epoch (epoch_mechanism, SPEC §3) on one subnet mechanism.
// It never panics on any input; malformed input (see EpochInput) returns an error wrapping
// ErrInvalidInput.
func RunEpoch(in EpochInput) (*EpochOutput, error) {
	n, err := in.validate()
	if err != nil {
		return nil, err
	}
	out := newOutput(n)
	if n == 0 {
		return out, nil
	}
	par := &in.Params
	p := newPrologue(&in, n, true)

	// 3.5 weights and masks
	w := buildWeightsSparse(in.Weights, n)
	maskRowsInPlace(p.forbids, w)
	maskDiagInPlace(w, p.owner)
	vecMaskInPlace(w, in.LastUpdate, in.BlockAtRegistration, func(updated, registered uint64) bool {
		return updated <= registered
	})
	if par.CommitRevealEnabled {
		commit := in.CommitBlocks
		if len(commit) == 0 {
			commit = make([]uint64, n)
			for i := range commit {
				commit[i] = ^uint64(0)
			}
		}
		vecMaskInPlace(w, commit, in.BlockAtRegistration, func(cb, registered uint64) bool {
			return cb < registered
		})
	}
	InplaceRowNormalizeSparse(w)

	// 3.6 consensus, 3.7 clipping, validator trust and incentive
	kappa := U16ProportionToFixed(par.Kappa)
	consensus := WeightedMedianColSparse(p.activeStake, w, n, kappa)
	clipped := ColClipSparse(w, consensus)
	vtrust := RowSumSparse(clipped)
	incentive := MatMulSparse(clipped, p.activeStake, n)
	InplaceNormalize(incentive)

	// 3.8 bonds and dividends
	wfb := interpolateSparse(w, clipped, n, U16ProportionToFixed(par.BondsPenalty), false)
	recentlyRegistered := func(_ int, e SparseEntry) bool {
		return p.lastTempo > getU64(in.BlockAtRegistration, int(e.Col))
	}
	var dividends []I32F32
	var ema SparseMatrix
	if par.Yuma3 {
		b := buildBondsSparse(in.Bonds, n, true)
		filterInPlace(b, recentlyRegistered)
		ema = computeBondsSparse(par, wfb, b, consensus, n)
		// total_bonds_per_validator = row_sum(mat_vec_mul(col_normalize(ema), incentive)),
		// computed without materializing the normalised copy: each cell is divided by its
		// column sum (when non-zero) exactly as inplace_col_normalize_sparse would.
		colSum := make([]I32F32, n)
		for _, row := range ema {
			for _, e := range row {
				colSum[e.Col] = colSum[e.Col].SaturatingAdd(e.Val)
			}
		}
		tbpv := make([]I32F32, n)
		for i, row := range ema {
			var s I32F32
			for _, e := range row {
				v := e.Val
				if colSum[e.Col] != 0 {
					v = v.SafeDiv(colSum[e.Col])
				}
				s += v.SaturatingMul(getFixed(incentive, int(e.Col)))
			}
			tbpv[i] = s
		}
		dividends = VecMul(tbpv, p.activeStake)
		InplaceNormalize(dividends)
	} else {
		b := buildBondsSparse(in.Bonds, n, false)
		filterInPlace(b, recentlyRegistered)
		InplaceColNormalizeSparse(b, n)
		delta := RowHadamardSparse(wfb, p.activeStake)
		InplaceColNormalizeSparse(delta, n)
		ema = MatEmaSparse(delta, b, BondsMovingAverageAlpha(par.BondsMovingAverage))
		InplaceColNormalizeSparse(ema, n)
		dividends = MatMulTransposeSparse(ema, incentive)
		InplaceNormalize(dividends)
		InplaceColMaxUpscaleSparse(ema, n)
	}

	p.finish(out, &in, consensus, incentive, dividends, vtrust)
	out.Weights = w

	// 3.10 bonds storage: the EMA row for uids with a new permit, empty rows otherwise.
	out.Bonds = make([][]Weight, n)
	total := 0
	for i := 0; i < n; i++ {
		if p.newPermits[i] && i < len(ema) {
			total += len(ema[i])
		}
	}
	backing := make([]Weight, 0, total)
	for i := 0; i < n; i++ {
		if !p.newPermits[i] || i >= len(ema) {
			continue
		}
		start := len(backing)
		for _, e := range ema[i] {
			backing = append(backing, Weight{e.Col, FixedProportionToU16(e.Val)})
		}
		out.Bonds[i] = backing[start:len(backing):len(backing)]
	}
	return out, nil
}

// computeBondsSparse is compute_bonds_sparse (Yuma 3): the liquid-alpha EMA when liquid alpha is
// on and some consensus is non-zero, the plain EMA otherwise.
func computeBondsSparse(par *Params, wfb, bonds SparseMatrix, consensus []I32F32, n int) SparseMatrix {
	anyNonZero := false
	for _, c := range consensus {
		if c != 0 {
			anyNonZero = true
			break
		}
	}
	if par.LiquidAlpha && anyNonZero {
		if len(wfb) != len(bonds) {
			// The reference computes no alphas, and mat_ema_alpha_sparse then returns the weights.
			return wfb.Clone()
		}
		src := newLiquidAlpha(par, wfb, bonds, consensus, n)
		return matEmaAlphaSparse(wfb, bonds, n, src)
	}
	return MatEmaSparse(wfb, bonds, BondsMovingAverageAlpha(par.BondsMovingAverage))
}

// liquidAlpha computes the alphas of compute_liquid_alpha_values_sparse lazily, only for the
// cells the EMA reads. The reference walks each weights and bonds row with a forward-only merge
// that assumes ascending columns; a cell is "seen" only if the merge stops on it, which for an
// unsorted row means a column larger than every column seen before it. This reproduces that.
type liquidAlpha struct {
	wfb, bonds     SparseMatrix
	consensus      []I32F32
	low, high, k   I32F32
	n              int
	wVal, bVal     []I32F32
	wSeen, bSeen   []bool
	wTouch, bTouch []int
}

func newLiquidAlpha(par *Params, wfb, bonds SparseMatrix, consensus []I32F32, n int) *liquidAlpha {
	return &liquidAlpha{
		wfb: wfb, bonds: bonds, consensus: consensus, n: n,
		low:   U16ProportionToFixed(par.AlphaLow),
		high:  U16ProportionToFixed(par.AlphaHigh),
		k:     I32F32FromInt(int64(par.AlphaSigmoidSteepness)),
		wVal:  make([]I32F32, n),
		bVal:  make([]I32F32, n),
		wSeen: make([]bool, n),
		bSeen: make([]bool, n),
	}
}

func (l *liquidAlpha) rowLen(int) int { return l.n }

// mergeSeen records the cells the reference's forward merge over row finds.
func mergeSeen(row []SparseEntry, n int, val []I32F32, seen []bool, touch []int) []int {
	next := 0 // the next column j the merge looks for
	for _, e := range row {
		c := int(e.Col)
		if c < next {
			continue // skipped while looking for a larger column
		}
		if c >= n {
			break // the merge rests here until the end: nothing after it is seen
		}
		val[c], seen[c] = e.Val, true
		touch = append(touch, c)
		next = c + 1
	}
	return touch
}

func (l *liquidAlpha) beginRow(i int) {
	for _, c := range l.wTouch {
		l.wVal[c], l.wSeen[c] = 0, false
	}
	for _, c := range l.bTouch {
		l.bVal[c], l.bSeen[c] = 0, false
	}
	l.wTouch = mergeSeen(l.wfb[i], l.n, l.wVal, l.wSeen, l.wTouch[:0])
	var brow []SparseEntry
	if i < len(l.bonds) {
		brow = l.bonds[i]
	}
	l.bTouch = mergeSeen(brow, l.n, l.bVal, l.bSeen, l.bTouch[:0])
}

func (l *liquidAlpha) alpha(_, j int) I32F32 {
	return AlphaSigmoid(getFixed(l.consensus, j), l.wVal[j], l.bVal[j], l.low, l.high, l.k)
}

// ComputeBondsSparse is the sparse Yuma 3 bond EMA (compute_bonds_sparse) over n uids: with
// liquid alpha on and some consensus non-zero, MatEmaAlphaSparse with the AlphaSigmoid alphas;
// otherwise MatEmaSparse with alpha = BondsMovingAverageAlpha(par.BondsMovingAverage).
func ComputeBondsSparse(par Params, weights, bonds SparseMatrix, consensus []I32F32, n int) SparseMatrix {
	return computeBondsSparse(&par, weights, bonds, consensus, n)
}
