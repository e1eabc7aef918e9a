package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/internal/validate"
)

// DefaultGenesis is an empty network with default params; netuids start at 1.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextNetuid: 1, LastSubnetCost: math.ZeroInt()}
}

// maxU16 is the largest value of the u16 quantities stored in uint32 fields (weights, epoch outputs).
const maxU16 = 65535

// Validate checks a subnet on its own: netuid >= 1, the owner's address, its identity and hyperparameters,
// burn and locked >= 0, and at most max_allowed_uids neurons.
func (s Subnet) Validate() error {
	if err := validNetuid(s.Netuid); err != nil {
		return err
	}
	if err := validAddress("owner", s.Owner); err != nil {
		return err
	}
	if err := s.Identity.Validate(); err != nil {
		return err
	}
	if err := s.Hyperparameters.Validate(); err != nil {
		return errorsmod.Wrap(ErrInvalidHyperparameters, err.Error())
	}
	if err := validate.NonNegative(ErrInvalidGenesis, "burn", s.Burn); err != nil {
		return err
	}
	if err := validate.NonNegative(ErrInvalidGenesis, "locked", s.Locked); err != nil {
		return err
	}
	if s.N > s.Hyperparameters.MaxAllowedUids {
		return errorsmod.Wrapf(ErrInvalidGenesis, "n is %d; want at most max_allowed_uids (%d)", s.N, s.Hyperparameters.MaxAllowedUids)
	}
	return nil
}

// Validate checks a neuron on its own: netuid >= 1 and the hotkey's and coldkey's addresses. That its uid is below
// its subnet's n is checked by GenesisState.Validate.
func (n Neuron) Validate() error {
	if err := validNetuid(n.Netuid); err != nil {
		return err
	}
	if err := validAddress("hotkey", n.Hotkey); err != nil {
		return err
	}
	return validAddress("coldkey", n.Coldkey)
}

// Validate checks an epoch output on its own: netuid >= 1, u16 consensus, incentive, dividends and validator trust,
// and an emission >= 0.
func (o NeuronOutput) Validate() error {
	if err := validNetuid(o.Netuid); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    uint32
	}{
		{"consensus", o.Output.Consensus},
		{"incentive", o.Output.Incentive},
		{"dividends", o.Output.Dividends},
		{"validator_trust", o.Output.ValidatorTrust},
	} {
		if f.v > maxU16 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "output.%s is %d; want a u16 (at most %d)", f.name, f.v, maxU16)
		}
	}
	if !o.Output.Emission.IsNil() && o.Output.Emission.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidGenesis, "output.emission is %s; want an amount in umind >= 0", o.Output.Emission)
	}
	return nil
}

// Validate checks a hotkey's owner on its own: both addresses.
func (h HotkeyOwner) Validate() error {
	if err := validAddress("hotkey", h.Hotkey); err != nil {
		return err
	}
	return validAddress("coldkey", h.Coldkey)
}

// Validate checks a weight or bond row on its own: netuid >= 1, entries in increasing uid order with u16 values.
// That the uids exist on the subnet is checked by GenesisState.Validate.
func (r MatrixRow) Validate() error {
	if err := validNetuid(r.Netuid); err != nil {
		return err
	}
	for i, e := range r.Entries {
		if e.Value > maxU16 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "entries[%d] (uid %d) has value %d; want a u16 (at most %d)", i, e.Uid, e.Value, maxU16)
		}
		if i > 0 && e.Uid <= r.Entries[i-1].Uid {
			return errorsmod.Wrapf(ErrInvalidGenesis, "entries[%d] has uid %d after uid %d; want strictly increasing uids", i, e.Uid, r.Entries[i-1].Uid)
		}
	}
	return nil
}

// Validate checks a hotkey's pending weight commits on its own: netuid >= 1, the hotkey's address and at most
// MaxPendingCommits commits.
func (c HotkeyCommits) Validate() error {
	if err := validNetuid(c.Netuid); err != nil {
		return err
	}
	if err := validAddress("hotkey", c.Hotkey); err != nil {
		return err
	}
	if len(c.Commits) > MaxPendingCommits {
		return errorsmod.Wrapf(ErrTooManyCommits, "%d commits; at most %d may be pending per hotkey and subnet", len(c.Commits), MaxPendingCommits)
	}
	return nil
}

// Validate checks a subnet's epoch index on its own: netuid >= 1.
func (e SubnetEpochIndex) Validate() error { return validNetuid(e.Netuid) }

// neuronKey names a uid on a subnet.
type neuronKey struct{ netuid, uid uint32 }

// Validate checks the genesis: valid params, every item valid on its own (its Validate), and what only the whole
// state can tell: netuids below next_netuid and unique, each subnet's n equal to its neurons, uids below n and
// unique, a hotkey at most once per subnet, and outputs, weight and bond rows, commits and epoch indices that
// belong to existing neurons or subnets.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.NextNetuid == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_netuid is 0; want at least 1 (netuids start at 1)")
	}
	if err := validate.NonNegative(ErrInvalidGenesis, "last_subnet_cost", gs.LastSubnetCost); err != nil {
		return err
	}
	subnets, err := gs.validateSubnets()
	if err != nil {
		return err
	}
	neurons, err := gs.validateNeurons(subnets)
	if err != nil {
		return err
	}
	for i, o := range gs.Outputs {
		if err := o.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "outputs[%d]: %v", i, err)
		}
		if _, ok := neurons[neuronKey{o.Netuid, o.Uid}]; !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "outputs[%d]: epoch output for unknown neuron %d/%d", i, o.Netuid, o.Uid)
		}
	}
	for i, h := range gs.HotkeyOwners {
		if err := h.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "hotkey_owners[%d]: %v", i, err)
		}
	}
	if err := validateRows("weights", gs.Weights, subnets, neurons); err != nil {
		return err
	}
	if err := validateRows("bonds", gs.Bonds, subnets, neurons); err != nil {
		return err
	}
	for i, c := range gs.Commits {
		if err := c.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "commits[%d]: %v", i, err)
		}
		if _, ok := subnets[c.Netuid]; !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "commits[%d]: weight commits on unknown subnet %d", i, c.Netuid)
		}
	}
	for i, e := range gs.EpochIndices {
		if err := e.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "epoch_indices[%d]: %v", i, err)
		}
		if _, ok := subnets[e.Netuid]; !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "epoch_indices[%d]: epoch index of unknown subnet %d", i, e.Netuid)
		}
	}
	return nil
}

// validateSubnets checks each subnet and returns each one's n by netuid.
func (gs GenesisState) validateSubnets() (map[uint32]uint32, error) {
	subnets := make(map[uint32]uint32, len(gs.Subnets))
	for i, s := range gs.Subnets {
		if err := s.Validate(); err != nil {
			return nil, errorsmod.Wrapf(ErrInvalidGenesis, "subnets[%d]: %v", i, err)
		}
		if s.Netuid >= gs.NextNetuid {
			return nil, errorsmod.Wrapf(ErrInvalidGenesis, "subnets[%d]: netuid %d; want below next_netuid (%d)", i, s.Netuid, gs.NextNetuid)
		}
		if _, dup := subnets[s.Netuid]; dup {
			return nil, errorsmod.Wrapf(ErrInvalidGenesis, "subnets[%d]: duplicate subnet %d", i, s.Netuid)
		}
		subnets[s.Netuid] = s.N
	}
	return subnets, nil
}

// validateNeurons checks each neuron against its subnet and the subnets' n against their neurons, and returns the
// set of neurons.
func (gs GenesisState) validateNeurons(subnets map[uint32]uint32) (map[neuronKey]struct{}, error) {
	neurons := make(map[neuronKey]struct{}, len(gs.Neurons))
	type hotkeyKey struct {
		netuid uint32
		hotkey string
	}
	hotkeys := make(map[hotkeyKey]struct{}, len(gs.Neurons))
	counts := make(map[uint32]uint32, len(subnets))
	for i, n := range gs.Neurons {
		if err := n.Validate(); err != nil {
			return nil, errorsmod.Wrapf(ErrInvalidGenesis, "neurons[%d]: %v", i, err)
		}
		size, ok := subnets[n.Netuid]
		if !ok {
			return nil, errorsmod.Wrapf(ErrInvalidGenesis, "neurons[%d]: neuron %d/%d on unknown subnet", i, n.Netuid, n.Uid)
		}
		if n.Uid >= size {
			return nil, errorsmod.Wrapf(ErrInvalidGenesis, "neurons[%d]: uid %d; want below the subnet's n (%d)", i, n.Uid, size)
		}
		k := neuronKey{n.Netuid, n.Uid}
		if _, dup := neurons[k]; dup {
			return nil, errorsmod.Wrapf(ErrInvalidGenesis, "neurons[%d]: duplicate neuron %d/%d", i, n.Netuid, n.Uid)
		}
		neurons[k] = struct{}{}
		hk := hotkeyKey{n.Netuid, n.Hotkey}
		if _, dup := hotkeys[hk]; dup {
			return nil, errorsmod.Wrapf(ErrInvalidGenesis, "neurons[%d]: hotkey %s registered twice on subnet %d", i, n.Hotkey, n.Netuid)
		}
		hotkeys[hk] = struct{}{}
		counts[n.Netuid]++
	}
	for _, s := range gs.Subnets {
		if counts[s.Netuid] != s.N {
			return nil, errorsmod.Wrapf(ErrInvalidGenesis, "subnet %d: n is %d but genesis has %d neurons on it", s.Netuid, s.N, counts[s.Netuid])
		}
	}
	return neurons, nil
}

// validateRows checks weight or bond rows: each valid on its own, of an existing neuron, once, with uids below n.
func validateRows(name string, rows []MatrixRow, subnets map[uint32]uint32, neurons map[neuronKey]struct{}) error {
	seen := make(map[neuronKey]struct{}, len(rows))
	for i, r := range rows {
		if err := r.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s[%d]: %v", name, i, err)
		}
		k := neuronKey{r.Netuid, r.Uid}
		if _, ok := neurons[k]; !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s[%d]: row of unknown neuron %d/%d", name, i, r.Netuid, r.Uid)
		}
		if _, dup := seen[k]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s[%d]: duplicate row %d/%d", name, i, r.Netuid, r.Uid)
		}
		seen[k] = struct{}{}
		if last := len(r.Entries) - 1; last >= 0 && r.Entries[last].Uid >= subnets[r.Netuid] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s[%d]: entry for uid %d; want uids below the subnet's n (%d)",
				name, i, r.Entries[last].Uid, subnets[r.Netuid])
		}
	}
	return nil
}
