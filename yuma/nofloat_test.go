package yuma_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// floatFree are the package directories (relative to this one) whose non-test code must not use
// floating point: the consensus package itself, the literal conversion and the interpreters of
// scenarios and vectors (dependencies listed before the packages that import them).
var floatFree = []struct{ dir, path string }{
	{".", "github.com/tokenmind/tokenmind/yuma"},
	{"internal/literal", "github.com/tokenmind/tokenmind/yuma/internal/literal"},
	{"scenario", "github.com/tokenmind/tokenmind/yuma/scenario"},
	{"internal/vectortest", "github.com/tokenmind/tokenmind/yuma/internal/vectortest"},
}

// moduleImporter resolves the packages checked here from their source and everything else
// (the standard library) from export data.
type moduleImporter struct {
	pkgs map[string]*types.Package
	std  types.Importer
}

func (m *moduleImporter) Import(path string) (*types.Package, error) {
	if p, ok := m.pkgs[path]; ok {
		return p, nil
	}
	return m.std.Import(path)
}

// TestNoFloatingPoint type-checks every non-test file of the packages above and fails on any
// float or complex literal, any expression of a float or complex type (typed or untyped
// constant), any declaration using such a type, and any use of strconv.ParseFloat/FormatFloat or
// the math package's float functions.
func TestNoFloatingPoint(t *testing.T) {
	imp := &moduleImporter{pkgs: map[string]*types.Package{}, std: importer.Default()}
	for _, p := range floatFree {
		if pkg := checkFloatFree(t, p.dir, imp); pkg != nil {
			imp.pkgs[p.path] = pkg
		}
	}
}

func isFloatish(typ types.Type) bool {
	if typ == nil {
		return false
	}
	b, ok := typ.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsFloat|types.IsComplex) != 0
}

func checkFloatFree(t reporter, dir string, imp types.Importer) *types.Package {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v", err)
		return nil
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			t.Fatalf("%v", err)
			return nil
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("%s: no Go files", dir)
		return nil
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	conf := types.Config{Importer: imp}
	pkg, err := conf.Check(files[0].Name.Name, fset, files, info)
	if err != nil {
		t.Fatalf("%s: type check: %v", dir, err)
		return nil
	}
	report := func(pos token.Pos, what string) {
		t.Errorf("%s: floating point is not allowed here: %s", fset.Position(pos), what)
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && (lit.Kind == token.FLOAT || lit.Kind == token.IMAG) {
				report(lit.Pos(), "literal "+lit.Value)
			}
			return true
		})
	}
	for expr, tv := range info.Types {
		if isFloatish(tv.Type) {
			report(expr.Pos(), "expression of type "+tv.Type.String())
		}
	}
	for id, obj := range info.Defs {
		if obj != nil && isFloatish(obj.Type()) {
			report(id.Pos(), "declaration of "+id.Name+" as "+obj.Type().String())
		}
	}
	banned := map[string]bool{
		"ParseFloat": true, "FormatFloat": true, "AppendFloat": true, "Float64bits": true,
		"Float32bits": true, "Float64frombits": true, "Float32frombits": true,
	}
	for id, obj := range info.Uses {
		if obj == nil || obj.Pkg() == nil {
			continue
		}
		if p := obj.Pkg().Path(); (p == "strconv" || p == "math") && banned[obj.Name()] {
			report(id.Pos(), p+"."+obj.Name())
		}
	}
	return pkg
}

// The checker must itself catch floats: a package with a float in it fails.
func TestNoFloatingPointDetects(t *testing.T) {
	dir := t.TempDir()
	src := "package p\n\nfunc Half(x int64) int64 { return int64(float64(x) * 0.5) }\n"
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	checkFloatFree(rec, dir, importer.Default())
	if rec.fatal != "" {
		t.Fatal(rec.fatal)
	}
	if rec.errors < 3 {
		t.Fatalf("the float checker found %d problems in a package using float64 and 0.5, want >= 3", rec.errors)
	}
}

type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

type recorder struct {
	errors int
	fatal  string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Errorf(string, ...any)        { r.errors++ }
func (r *recorder) Fatalf(f string, args ...any) { r.fatal = fmt.Sprintf(f, args...) }
