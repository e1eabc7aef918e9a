package types_test

import (
	"errors"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

func TestParamsValidate(t *testing.T) {
	if err := types.DefaultParams().Validate(); err != nil {
		t.Fatalf("default params invalid: %v", err)
	}
	bad := map[string]func(*types.Params){
		"settle too short":      func(p *types.Params) { p.SettleBlocks = types.MinSettleBlocks - 1 },
		"settle too long":       func(p *types.Params) { p.SettleBlocks = types.MaxSettleBlocks + 1 },
		"rate limit >= settle":  func(p *types.Params) { p.ClaimRateLimit = p.SettleBlocks },
		"gateway share too big": func(p *types.Params) { p.GatewayShareBps = types.MaxGatewayShareBps + 1 },
		"owner share too big":   func(p *types.Params) { p.OwnerShareBps = types.MaxOwnerShareBps + 1 },
		"shares above 100%":     func(p *types.Params) { p.GatewayShareBps, p.OwnerShareBps, p.BurnShareBps = 5000, 5000, 1 },
		"no settlements":        func(p *types.Params) { p.MaxSettlementsPerBlock = 0 },
		"no max price":          func(p *types.Params) { p.MaxQueryPrice = math.ZeroInt() },
	}
	for _, name := range []string{
		"settle too short", "settle too long", "rate limit >= settle", "gateway share too big",
		"owner share too big", "shares above 100%", "no settlements", "no max price",
	} {
		p := types.DefaultParams()
		bad[name](&p)
		if err := p.Validate(); !errors.Is(err, types.ErrInvalidParams) {
			t.Errorf("%s: got %v, want ErrInvalidParams", name, err)
		}
	}
}
