package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module name, its store key and its module account (Minter).
	ModuleName = "emissions"
	StoreKey   = ModuleName
)

// Store prefixes, declared once.
var (
	ParamsKey        = collections.NewPrefix(0)
	PendingPoolKey   = collections.NewPrefix(1) // netuid -> umind waiting for the subnet's next epoch
	SchedulesKey     = collections.NewPrefix(2) // netuid -> SubnetSchedule
	EpochQueueKey    = collections.NewPrefix(3) // (height, netuid) -> due epochs
	TotalMintedKey   = collections.NewPrefix(4)
	UndistributedKey = collections.NewPrefix(5)
	SeenNetuidKey    = collections.NewPrefix(6)
)
