package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/emissions/types"
	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
	"github.com/tokenmind/tokenmind/yuma"
)

func errorsPanic(r any) error {
	return errorsmod.Wrapf(types.ErrEpochFailed, "panic: %v", r)
}

// YumaParams maps a subnet's hyperparameters to the consensus parameters.
func YumaParams(hp subnetstypes.Hyperparameters) yuma.Params {
	p := yuma.DefaultParams()
	p.Tempo = uint16(hp.Tempo)
	p.ActivityCutoffFactorMilli = hp.ActivityCutoffFactorMilli
	p.Kappa = uint16(hp.Kappa)
	p.BondsPenalty = uint16(hp.BondsPenalty)
	p.BondsMovingAverage = hp.BondsMovingAverage
	p.Yuma3 = hp.Yuma3Enabled
	p.LiquidAlpha = hp.LiquidAlphaEnabled
	p.AlphaLow = uint16(hp.AlphaLow)
	p.AlphaHigh = uint16(hp.AlphaHigh)
	p.AlphaSigmoidSteepness = int16(hp.AlphaSigmoidSteepness)
	p.MaxAllowedValidators = uint16(hp.MaxAllowedValidators)
	p.StakeThreshold = 0
	p.CommitRevealEnabled = hp.CommitRevealEnabled
	return p
}

func toYumaRows(rows [][]subnetstypes.WeightEntry) [][]yuma.Weight {
	out := make([][]yuma.Weight, len(rows))
	for i, r := range rows {
		out[i] = make([]yuma.Weight, len(r))
		for j, e := range r {
			out[i][j] = yuma.Weight{UID: uint16(e.Uid), Value: uint16(e.Value)}
		}
	}
	return out
}

func saturateU64(a math.Int) uint64 {
	if a.IsUint64() {
		return a.Uint64()
	}
	if a.IsNegative() {
		return 0
	}
	return ^uint64(0)
}

// EpochState is everything one subnet epoch reads, gathered from the store.
type EpochState struct {
	Subnet   subnetstypes.Subnet
	Neurons  []subnetstypes.Neuron
	Hotkeys  []sdk.AccAddress
	Coldkeys []sdk.AccAddress
	Input    yuma.EpochInput
	Pool     math.Int
	OwnerCut math.Int
	// SubnetStake is the stake of the subnet's hotkeys that counts at this epoch (Σ Counted[i].Total: per
	// position the least it held since the subnet's previous epoch), the subnet's weight in the STAKE split until
	// its next epoch.
	SubnetStake math.Int
	// Counted is, per UID, the stake that counts at this epoch (x/stake SnapshotEpochStake): Counted[i].Total is
	// Input.Stake[i], and Counted[i].Positions split the UID's dividends among its delegators.
	Counted []staketypes.CountedStake
}

// BuildEpochInput reads a subnet's state into a yuma.EpochInput. It snapshots the epoch stake (x/stake), so call
// it exactly once per epoch.
func (k *Keeper) BuildEpochInput(ctx context.Context, params types.Params, s types.SubnetSchedule, now uint64) (*EpochState, error) {
	netuid := s.Netuid
	subnet, err := k.subnets.GetSubnet(ctx, netuid)
	if err != nil {
		return nil, err
	}
	neurons, err := k.subnets.NeuronsOf(ctx, netuid)
	if err != nil {
		return nil, err
	}
	n := len(neurons)
	if uint32(n) != subnet.N {
		return nil, errorsmod.Wrapf(types.ErrEpochFailed, "subnet %d has n=%d but %d neuron records", netuid, subnet.N, n)
	}
	st := &EpochState{Subnet: subnet, Neurons: neurons, Hotkeys: make([]sdk.AccAddress, n), Coldkeys: make([]sdk.AccAddress, n), SubnetStake: math.ZeroInt()}
	in := &st.Input
	in.Block = now
	in.BlockAtRegistration = make([]uint64, n)
	in.LastUpdate = make([]uint64, n)
	in.ValidatorPermits = make([]bool, n)
	in.Stake = make([]uint64, n)
	var ownerUID *uint16
	addrs := newAccDecoder()
	// The permits in one scan; should the scan fail, the loop reads them one by one as it always did, so that the
	// epoch fails with the same error at the same point.
	permits, permitsErr := k.subnets.ValidatorPermits(ctx, netuid, n)
	for i, nr := range neurons {
		if nr.Uid != uint32(i) {
			return nil, errorsmod.Wrapf(types.ErrEpochFailed, "subnet %d: neuron at position %d has uid %d", netuid, i, nr.Uid)
		}
		if st.Hotkeys[i], err = addrs.decode(nr.Hotkey); err != nil {
			return nil, errorsmod.Wrapf(types.ErrEpochFailed, "subnet %d uid %d: hotkey: %v", netuid, i, err)
		}
		if st.Coldkeys[i], err = addrs.decode(nr.Coldkey); err != nil {
			return nil, errorsmod.Wrapf(types.ErrEpochFailed, "subnet %d uid %d: coldkey: %v", netuid, i, err)
		}
		in.BlockAtRegistration[i] = nr.RegisteredAt
		in.LastUpdate[i] = nr.LastUpdate
		if permitsErr == nil {
			in.ValidatorPermits[i] = permits[i]
		} else {
			prev, err := k.subnets.GetEpochOutput(ctx, netuid, nr.Uid)
			if err != nil {
				return nil, err
			}
			in.ValidatorPermits[i] = prev.ValidatorPermit
		}
		if ownerUID == nil && nr.Coldkey == subnet.Owner {
			u := uint16(i)
			ownerUID = &u
		}
	}
	in.OwnerUID = ownerUID
	counted, totals, err := k.stake.SnapshotEpochStakeAndTotals(ctx, netuid, st.Hotkeys)
	if err != nil {
		return nil, err
	}
	if len(counted) != n || len(totals) != n {
		return nil, errorsmod.Wrapf(types.ErrEpochFailed, "subnet %d: %d counted stakes and %d totals for %d hotkeys", netuid, len(counted), len(totals), n)
	}
	st.Counted = counted
	for i, c := range counted {
		in.Stake[i] = saturateU64(c.Total)
		st.SubnetStake = st.SubnetStake.Add(c.Total)
	}
	w, err := k.subnets.WeightRows(ctx, netuid, n)
	if err != nil {
		return nil, err
	}
	b, err := k.subnets.BondRows(ctx, netuid, n)
	if err != nil {
		return nil, err
	}
	in.Weights, in.Bonds = toYumaRows(w), toYumaRows(b)
	if subnet.Hyperparameters.CommitRevealEnabled {
		if in.CommitBlocks, err = k.subnets.CommitBlocks(ctx, netuid, st.Hotkeys); err != nil {
			return nil, err
		}
	}
	in.LastMechanismStepBlock = s.LastEpochBlock
	in.Params = YumaParams(subnet.Hyperparameters)
	if st.Pool, err = k.Pool(ctx, netuid); err != nil {
		return nil, err
	}
	st.OwnerCut = bps(st.Pool, params.OwnerCutBps)
	in.RaoEmission = saturateU64(st.Pool.Sub(st.OwnerCut))
	return st, nil
}

// RunEpoch runs one subnet's epoch: epoch boundary, Yuma Consensus, stored outputs and bonds, payouts. It returns
// the subnet's stake for the split. Call it in a cache context: on error the caller discards every write.
func (k *Keeper) RunEpoch(ctx context.Context, params types.Params, s types.SubnetSchedule, now uint64) (math.Int, error) {
	netuid := s.Netuid
	if err := k.subnets.ApplyEpochBoundary(ctx, netuid); err != nil {
		return math.Int{}, err
	}
	st, err := k.BuildEpochInput(ctx, params, s, now)
	if err != nil {
		return math.Int{}, err
	}
	// Which UIDs have a stored bond row: an empty new row is removed only where one was stored.
	hadBonds := make([]bool, len(st.Input.Bonds))
	for i, r := range st.Input.Bonds {
		hadBonds[i] = len(r) > 0
	}
	out, err := yuma.RunEpoch(st.Input)
	if err != nil {
		return math.Int{}, errorsmod.Wrapf(types.ErrEpochFailed, "yuma: %v", err)
	}
	if err := k.writeEpochOutputs(ctx, st, out, hadBonds, now); err != nil {
		return math.Int{}, err
	}
	paid, err := k.payOut(ctx, st, out)
	if err != nil {
		return math.Int{}, err
	}
	if paid.GT(st.Pool) {
		return math.Int{}, errorsmod.Wrapf(types.ErrInvariantBroken, "subnet %d: paid %s from a pool of %s", netuid, paid, st.Pool)
	}
	carried := st.Pool.Sub(paid)
	if err := k.PendingPool.Set(ctx, netuid, carried); err != nil {
		return math.Int{}, err
	}
	if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventEpoch{
		Netuid: netuid, Height: now, TotalPaid: paid, Carried: carried,
	}); err != nil {
		return math.Int{}, err
	}
	return st.SubnetStake, nil
}
