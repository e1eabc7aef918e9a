package types

import (
	"fmt"

	"cosmossdk.io/math"
)

// DefaultGenesis returns the default genesis.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), TotalMinted: math.ZeroInt(), Undistributed: math.ZeroInt()}
}

// Validate checks the genesis.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.TotalMinted.IsNil() || gs.TotalMinted.IsNegative() || gs.Undistributed.IsNil() || gs.Undistributed.IsNegative() {
		return fmt.Errorf("total_minted and undistributed must be >= 0")
	}
	seen := map[uint32]bool{}
	for _, p := range gs.Pools {
		if seen[p.Netuid] || p.Amount.IsNil() || p.Amount.IsNegative() {
			return fmt.Errorf("pool of subnet %d: duplicate or negative", p.Netuid)
		}
		seen[p.Netuid] = true
	}
	sched := map[uint32]bool{}
	for _, s := range gs.Schedules {
		if sched[s.Netuid] || s.Netuid == 0 || s.Netuid > gs.SeenNetuid || s.Stake.IsNil() || s.Stake.IsNegative() {
			return fmt.Errorf("schedule of subnet %d: duplicate, above seen_netuid or negative stake", s.Netuid)
		}
		sched[s.Netuid] = true
	}
	return nil
}
