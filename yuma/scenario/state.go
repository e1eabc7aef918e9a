package scenario

import (
	"fmt"

	"github.com/tokenmind/tokenmind/yuma"
	"github.com/tokenmind/tokenmind/yuma/internal/literal"
)

// state is the subnet storage a scenario acts on between epochs: what the reference keeps in
// Keys/Stake/BlockAtRegistration/LastUpdate/ValidatorPermit/Weights/Bonds and the hyperparameters.
type state struct {
	n            int
	block        uint64
	stake        []uint64
	rootStake    []uint64
	bar          []uint64 // BlockAtRegistration
	lastUpdate   []uint64
	permits      []bool
	weights      [][]yuma.Weight
	bonds        [][]yuma.Weight
	commitBlocks []uint64
	params       yuma.Params
	owner        *uint16
	lastStep     uint64
	groups       map[string][]int

	last    *yuma.EpochOutput
	lastFn  string
	lastRao uint64
}

// mockDefaults are the reference test mock's hyperparameters (meta.hyperparameter_defaults_when_absent
// of vectors.json); a file's own meta block overrides them.
func mockDefaults() (yuma.Params, *uint16, uint64) {
	return yuma.Params{
		Tempo:                     360,
		ActivityCutoffFactorMilli: 13889,
		Kappa:                     32767,
		BondsPenalty:              65535,
		BondsMovingAverage:        900_000,
		Yuma3:                     false,
		LiquidAlpha:               false,
		AlphaLow:                  45875,
		AlphaHigh:                 58982,
		AlphaSigmoidSteepness:     1000,
		MaxAllowedValidators:      100,
		StakeThreshold:            0,
		TaoWeight:                 0,
	}, nil, 0
}

// applyParam sets one hyperparameter by its scenario name (the keys of meta.hyperparameter_keys).
func (st *state) applyParam(name string, v any, path string) error {
	p := &st.params
	var err error
	u := func(bitSize int) uint64 {
		var x uint64
		if err == nil {
			x, err = literal.Uint(v, bitSize)
		}
		return x
	}
	b := func() bool {
		var x bool
		if err == nil {
			x, err = asBool(v, path)
		}
		return x
	}
	switch name {
	case "kappa_u16":
		p.Kappa = uint16(u(16))
	case "bonds_moving_average":
		p.BondsMovingAverage = u(64)
	case "bonds_penalty_u16":
		p.BondsPenalty = uint16(u(16))
	case "tempo":
		p.Tempo = uint16(u(16))
	case "activity_cutoff_factor_milli":
		p.ActivityCutoffFactorMilli = uint32(u(32))
	case "max_allowed_validators":
		p.MaxAllowedValidators = uint16(u(16))
	case "yuma3":
		p.Yuma3 = b()
	case "liquid_alpha":
		p.LiquidAlpha = b()
	case "commit_reveal_enabled":
		p.CommitRevealEnabled = b()
	case "alpha_values_u16":
		var l []uint64
		if l, err = u64List(v, path, 16); err == nil {
			if len(l) != 2 {
				return fmt.Errorf("%s: want [low, high]", path)
			}
			p.AlphaLow, p.AlphaHigh = uint16(l[0]), uint16(l[1])
		}
	case "alpha_sigmoid_steepness":
		var x int64
		if x, err = literal.Int(v); err == nil && (x < -32768 || x > 32767) {
			err = fmt.Errorf("%d is not an i16", x)
		}
		p.AlphaSigmoidSteepness = int16(x)
	case "stake_threshold":
		p.StakeThreshold = u(64)
	case "tao_weight_u64":
		p.TaoWeight = u(64)
	case "owner_uid":
		if v == nil {
			st.owner = nil
		} else {
			o := uint16(u(16))
			st.owner = &o
		}
	case "last_mechanism_step_block":
		st.lastStep = u(64)
	default:
		return fmt.Errorf("%s: unknown hyperparameter %q", path, name)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// perUID expands a per-uid initial value: a list (any length unless exact), a scalar for every
// uid, or an object {group: value} over the validators/servers groups.
func (st *state) perUID(v any, path string, exact bool) ([]uint64, error) {
	switch x := v.(type) {
	case []any:
		out, err := u64List(x, path, 64)
		if err != nil {
			return nil, err
		}
		if exact && len(out) != st.n {
			return nil, fmt.Errorf("%s: %d entries, want n = %d", path, len(out), st.n)
		}
		return out, nil
	case map[string]any:
		o, _ := asObj(x, path)
		out := make([]uint64, st.n)
		for _, g := range o.keys() {
			uids, ok := st.groups[g]
			if !ok {
				return nil, fmt.Errorf("%s: unknown group %q", path, g)
			}
			val, err := literal.Uint(o.m[g], 64)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", path, g, err)
			}
			for _, uid := range uids {
				out[uid] = val
			}
		}
		return out, nil
	default:
		val, err := literal.Uint(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out := make([]uint64, st.n)
		for i := range out {
			out[i] = val
		}
		return out, nil
	}
}

func parseRow(v any, path string) ([]yuma.Weight, error) {
	l, err := asList(v, path)
	if err != nil {
		return nil, err
	}
	row := make([]yuma.Weight, 0, len(l))
	for k, cell := range l {
		pair, err := u64List(cell, fmt.Sprintf("%s[%d]", path, k), 16)
		if err != nil {
			return nil, err
		}
		if len(pair) != 2 {
			return nil, fmt.Errorf("%s[%d]: want [uid, value]", path, k)
		}
		row = append(row, yuma.Weight{UID: uint16(pair[0]), Value: uint16(pair[1])})
	}
	return row, nil
}

// newState builds the state of an epoch vector from its hyperparameters and initial_state.
func newState(hyper, initial any, defaults *obj, path string) (*state, error) {
	st := &state{groups: map[string][]int{}}
	st.params, st.owner, st.lastStep = mockDefaults()
	if defaults != nil {
		for _, k := range defaults.keys() {
			if err := st.applyParam(k, defaults.m[k], "meta.hyperparameter_defaults_when_absent."+k); err != nil {
				return nil, err
			}
		}
	}
	if hyper != nil {
		h, err := asObj(hyper, path+".hyperparameters")
		if err != nil {
			return nil, err
		}
		for _, k := range h.keys() {
			if err := st.applyParam(k, h.m[k], h.path+"."+k); err != nil {
				return nil, err
			}
		}
	}

	in, err := asObj(initial, path+".initial_state")
	if err != nil {
		return nil, err
	}
	n, err := in.u64("n")
	if err != nil {
		return nil, err
	}
	if n > yuma.MaxUIDs {
		return nil, fmt.Errorf("%s.n: %d uids, at most %d", in.path, n, yuma.MaxUIDs)
	}
	st.n = int(n)
	if v, ok := in.get("block"); ok {
		if st.block, err = literal.Uint(v, 64); err != nil {
			return nil, fmt.Errorf("%s.block: %w", in.path, err)
		}
	}
	for _, g := range []string{"validators", "servers"} {
		if v, ok := in.get(g); ok {
			l, err := u64List(v, in.path+"."+g, 16)
			if err != nil {
				return nil, err
			}
			uids := make([]int, len(l))
			for i, u := range l {
				if int(u) >= st.n {
					return nil, fmt.Errorf("%s.%s: uid %d >= n", in.path, g, u)
				}
				uids[i] = int(u)
			}
			st.groups[g] = uids
		}
	}
	in.ignore("hotkeys", "interleave", "server_self", "note")

	st.stake = make([]uint64, st.n)
	if v, ok := in.get("alpha_stake"); ok {
		if st.stake, err = st.perUID(v, in.path+".alpha_stake", true); err != nil {
			return nil, err
		}
	}
	if v, ok := in.get("root_stake"); ok {
		if st.rootStake, err = st.perUID(v, in.path+".root_stake", true); err != nil {
			return nil, err
		}
	}
	st.bar = make([]uint64, st.n)
	if v, ok := in.get("block_at_registration"); ok {
		if st.bar, err = st.perUID(v, in.path+".block_at_registration", true); err != nil {
			return nil, err
		}
	}
	st.lastUpdate = make([]uint64, st.n)
	if v, ok := in.get("last_update"); ok {
		if st.lastUpdate, err = st.perUID(v, in.path+".last_update", false); err != nil {
			return nil, err
		}
	}
	st.permits = make([]bool, st.n)
	if v, ok := in.get("validator_permit"); ok {
		if st.permits, err = boolList(v, in.path+".validator_permit"); err != nil {
			return nil, err
		}
	}
	if v, ok := in.get("commit_blocks"); ok {
		if st.commitBlocks, err = st.perUID(v, in.path+".commit_blocks", true); err != nil {
			return nil, err
		}
	}
	st.weights = make([][]yuma.Weight, st.n)
	st.bonds = make([][]yuma.Weight, st.n)
	for _, key := range []string{"weights", "bonds"} {
		v, ok := in.get(key)
		if !ok {
			continue
		}
		rows, err := asList(v, in.path+"."+key)
		if err != nil {
			return nil, err
		}
		if len(rows) > st.n {
			return nil, fmt.Errorf("%s.%s: %d rows for n = %d", in.path, key, len(rows), st.n)
		}
		for i, r := range rows {
			row, err := parseRow(r, fmt.Sprintf("%s.%s[%d]", in.path, key, i))
			if err != nil {
				return nil, err
			}
			if key == "weights" {
				st.weights[i] = row
			} else {
				st.bonds[i] = row
			}
		}
	}
	if err := in.checkUnknown(); err != nil {
		return nil, err
	}
	return st, nil
}

// setWeights is do_set_weights as the vectors script it: store (dest, max-upscaled value) and set
// LastUpdate[uid] = block.
func (st *state) setWeights(uid int, dests, values []uint64, path string) error {
	if uid >= st.n {
		return fmt.Errorf("%s: uid %d >= n = %d", path, uid, st.n)
	}
	if len(dests) != len(values) {
		return fmt.Errorf("%s: %d dests but %d values", path, len(dests), len(values))
	}
	vals := make([]uint16, len(values))
	for i, v := range values {
		vals[i] = uint16(v)
	}
	up := yuma.VecU16MaxUpscaleToU16(vals)
	row := make([]yuma.Weight, len(dests))
	for i, d := range dests {
		if int(d) >= st.n {
			return fmt.Errorf("%s: destination uid %d >= n = %d", path, d, st.n)
		}
		row[i] = yuma.Weight{UID: uint16(d), Value: up[i]}
	}
	st.weights[uid] = row
	if uid < len(st.lastUpdate) {
		st.lastUpdate[uid] = st.block
	}
	return nil
}

// apply runs one scripted action.
func (st *state) apply(v any, path string) error {
	a, err := asObj(v, path)
	if err != nil {
		return err
	}
	op, err := a.str("op")
	if err != nil {
		return err
	}
	a.ignore("note")
	if err := st.applyOp(op, a); err != nil {
		return err
	}
	return a.checkUnknown()
}

func (st *state) applyOp(op string, a *obj) error {
	uidArg := func() (int, error) {
		u, err := a.uid("uid")
		if err == nil && u >= st.n {
			err = fmt.Errorf("%s: uid %d >= n = %d", a.path, u, st.n)
		}
		return u, err
	}
	listArg := func(k string, bitSize int) ([]uint64, error) {
		v, err := a.req(k)
		if err != nil {
			return nil, err
		}
		return u64List(v, a.path+"."+k, bitSize)
	}
	switch op {
	case "set_block":
		b, err := a.u64("block")
		if err != nil {
			return err
		}
		st.block = b
	case "set_weights":
		uid, err := uidArg()
		if err != nil {
			return err
		}
		dests, err := listArg("dests", 16)
		if err != nil {
			return err
		}
		values, err := listArg("values", 16)
		if err != nil {
			return err
		}
		return st.setWeights(uid, dests, values, a.path)
	case "set_weights_many":
		uids, err := listArg("uids", 16)
		if err != nil {
			return err
		}
		dests, err := listArg("dests", 16)
		if err != nil {
			return err
		}
		each, err := a.u64("value_each")
		if err != nil {
			return err
		}
		if each > 65535 {
			return fmt.Errorf("%s.value_each: %d is not a u16", a.path, each)
		}
		values := make([]uint64, len(dests))
		for i := range values {
			values[i] = each
		}
		for _, u := range uids {
			if err := st.setWeights(int(u), dests, values, a.path); err != nil {
				return err
			}
		}
	case "self_weights_many":
		uids, err := listArg("uids", 16)
		if err != nil {
			return err
		}
		val, err := a.u64("value")
		if err != nil {
			return err
		}
		if val > 65535 {
			return fmt.Errorf("%s.value: %d is not a u16", a.path, val)
		}
		for _, u := range uids {
			if err := st.setWeights(int(u), []uint64{u}, []uint64{val}, a.path); err != nil {
				return err
			}
		}
	case "insert_weights_row", "set_bonds_row":
		uid, err := uidArg()
		if err != nil {
			return err
		}
		rv, err := a.req("row")
		if err != nil {
			return err
		}
		row, err := parseRow(rv, a.path+".row")
		if err != nil {
			return err
		}
		if op == "insert_weights_row" {
			st.weights[uid] = row
		} else {
			st.bonds[uid] = row
		}
	case "set_last_update_vector":
		l, err := listArg("values", 64)
		if err != nil {
			return err
		}
		st.lastUpdate = l
	case "set_validator_permit_vector":
		v, err := a.req("values")
		if err != nil {
			return err
		}
		l, err := boolList(v, a.path+".values")
		if err != nil {
			return err
		}
		st.permits = l
	case "replace_neuron":
		uid, err := uidArg()
		if err != nil {
			return err
		}
		b, err := a.u64("block")
		if err != nil {
			return err
		}
		st.replaceNeuron(uid, b)
	case "append_neuron":
		b, err := a.u64("block")
		if err != nil {
			return err
		}
		var stake uint64
		if v, ok := a.get("stake"); ok {
			if stake, err = literal.Uint(v, 64); err != nil {
				return fmt.Errorf("%s.stake: %w", a.path, err)
			}
		}
		if st.n >= yuma.MaxUIDs {
			return fmt.Errorf("%s: subnet is full", a.path)
		}
		st.n++
		st.stake = append(st.stake, stake)
		if st.rootStake != nil {
			st.rootStake = append(st.rootStake, 0)
		}
		if st.commitBlocks != nil {
			st.commitBlocks = append(st.commitBlocks, ^uint64(0))
		}
		st.bar = append(st.bar, b)
		st.lastUpdate = append(st.lastUpdate, b)
		st.permits = append(st.permits, false)
		st.weights = append(st.weights, nil)
		st.bonds = append(st.bonds, nil)
	case "add_alpha_stake", "set_stake":
		uid, err := uidArg()
		if err != nil {
			return err
		}
		amt, err := a.u64("amount")
		if err != nil {
			return err
		}
		if op == "set_stake" {
			st.stake[uid] = amt
		} else if s := st.stake[uid] + amt; s < amt {
			st.stake[uid] = ^uint64(0)
		} else {
			st.stake[uid] = s
		}
	case "set_param":
		name, err := a.str("name")
		if err != nil {
			return err
		}
		v, err := a.req("value")
		if err != nil {
			return err
		}
		return st.applyParam(name, v, a.path+".value")
	case "reset_bonds_to_uid":
		uid, err := uidArg()
		if err != nil {
			return err
		}
		for i, row := range st.bonds {
			kept := row[:0:0]
			for _, c := range row {
				if int(c.UID) != uid {
					kept = append(kept, c)
				}
			}
			st.bonds[i] = kept
		}
	default:
		return fmt.Errorf("%s: unknown action %q", a.path, op)
	}
	return nil
}

// replaceNeuron is replace_neuron + clear_neuron: a new hotkey (no stake) takes uid at block.
func (st *state) replaceNeuron(uid int, block uint64) {
	st.bar[uid] = block
	if uid < len(st.lastUpdate) {
		st.lastUpdate[uid] = block
	}
	st.stake[uid] = 0
	if st.rootStake != nil {
		st.rootStake[uid] = 0
	}
	if uid < len(st.permits) {
		st.permits[uid] = false
	}
	st.weights[uid] = nil
	st.bonds[uid] = nil
	for i, row := range st.weights {
		for k, c := range row {
			if int(c.UID) == uid {
				st.weights[i][k].Value = 0
			}
		}
	}
}

// input builds the epoch input from the state.
func (st *state) input(rao uint64) yuma.EpochInput {
	return yuma.EpochInput{
		Block:                  st.block,
		Stake:                  st.stake,
		RootStake:              st.rootStake,
		BlockAtRegistration:    st.bar,
		LastUpdate:             st.lastUpdate,
		ValidatorPermits:       st.permits,
		Weights:                st.weights,
		Bonds:                  st.bonds,
		CommitBlocks:           st.commitBlocks,
		OwnerUID:               st.owner,
		LastMechanismStepBlock: st.lastStep,
		RaoEmission:            rao,
		Params:                 st.params,
	}
}

// runEpoch runs the named epoch and stores its Bonds and ValidatorPermit outputs, as the
// reference's persist functions do.
func (st *state) runEpoch(fn string, rao uint64) (*yuma.EpochOutput, error) {
	in := st.input(rao)
	var out *yuma.EpochOutput
	var err error
	switch fn {
	case "sparse":
		out, err = yuma.RunEpoch(in)
	case "dense":
		out, err = yuma.RunEpochDense(in)
	default:
		return nil, fmt.Errorf("unknown epoch function %q (want sparse or dense)", fn)
	}
	if err != nil {
		return nil, err
	}
	st.bonds = make([][]yuma.Weight, len(out.Bonds))
	for i, r := range out.Bonds {
		st.bonds[i] = append([]yuma.Weight(nil), r...)
	}
	st.permits = append([]bool(nil), out.NewValidatorPermits...)
	st.last, st.lastFn, st.lastRao = out, fn, rao
	return out, nil
}

// storedBond returns the stored bond (i, j), 0 when absent (a later duplicate wins).
func (st *state) storedBond(i, j int) uint16 {
	var v uint16
	if i < len(st.bonds) {
		for _, c := range st.bonds[i] {
			if int(c.UID) == j {
				v = c.Value
			}
		}
	}
	return v
}
