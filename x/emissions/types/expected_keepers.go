package types

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	staketypes "github.com/tokenmind/tokenmind/x/stake/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// BankKeeper mints and moves the emission.
type BankKeeper interface {
	MintCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
	SendCoinsFromModuleToModule(ctx context.Context, senderModule, recipientModule string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
}

// AccountKeeper gives module addresses.
type AccountKeeper interface {
	GetModuleAddress(name string) sdk.AccAddress
}

// SubnetsKeeper is what x/emissions reads and writes in x/subnets.
type SubnetsKeeper interface {
	GetSubnet(ctx context.Context, netuid uint32) (subnetstypes.Subnet, error)
	NeuronsOf(ctx context.Context, netuid uint32) ([]subnetstypes.Neuron, error)
	GetEpochOutput(ctx context.Context, netuid, uid uint32) (subnetstypes.EpochOutput, error)
	// ValidatorPermits returns the stored permits of UIDs 0..n-1 (GetEpochOutput(uid).ValidatorPermit) in one scan.
	ValidatorPermits(ctx context.Context, netuid uint32, n int) ([]bool, error)
	// SetEpochOutputs stores the outputs of UIDs 0..len(outs)-1, a few writes per subnet (chunks of UIDs).
	SetEpochOutputs(ctx context.Context, netuid uint32, outs []subnetstypes.EpochOutput) error
	ApplyEpochBoundary(ctx context.Context, netuid uint32) error
	CurrentEpochIndex(ctx context.Context, netuid uint32) (uint64, error)
	CommitBlocks(ctx context.Context, netuid uint32, hotkeys []sdk.AccAddress) ([]uint64, error)
	WeightRows(ctx context.Context, netuid uint32, n int) ([][]subnetstypes.WeightEntry, error)
	BondRows(ctx context.Context, netuid uint32, n int) ([][]subnetstypes.WeightEntry, error)
	SetBondRow(ctx context.Context, netuid, uid uint32, entries []subnetstypes.WeightEntry) error
	PeekNextNetuid(ctx context.Context) (uint32, error)
}

// StakeKeeper is what x/emissions needs from x/stake.
type StakeKeeper interface {
	// SnapshotEpochStakeAndTotals returns, per hotkey, the positions that count at this epoch of the subnet and
	// their sum, and the hotkey's total stake now; it records the snapshots for the next epoch. Call it once per
	// epoch.
	SnapshotEpochStakeAndTotals(ctx context.Context, netuid uint32, hotkeys []sdk.AccAddress) ([]staketypes.CountedStake, []math.Int, error)
	GetTake(ctx context.Context, hotkey sdk.AccAddress) uint32
	// AddStakesFromEmission stakes each credit as AddStakeFromEmission would, in order, calling after(i) after
	// credit i's event.
	AddStakesFromEmission(ctx context.Context, credits []staketypes.EmissionCredit, after func(i int) error) error
}
