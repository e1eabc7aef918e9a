package types

import (
	"fmt"

	"cosmossdk.io/math"
)

// DefaultGenesis is an empty network with default params; netuids start at 1.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextNetuid: 1, LastSubnetCost: math.ZeroInt()}
}

// Validate checks the genesis state for consistency.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.NextNetuid == 0 {
		return fmt.Errorf("next_netuid must be >= 1")
	}
	if gs.LastSubnetCost.IsNil() || gs.LastSubnetCost.IsNegative() {
		return fmt.Errorf("last_subnet_cost must be >= 0")
	}
	subnets := make(map[uint32]Subnet, len(gs.Subnets))
	for _, s := range gs.Subnets {
		if s.Netuid == 0 || s.Netuid >= gs.NextNetuid {
			return fmt.Errorf("subnet netuid %d must be in [1, next_netuid=%d)", s.Netuid, gs.NextNetuid)
		}
		if _, dup := subnets[s.Netuid]; dup {
			return fmt.Errorf("duplicate subnet %d", s.Netuid)
		}
		if err := validAddress("owner", s.Owner); err != nil {
			return err
		}
		if err := s.Identity.Validate(); err != nil {
			return err
		}
		if err := s.Hyperparameters.Validate(); err != nil {
			return fmt.Errorf("subnet %d: %w", s.Netuid, err)
		}
		if s.Burn.IsNil() || s.Burn.IsNegative() || s.Locked.IsNil() || s.Locked.IsNegative() {
			return fmt.Errorf("subnet %d: burn and locked must be >= 0", s.Netuid)
		}
		if s.N > s.Hyperparameters.MaxAllowedUids {
			return fmt.Errorf("subnet %d: n=%d > max_allowed_uids", s.Netuid, s.N)
		}
		subnets[s.Netuid] = s
	}
	type key struct{ netuid, uid uint32 }
	seenUID := map[key]bool{}
	seenHot := map[string]bool{}
	counts := map[uint32]uint32{}
	for _, n := range gs.Neurons {
		s, ok := subnets[n.Netuid]
		if !ok {
			return fmt.Errorf("neuron %d/%d on unknown subnet", n.Netuid, n.Uid)
		}
		if n.Uid >= s.N {
			return fmt.Errorf("neuron %d/%d: uid >= subnet n=%d", n.Netuid, n.Uid, s.N)
		}
		if err := validAddress("hotkey", n.Hotkey); err != nil {
			return err
		}
		if err := validAddress("coldkey", n.Coldkey); err != nil {
			return err
		}
		k := key{n.Netuid, n.Uid}
		if seenUID[k] {
			return fmt.Errorf("duplicate neuron %d/%d", n.Netuid, n.Uid)
		}
		seenUID[k] = true
		hk := fmt.Sprintf("%d/%s", n.Netuid, n.Hotkey)
		if seenHot[hk] {
			return fmt.Errorf("hotkey %s registered twice on subnet %d", n.Hotkey, n.Netuid)
		}
		seenHot[hk] = true
		counts[n.Netuid]++
	}
	for _, s := range gs.Subnets {
		if counts[s.Netuid] != s.N {
			return fmt.Errorf("subnet %d: n=%d but %d neurons in genesis", s.Netuid, s.N, counts[s.Netuid])
		}
	}
	for _, o := range gs.Outputs {
		if !seenUID[key{o.Netuid, o.Uid}] {
			return fmt.Errorf("epoch output for unknown neuron %d/%d", o.Netuid, o.Uid)
		}
	}
	for _, h := range gs.HotkeyOwners {
		if err := validAddress("hotkey", h.Hotkey); err != nil {
			return err
		}
		if err := validAddress("coldkey", h.Coldkey); err != nil {
			return err
		}
	}
	for _, m := range []struct {
		name string
		rows []MatrixRow
	}{{"weights", gs.Weights}, {"bonds", gs.Bonds}} {
		seenRow := map[key]bool{}
		for _, r := range m.rows {
			k := key{r.Netuid, r.Uid}
			if !seenUID[k] {
				return fmt.Errorf("%s row for unknown neuron %d/%d", m.name, r.Netuid, r.Uid)
			}
			if seenRow[k] {
				return fmt.Errorf("duplicate %s row %d/%d", m.name, r.Netuid, r.Uid)
			}
			seenRow[k] = true
			n := subnets[r.Netuid].N
			for i, e := range r.Entries {
				if e.Uid >= n || e.Value > 65535 || (i > 0 && e.Uid <= r.Entries[i-1].Uid) {
					return fmt.Errorf("%s row %d/%d: entries must have increasing uids < n=%d and u16 values", m.name, r.Netuid, r.Uid, n)
				}
			}
		}
	}
	for _, c := range gs.Commits {
		if _, ok := subnets[c.Netuid]; !ok {
			return fmt.Errorf("weight commits on unknown subnet %d", c.Netuid)
		}
		if err := validAddress("hotkey", c.Hotkey); err != nil {
			return err
		}
		if len(c.Commits) > MaxPendingCommits {
			return fmt.Errorf("hotkey %s has %d commits on subnet %d, at most %d", c.Hotkey, len(c.Commits), c.Netuid, MaxPendingCommits)
		}
	}
	for _, e := range gs.EpochIndices {
		if _, ok := subnets[e.Netuid]; !ok {
			return fmt.Errorf("epoch index of unknown subnet %d", e.Netuid)
		}
	}
	return nil
}
