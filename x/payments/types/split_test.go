package types_test

import (
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

func TestSplitClaimExact(t *testing.T) {
	p := types.DefaultParams() // 10% gateway, 5% owner, 0 burn, 85% pool
	cases := []struct {
		amount                       int64
		gateway, owner, burned, pool int64
		params                       func(*types.Params)
	}{
		{amount: 10_000, gateway: 1_000, owner: 500, burned: 0, pool: 8_500},
		{amount: 1, gateway: 0, owner: 0, burned: 0, pool: 1},
		// 7 * (1000, 500, 0, 8500) / 10000 = 0.7, 0.35, 0, 5.95: floors 0,0,0,5; two left go to .95 (pool) then .7 (gateway).
		{amount: 7, gateway: 1, owner: 0, burned: 0, pool: 6},
		// equal remainders: 3 split in thirds-ish with shares 2500/2500/2500/2500 -> 0.75 each, ties to gateway, owner, burn.
		{amount: 3, gateway: 1, owner: 1, burned: 1, pool: 0, params: func(p *types.Params) {
			p.GatewayShareBps, p.OwnerShareBps, p.BurnShareBps = 2500, 2500, 2500
		}},
		{amount: 1_000_003, gateway: 200_001, owner: 100_000, burned: 50_000, pool: 650_002, params: func(p *types.Params) {
			p.GatewayShareBps, p.OwnerShareBps, p.BurnShareBps = 2000, 1000, 500
		}},
	}
	for _, tc := range cases {
		pp := p
		if tc.params != nil {
			tc.params(&pp)
		}
		s := types.SplitClaim(math.NewInt(tc.amount), pp)
		got := []int64{s.Gateway.Int64(), s.Owner.Int64(), s.Burned.Int64(), s.Pool.Int64()}
		want := []int64{tc.gateway, tc.owner, tc.burned, tc.pool}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("split %d with %+v: got %v, want %v", tc.amount, pp, got, want)
			}
		}
	}
}

// Every amount and every share combination: the parts sum exactly and each part is within one umind of its exact
// share.
func TestSplitClaimSumsAndBounds(t *testing.T) {
	shares := [][3]uint32{{0, 0, 0}, {1000, 500, 0}, {3333, 3333, 3333}, {5000, 5000, 0}, {1, 2, 3}, {0, 0, 10000}}
	for _, sh := range shares {
		p := types.DefaultParams()
		p.GatewayShareBps, p.OwnerShareBps, p.BurnShareBps = sh[0], sh[1], sh[2]
		bps := []uint32{sh[0], sh[1], sh[2], p.PoolShareBps()}
		for a := int64(0); a < 3000; a += 7 {
			s := types.SplitClaim(math.NewInt(a), p)
			parts := []math.Int{s.Gateway, s.Owner, s.Burned, s.Pool}
			sum := math.ZeroInt()
			for i, part := range parts {
				if part.IsNegative() {
					t.Fatalf("negative part")
				}
				sum = sum.Add(part)
				exact := a * int64(bps[i]) // in units of 1/10000
				lo, hi := part.Int64()*10000-10000, part.Int64()*10000+10000
				if exact <= lo || exact >= hi {
					t.Fatalf("amount %d shares %v: part %d = %d, exact %d/10000", a, bps, i, part.Int64(), exact)
				}
			}
			if !sum.Equal(math.NewInt(a)) {
				t.Fatalf("amount %d shares %v: parts sum to %s", a, bps, sum)
			}
		}
	}
}

func TestPriceUnit(t *testing.T) {
	if types.PriceUnit("ner") != types.UnitRequest || types.PriceUnit("text-generation") != types.UnitThousandTokens {
		t.Fatal("units")
	}
}
