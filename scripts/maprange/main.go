// Command maprange fails when consensus code ranges over a Go map: map iteration order is random, so any state
// change or output that depends on it breaks determinism between nodes. Usage: go run ./scripts/maprange ./x/... ./yuma/...
// Test files and client-side code (client/cli) are not consensus code and are skipped.
package main

import (
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"strings"

	"golang.org/x/tools/go/packages"
)

func main() {
	patterns := os.Args[1:]
	if len(patterns) == 0 {
		patterns = []string{"./x/...", "./yuma/...", "./app/..."}
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "maprange:", err)
		os.Exit(2)
	}
	if packages.PrintErrors(pkgs) > 0 {
		os.Exit(2)
	}
	var found []string
	for _, p := range pkgs {
		if strings.Contains(p.PkgPath, "/client/") {
			continue
		}
		for i, f := range p.Syntax {
			file := p.CompiledGoFiles[i]
			if strings.HasSuffix(file, "_test.go") || strings.HasSuffix(file, ".pb.go") || strings.HasSuffix(file, ".pb.gw.go") {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				rs, ok := n.(*ast.RangeStmt)
				if !ok {
					return true
				}
				if t := p.TypesInfo.TypeOf(rs.X); t != nil {
					if _, isMap := t.Underlying().(*types.Map); isMap {
						if !allowed(p, f, rs) {
							found = append(found, p.Fset.Position(rs.Pos()).String())
						}
					}
				}
				return true
			})
		}
	}
	for _, f := range found {
		fmt.Printf("%s: range over a map in consensus code; iterate a sorted slice or a collection instead\n", f)
	}
	if len(found) > 0 {
		os.Exit(1)
	}
	fmt.Printf("maprange: %d packages clean\n", len(pkgs))
}

// allowed accepts a map range that a reviewer has marked as order-independent with the
// comment "maprange:ok <why>" on the line before (e.g. keys sorted right after, or an order-independent result).
func allowed(p *packages.Package, f *ast.File, rs *ast.RangeStmt) bool {
	line := p.Fset.Position(rs.Pos()).Line
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if p.Fset.Position(c.Pos()).Line == line-1 && strings.Contains(c.Text, "maprange:ok") {
				return true
			}
		}
	}
	return false
}
