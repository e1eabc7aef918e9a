package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the name of the module, its store key and its module account.
	ModuleName = "subnets"
	StoreKey   = ModuleName
)

// Store prefixes. Each collection has its own, declared once here.
var (
	ParamsKey            = collections.NewPrefix(0)
	NextNetuidKey        = collections.NewPrefix(1)
	SubnetsKey           = collections.NewPrefix(2)
	NeuronsKey           = collections.NewPrefix(3)
	UidByHotkeyKey       = collections.NewPrefix(4)
	HotkeyNetuidsKey     = collections.NewPrefix(5)
	HotkeyOwnerKey       = collections.NewPrefix(6)
	EpochOutputsKey      = collections.NewPrefix(7)
	LastSubnetCostKey    = collections.NewPrefix(8)
	LastSubnetCreatedKey = collections.NewPrefix(9)
	WeightsKey           = collections.NewPrefix(10)
	BondsKey             = collections.NewPrefix(11)
	WeightCommitsKey     = collections.NewPrefix(12)
	EpochIndexKey        = collections.NewPrefix(13)
	ServingAddrsKey      = collections.NewPrefix(14)
)
