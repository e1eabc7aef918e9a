package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the name of the module, its store key and its module account (Burner).
	ModuleName = "payments"
	// StoreKey is the KV store key of the module.
	StoreKey = ModuleName
)

// Store prefixes. Each collection has its own prefix, declared once here.
var (
	ParamsKey            = collections.NewPrefix(0)
	ChannelsKey          = collections.NewPrefix(1) // channel id -> Channel
	ChannelsByPayerKey   = collections.NewPrefix(2) // (payer, channel id) index
	ChannelsByGatewayKey = collections.NewPrefix(3) // (gateway, channel id) index
	ChannelSeqKey        = collections.NewPrefix(4) // last channel id used
	SettleQueueKey       = collections.NewPrefix(5) // (settles_at height, channel id) of closed channels
	AccessRulesKey       = collections.NewPrefix(6) // netuid -> AccessRule
	RevenuesKey          = collections.NewPrefix(7) // netuid -> Revenue
)

// SettleRetryBlocks is how long a closed channel whose refund failed waits before EndBlock retries it, so one bad
// entry does not occupy the head of the queue.
const SettleRetryBlocks int64 = 100

// BpsDenominator is 100% in basis points.
const BpsDenominator uint32 = 10_000

// VoucherVerifyGas is the gas a claim pays for verifying the voucher signature (the SDK charges 1000 for one
// secp256k1 transaction signature).
const VoucherVerifyGas uint64 = 1_000
