package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the name of the module, its store key and its module account.
	ModuleName = "stake"
	// StoreKey is the KV store key of the module.
	StoreKey = ModuleName
)

// Store prefixes. Each collection has its own prefix, declared once here.
var (
	ParamsKey           = collections.NewPrefix(0)
	StakesKey           = collections.NewPrefix(1) // (hotkey, coldkey) -> {amount, per subnet its snapshot}
	StakesByColdkeyKey  = collections.NewPrefix(2) // (coldkey, hotkey): index of Stakes
	HotkeyStakesKey     = collections.NewPrefix(3) // hotkey -> {total stake, per subnet its total at the previous epoch}
	TotalStakeKey       = collections.NewPrefix(4) // chain total stake
	TotalUnbondingKey   = collections.NewPrefix(5) // chain total waiting in unbonding
	TakesKey            = collections.NewPrefix(6) // hotkey -> take bps
	TakeLastSetKey      = collections.NewPrefix(7) // hotkey -> height of the last take change
	UnbondingQueueKey   = collections.NewPrefix(8) // (completion height, id) -> entry
	UnbondingsByColdKey = collections.NewPrefix(9) // (coldkey, completion height, id) index
	UnbondingSeqKey     = collections.NewPrefix(10)
	// 11 and 12 held the epoch stakes and position snapshots, now inside HotkeyStakes and Stakes records; not reused.
	SnapshotPruneKey = collections.NewPrefix(13) // (netuid, hotkey) -> coldkey after which pruning resumes
)

// UnbondingRetryBlocks is how long a matured unbonding entry whose payment failed waits before EndBlock retries
// it. Moving it away from the head of the queue keeps one bad entry from using the per-block budget forever.
const UnbondingRetryBlocks int64 = 100

// SnapshotPruneBudget is the most position snapshots of replaced hotkeys that EndBlock deletes in one block. The rest
// wait for the next blocks; until then they are never read (their hotkey has no epoch-stake snapshot on the subnet).
const SnapshotPruneBudget = 256

// BpsDenominator is 100% in basis points.
const BpsDenominator uint32 = 10_000
