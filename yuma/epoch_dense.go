package yuma

// MaxDenseUIDs bounds RunEpochDense, whose matrices are n × n.
const MaxDenseUIDs = 1024

// RunEpochDense runs the dense epoch (epoch_dense, SPEC §3.11). The reference keeps it for tests;
// it computes the same values as RunEpoch on ordinary input, with these differences:
//
//   - the diagonal is always masked, including the owner's self-weight;
//   - there is no owner permit forcing, no owner exemption from the stake threshold and no
//     commit-reveal mask;
//   - Yuma 3 with liquid alpha decays every bond cell (dense mat_ema_alpha);
//   - Bonds rows of uids with a new permit are full rows of n cells; rows of uids that only had the
//     old permit become empty; other rows are left unchanged (copied from the input).
//
// It allocates O(n²) and is meant for tests and simulation, not for the chain; subnets larger than
// MaxDenseUIDs are refused.
func RunEpochDense(in EpochInput) (*EpochOutput, error) {
	n, err := in.validate()
	if err != nil {
		return nil, err
	}
	if n > MaxDenseUIDs {
		return nil, errorf("the dense epoch is limited to %d uids, got %d", MaxDenseUIDs, n)
	}
	out := newOutput(n)
	if n == 0 {
		return out, nil
	}
	par := &in.Params
	p := newPrologue(&in, n, false)

	w := NewMatrix(n, n)
	for i := 0; i < n && i < len(in.Weights); i++ {
		for _, c := range in.Weights[i] {
			if int(c.UID) < n {
				w[i][c.UID] = U16ToFixed(c.Value)
			}
		}
	}
	InplaceMaskRows(p.forbids, w)
	if owner := in.ownerIndex(n); owner >= 0 {
		InplaceMaskDiagExceptIndex(w, owner)
	} else {
		InplaceMaskDiag(w)
	}
	InplaceMaskDiag(w)
	outdated := make([][]bool, len(in.LastUpdate))
	for i, lu := range in.LastUpdate {
		row := make([]bool, n)
		for j, reg := range in.BlockAtRegistration {
			row[j] = lu <= reg
		}
		outdated[i] = row
	}
	InplaceMaskMatrix(outdated, w)
	InplaceRowNormalize(w)

	consensus := WeightedMedianCol(p.activeStake, w, U16ProportionToFixed(par.Kappa))
	clipped := w.Clone()
	InplaceColClip(clipped, consensus)
	vtrust := RowSum(clipped)
	incentive := MatMul(clipped, p.activeStake)
	InplaceNormalize(incentive)

	wfb := Interpolate(w, clipped, U16ProportionToFixed(par.BondsPenalty))
	recently := make([]bool, n)
	for j, reg := range in.BlockAtRegistration {
		recently[j] = p.lastTempo <= reg
	}
	b := NewMatrix(n, n)
	for i := 0; i < n && i < len(in.Bonds); i++ {
		for _, c := range in.Bonds[i] {
			if int(c.UID) < n {
				v := U16ToFixed(c.Value)
				if par.Yuma3 {
					v = FixedToFixedU16Proportion(v)
				}
				b[i][c.UID] = v
			}
		}
	}
	InplaceMaskCols(recently, b)

	var dividends []I32F32
	var ema Matrix
	if par.Yuma3 {
		ema = computeBondsDense(par, wfb, b, consensus)
		emaNorm := ema.Clone()
		InplaceColNormalize(emaNorm)
		dividends = VecMul(RowSum(MatVecMul(emaNorm, incentive)), p.activeStake)
		InplaceNormalize(dividends)
	} else {
		InplaceColNormalize(b)
		delta := RowHadamard(wfb, p.activeStake)
		InplaceColNormalize(delta)
		ema = MatEma(delta, b, BondsMovingAverageAlpha(par.BondsMovingAverage))
		InplaceColNormalize(ema)
		dividends = MatMulTranspose(ema, incentive)
		InplaceNormalize(dividends)
		InplaceColMaxUpscale(ema)
	}
	// Guard the emission step against degenerate shapes from the matrix helpers.
	dividends = padTo(dividends, n)

	p.finish(out, &in, consensus, incentive, dividends, vtrust)
	out.Weights = denseToSparse(w)

	out.Bonds = make([][]Weight, n)
	for i := 0; i < n; i++ {
		if i < len(in.Bonds) {
			out.Bonds[i] = append([]Weight(nil), in.Bonds[i]...)
		}
	}
	zip := min(n, len(in.ValidatorPermits), len(ema))
	for i := 0; i < zip; i++ {
		switch {
		case p.newPermits[i]:
			row := make([]Weight, 0, n)
			for j := 0; j < n && j < len(ema[i]); j++ {
				row = append(row, Weight{uint16(j), FixedProportionToU16(ema[i][j])})
			}
			out.Bonds[i] = row
		case in.ValidatorPermits[i]:
			out.Bonds[i] = nil
		}
	}
	return out, nil
}

// computeBondsDense is compute_bonds (dense, Yuma 3).
func computeBondsDense(par *Params, wfb, bonds Matrix, consensus []I32F32) Matrix {
	anyNonZero := false
	for _, c := range consensus {
		if c != 0 {
			anyNonZero = true
			break
		}
	}
	if !par.LiquidAlpha || !anyNonZero {
		return MatEma(wfb, bonds, BondsMovingAverageAlpha(par.BondsMovingAverage))
	}
	var alphas Matrix
	if len(wfb) == len(bonds) {
		low, high := U16ProportionToFixed(par.AlphaLow), U16ProportionToFixed(par.AlphaHigh)
		k := I32F32FromInt(int64(par.AlphaSigmoidSteepness))
		alphas = make(Matrix, len(wfb))
		for i := range wfb {
			cols := min(len(wfb[i]), len(bonds[i]), len(consensus))
			row := make([]I32F32, cols)
			for j := range row {
				row[j] = AlphaSigmoid(consensus[j], wfb[i][j], bonds[i][j], low, high, k)
			}
			alphas[i] = row
		}
	}
	return MatEmaAlpha(wfb, bonds, alphas)
}

func padTo(v []I32F32, n int) []I32F32 {
	for len(v) < n {
		v = append(v, 0)
	}
	return v[:n]
}

func denseToSparse(m Matrix) SparseMatrix {
	out := make(SparseMatrix, len(m))
	for i, row := range m {
		for j, v := range row {
			if v != 0 {
				out[i] = append(out[i], SparseEntry{uint16(j), v})
			}
		}
	}
	return out
}

// ComputeBonds is the dense Yuma 3 bond EMA (compute_bonds): with liquid alpha on and some
// consensus non-zero, the per-cell alpha of AlphaSigmoid and MatEmaAlpha; otherwise MatEma with
// alpha = BondsMovingAverageAlpha(par.BondsMovingAverage).
func ComputeBonds(par Params, weights, bonds Matrix, consensus []I32F32) Matrix {
	return computeBondsDense(&par, weights, bonds, consensus)
}
