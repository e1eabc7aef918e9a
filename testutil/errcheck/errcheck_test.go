package errcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	errorsmod "cosmossdk.io/errors"
)

// recorder is a testing.TB that records failures instead of failing the test.
type recorder struct {
	testing.TB
	errs  []string
	fatal bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
	r.fatal = true
}

func (r *recorder) Fatal(args ...any) {
	r.errs = append(r.errs, "fatal")
	r.fatal = true
}

const module = "errcheck_test_module"

var (
	errA = errorsmod.Register(module, 2, "a")
	errB = errorsmod.Register(module, 3, "b")
	errC = errorsmod.Register("other_module_errcheck", 4, "c")
)

func write(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "errors.go")
	if err := os.WriteFile(p, []byte("package types\n\nimport \"cosmossdk.io/errors\"\n\n"+src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCodes(t *testing.T) {
	good := `var (
	ErrA = errors.Register(ModuleName, 2, "a")
	ErrB = errors.Register(ModuleName, 3, "b")
)`
	for _, tc := range []struct {
		name string
		src  string
		all  []*errorsmod.Error
		want string // substring of the first failure; "" for none
	}{
		{"good", good, []*errorsmod.Error{errA, errB}, ""},
		{"duplicate code", strings.Replace(good, `3, "b"`, `2, "b"`, 1), []*errorsmod.Error{errA, errB}, "used by"},
		{"reserved code", strings.Replace(good, `2, "a"`, `1, "a"`, 1), []*errorsmod.Error{errA, errB}, "< 2"},
		{"foreign codespace", strings.Replace(good, `(ModuleName, 3`, `("bank", 3`, 1), []*errorsmod.Error{errA, errB}, "outside"},
		{"code not a literal", strings.Replace(good, `3, "b"`, `base+1, "b"`, 1), []*errorsmod.Error{errA}, "not an integer literal"},
		{"list misses one", good, []*errorsmod.Error{errA}, "registers 2 errors"},
		{"list from another module", good, []*errorsmod.Error{errA, errC}, "codespace"},
		{"list repeats one", good, []*errorsmod.Error{errA, errA}, "twice"},
		{"nothing registered", "var x = 1", nil, "registers no errors"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			func() {
				defer func() { _ = recover() }() // a Fatal on the recorder returns; stop there
				Codes(r, write(t, tc.src), module, tc.all)
			}()
			switch {
			case tc.want == "" && len(r.errs) > 0:
				t.Errorf("failed: %v", r.errs)
			case tc.want != "" && len(r.errs) == 0:
				t.Errorf("passed; want a failure containing %q", tc.want)
			case tc.want != "" && !strings.Contains(strings.Join(r.errs, "\n"), tc.want):
				t.Errorf("failures %v do not mention %q", r.errs, tc.want)
			}
		})
	}
}
