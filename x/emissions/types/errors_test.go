package types_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

// TestErrorCodesUnique parses errors.go: cosmossdk.io/errors no longer panics on a duplicate code, it overwrites, so
// a duplicate would silently turn one error into another for clients.
func TestErrorCodesUnique(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]string{}
	count := 0
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 3 {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Register" {
			return true
		}
		if id, ok := call.Args[0].(*ast.Ident); !ok || id.Name != "ModuleName" {
			t.Errorf("error registered outside the module's codespace at %v", call.Pos())
		}
		lit, ok := call.Args[1].(*ast.BasicLit)
		if !ok {
			t.Fatalf("error code is not a literal at %v", call.Pos())
		}
		code, _ := strconv.Atoi(lit.Value)
		msg := call.Args[2].(*ast.BasicLit).Value
		if code < 2 {
			t.Errorf("code %d (%s) < 2: codes 0 and 1 mean success and internal error", code, msg)
		}
		if prev, dup := seen[code]; dup {
			t.Errorf("code %d used by %s and %s", code, prev, msg)
		}
		seen[code] = msg
		count++
		return true
	})
	if count < 4 {
		t.Fatalf("found only %d registered errors; did errors.go move?", count)
	}
	// The registered errors carry the module's codespace, as clients see them.
	for _, e := range []interface{ Codespace() string }{types.ErrInvalidParams, types.ErrInvariantBroken, types.ErrEpochFailed, types.ErrUnknownSubnet} {
		if e.Codespace() != types.ModuleName {
			t.Errorf("codespace %q, want %q", e.Codespace(), types.ModuleName)
		}
	}
}
