// Package errcheck is the one test of a module's registered errors that every module runs (from its types
// package's errors_test.go):
//
//	func TestErrorCodes(t *testing.T) { errcheck.Codes(t, "errors.go", types.ModuleName, types.AllErrors) }
//
// cosmossdk.io/errors no longer panics when a code is registered twice, it overwrites, so a duplicate would silently
// turn one error into another for clients; the source is therefore read as well as the values.
package errcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	errorsmod "cosmossdk.io/errors"
)

// Codes parses the errors file at path and fails tb unless every errors.Register call in it registers under the
// ModuleName identifier with a literal code >= 2 (0 and 1 are success and the SDK's internal error) that no other
// call uses, and unless all, the module's list of its registered errors, holds exactly those errors: one per call,
// each in codespace and with a code the file registers.
func Codes(tb testing.TB, path, codespace string, all []*errorsmod.Error) {
	tb.Helper()
	registered := parse(tb, path)
	if len(registered) == 0 {
		tb.Fatalf("%s registers no errors; did the errors move?", path)
	}
	if len(all) != len(registered) {
		tb.Errorf("%s registers %d errors but the module's list has %d; list every registered error", path, len(registered), len(all))
	}
	seen := make(map[uint32]string, len(all))
	for _, e := range all {
		if e.Codespace() != codespace {
			tb.Errorf("error %q has codespace %q, want %q", e.Error(), e.Codespace(), codespace)
		}
		if _, ok := registered[e.ABCICode()]; !ok {
			tb.Errorf("error %q has code %d, which %s does not register", e.Error(), e.ABCICode(), path)
		}
		if prev, dup := seen[e.ABCICode()]; dup {
			tb.Errorf("the module's list holds code %d twice (%q and %q)", e.ABCICode(), prev, e.Error())
		}
		seen[e.ABCICode()] = e.Error()
	}
}

// parse returns the codes registered in the file, by code, failing tb on a non-literal, reused or reserved code or a
// registration outside ModuleName.
func parse(tb testing.TB, path string) map[uint32]string {
	tb.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		tb.Fatal(err)
	}
	codes := map[uint32]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Register" {
			return true
		}
		pos := fset.Position(call.Pos())
		if len(call.Args) != 3 {
			tb.Errorf("%s: Register with %d arguments, want (ModuleName, code, description)", pos, len(call.Args))
			return true
		}
		if id, ok := call.Args[0].(*ast.Ident); !ok || id.Name != "ModuleName" {
			tb.Errorf("%s: error registered outside the module's codespace; use ModuleName", pos)
		}
		lit, ok := call.Args[1].(*ast.BasicLit)
		if !ok || lit.Kind != token.INT {
			tb.Errorf("%s: error code is not an integer literal", pos)
			return true
		}
		code, err := strconv.ParseUint(lit.Value, 10, 32)
		if err != nil {
			tb.Errorf("%s: error code %s: %v", pos, lit.Value, err)
			return true
		}
		desc := "?"
		if d, ok := call.Args[2].(*ast.BasicLit); ok {
			desc = d.Value
		}
		if code < 2 {
			tb.Errorf("%s: code %d (%s) < 2: codes 0 and 1 mean success and internal error", pos, code, desc)
		}
		if prev, dup := codes[uint32(code)]; dup {
			tb.Errorf("%s: code %d used by %s and %s", pos, code, prev, desc)
		}
		codes[uint32(code)] = desc
		return true
	})
	return codes
}
