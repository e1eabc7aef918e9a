package types_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
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
	for _, name := range []string{"settle too short", "settle too long", "rate limit >= settle", "gateway share too big",
		"owner share too big", "shares above 100%", "no settlements", "no max price"} {
		p := types.DefaultParams()
		bad[name](&p)
		if err := p.Validate(); !errors.Is(err, types.ErrInvalidParams) {
			t.Errorf("%s: got %v, want ErrInvalidParams", name, err)
		}
	}
}

// TestErrorCodesUnique parses errors.go so that a code reused by mistake fails here, and checks AllErrors lists
// every registered error.
func TestErrorCodesUnique(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		call, ok := node.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Register" || len(call.Args) != 3 {
			return true
		}
		lit, ok := call.Args[1].(*ast.BasicLit)
		if !ok {
			t.Fatal("error code is not a literal")
		}
		code, _ := strconv.Atoi(lit.Value)
		if code < 2 || seen[code] {
			t.Fatalf("error code %d reused or reserved", code)
		}
		seen[code] = true
		n++
		return true
	})
	if n != len(types.AllErrors) {
		t.Fatalf("%d registered errors, AllErrors lists %d", n, len(types.AllErrors))
	}
}
