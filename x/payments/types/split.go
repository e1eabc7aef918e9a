package types

import "cosmossdk.io/math"

// Split is one claim divided between its recipients. Gateway + Owner + Burned + Pool == the amount split.
type Split struct {
	Gateway math.Int
	Owner   math.Int
	Burned  math.Int
	Pool    math.Int
}

// SplitClaim divides amount by the params' shares (gateway, owner, burn, pool = the rest of 10000 bps) with the
// largest-remainder method: each part is floor(amount·bps/10000), and the units left over (at most three) go one
// each to the parts with the largest remainders, ties in the order gateway, owner, burn, pool. The parts sum to
// amount exactly and each differs from its exact share by less than one umind.
func SplitClaim(amount math.Int, p Params) Split {
	shares := [4]uint32{p.GatewayShareBps, p.OwnerShareBps, p.BurnShareBps, p.PoolShareBps()}
	var parts, rems [4]math.Int
	given := math.ZeroInt()
	den := math.NewIntFromUint64(uint64(BpsDenominator))
	for i, s := range shares {
		x := amount.Mul(math.NewIntFromUint64(uint64(s)))
		parts[i] = x.Quo(den)
		rems[i] = x.Mod(den)
		given = given.Add(parts[i])
	}
	left := amount.Sub(given).Int64() // < 4
	for ; left > 0; left-- {
		best := -1
		for i := range rems {
			if rems[i].IsPositive() && (best < 0 || rems[i].GT(rems[best])) {
				best = i
			}
		}
		parts[best] = parts[best].AddRaw(1)
		rems[best] = math.ZeroInt()
	}
	return Split{Gateway: parts[0], Owner: parts[1], Burned: parts[2], Pool: parts[3]}
}

// Units of query_price per task kind. A task not listed here is priced per request.
const (
	UnitRequest        = "request"
	UnitThousandTokens = "1000 tokens"
)

// PriceUnit returns what one query_price buys on a subnet of the given task kind: one request for ner, 1,000
// tokens (prompt plus completion) for text-generation.
func PriceUnit(taskKind string) string {
	switch taskKind {
	case "text-generation":
		return UnitThousandTokens
	default:
		return UnitRequest
	}
}
