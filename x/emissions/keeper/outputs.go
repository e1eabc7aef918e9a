package keeper

import (
	"context"

	"cosmossdk.io/math"

	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
	"github.com/tokenmind/tokenmind/yuma"
)

// writeEpochOutputs stores the epoch's per-UID outputs (one value per chunk of UIDs) and its bond rows (one per UID
// that has bonds; a UID without bonds before or after costs nothing).
func (k *Keeper) writeEpochOutputs(ctx context.Context, st *EpochState, out *yuma.EpochOutput, hadBonds []bool, now uint64) error {
	netuid := st.Subnet.Netuid
	outs := make([]subnetstypes.EpochOutput, len(st.Neurons))
	for i := range st.Neurons {
		outs[i] = subnetstypes.EpochOutput{
			Consensus: uint32(out.ConsensusU16[i]), Incentive: uint32(out.IncentiveU16[i]),
			Dividends: uint32(out.DividendsU16[i]), ValidatorTrust: uint32(out.ValidatorTrustU16[i]),
			Emission: math.NewIntFromUint64(out.Emission[i]), ValidatorPermit: out.NewValidatorPermits[i], EpochHeight: now,
		}
	}
	if err := k.subnets.SetEpochOutputs(ctx, netuid, outs); err != nil {
		return err
	}
	for i, nr := range st.Neurons {
		if len(out.Bonds[i]) == 0 && (i >= len(hadBonds) || !hadBonds[i]) {
			continue
		}
		row := make([]subnetstypes.WeightEntry, len(out.Bonds[i]))
		for j, b := range out.Bonds[i] {
			row[j] = subnetstypes.WeightEntry{Uid: uint32(b.UID), Value: uint32(b.Value)}
		}
		if err := k.subnets.SetBondRow(ctx, netuid, nr.Uid, row); err != nil {
			return err
		}
	}
	return nil
}
