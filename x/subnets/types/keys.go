package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the name of the module, its store key and its module account.
	ModuleName = "subnets"
	StoreKey   = ModuleName
)

// Store prefixes. Each collection has its own, declared once here.
var (
	ParamsKey     = collections.NewPrefix(0)
	NextNetuidKey = collections.NewPrefix(1)
	SubnetsKey    = collections.NewPrefix(2)
	NeuronsKey    = collections.NewPrefix(3)
	// NeuronByNetuidHotkeyKey and NeuronsByHotkeyKey hold the indexes of Neurons (collections.IndexedMap).
	NeuronByNetuidHotkeyKey = collections.NewPrefix(4)
	NeuronsByHotkeyKey      = collections.NewPrefix(5)
	HotkeyOwnerKey          = collections.NewPrefix(6)
	// EpochOutputsKey: (netuid, chunk) → EpochOutputChunk, EpochOutputChunkSize UIDs per value.
	EpochOutputsKey      = collections.NewPrefix(7)
	LastSubnetCostKey    = collections.NewPrefix(8)
	LastSubnetCreatedKey = collections.NewPrefix(9)
	WeightsKey           = collections.NewPrefix(10)
	BondsKey             = collections.NewPrefix(11)
	WeightCommitsKey     = collections.NewPrefix(12)
	EpochIndexKey        = collections.NewPrefix(13)
	ServingAddrsKey      = collections.NewPrefix(14)
)

// EpochOutputChunkSize is the number of consecutive UIDs whose epoch outputs share one store value (chunk c holds
// UIDs c·EpochOutputChunkSize … (c+1)·EpochOutputChunkSize−1). An epoch of n UIDs writes ceil(n/256) values, and a
// read of one UID's output decodes at most 256 outputs.
const EpochOutputChunkSize = 256
