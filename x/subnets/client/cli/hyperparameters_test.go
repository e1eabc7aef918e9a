package cli

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"cosmossdk.io/math"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

func mustMarshal(tb testing.TB, hp types.Hyperparameters) []byte {
	tb.Helper()
	bz, err := hp.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	return bz
}

// formatField prints a field the way ApplyHyperparameterChanges reads it.
func formatField(tb testing.TB, hp types.Hyperparameters, name string) string {
	tb.Helper()
	for _, k := range hyperparameterKeys() {
		if k.name != name && k.jsonName != name {
			continue
		}
		f := reflect.ValueOf(hp).Field(k.index)
		if f.Type() == mathIntType {
			return f.Interface().(math.Int).String()
		}
		switch f.Kind() {
		case reflect.Bool:
			return strconv.FormatBool(f.Bool())
		case reflect.Uint32, reflect.Uint64:
			return strconv.FormatUint(f.Uint(), 10)
		case reflect.Int32, reflect.Int64:
			return strconv.FormatInt(f.Int(), 10)
		}
		tb.Fatalf("field %s has unhandled type %s", name, f.Type())
	}
	tb.Fatalf("no field %s", name)
	return ""
}

func TestApplyHyperparameterChanges(t *testing.T) {
	base := types.DefaultHyperparameters()
	before := mustMarshal(t, base)

	want := base
	want.Tempo, want.WeightsRateLimit, want.CommitRevealEnabled = 100, 10, true
	want.MaxAllowedUids, want.AlphaSigmoidSteepness, want.MinBurn = 64, -500, math.NewInt(1000)
	got, err := ApplyHyperparameterChanges(base, []string{
		"tempo=100", "weights_rate_limit=10", "commit_reveal_enabled=true",
		"maxAllowedUids=64", "alpha_sigmoid_steepness=-500", " min_burn = 1000 ",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mustMarshal(t, got), mustMarshal(t, want)) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if !bytes.Equal(mustMarshal(t, base), before) {
		t.Fatal("the input hyperparameters were modified")
	}
	if got, err := ApplyHyperparameterChanges(base, nil); err != nil || !bytes.Equal(mustMarshal(t, got), before) {
		t.Fatalf("no changes: %v, %v", got, err)
	}
	// Amounts take MIND too.
	if got, err := ApplyHyperparameterChanges(base, []string{"min_burn=0.5MIND", "max_burn=200MIND"}); err != nil ||
		!got.MinBurn.Equal(math.NewInt(500_000)) || !got.MaxBurn.Equal(math.NewInt(200_000_000)) {
		t.Fatalf("burns in MIND: %s %s, %v", got.MinBurn, got.MaxBurn, err)
	}
	// The extremes of each type are accepted.
	if got, err := ApplyHyperparameterChanges(base, []string{
		"weights_version_key=18446744073709551615", "kappa=4294967295",
		"alpha_sigmoid_steepness=-2147483648", "registration_allowed=false",
	}); err != nil ||
		got.WeightsVersionKey != ^uint64(0) || got.Kappa != ^uint32(0) || got.AlphaSigmoidSteepness != -1<<31 || got.RegistrationAllowed {
		t.Fatalf("extremes: %+v, %v", got, err)
	}

	bad := []struct {
		changes []string
		want    string
	}{
		{[]string{"tempo"}, `"tempo": want key=value, e.g. tempo=360`},
		{[]string{"=5"}, `"=5": want key=value`},
		{[]string{"nope=1"}, `unknown hyperparameter "nope"; known: activity_cutoff_factor_milli, alpha_high,`},
		{[]string{"Tempo=1"}, `unknown hyperparameter "Tempo"`},
		{[]string{"tempo=-1"}, `tempo: want a whole number from 0 to 18446744073709551615, got "-1"`},
		{[]string{"tempo=abc"}, `tempo: want a whole number from 0 to 18446744073709551615, got "abc"`},
		{[]string{"tempo=0x10"}, `tempo: want a whole number from 0 to 18446744073709551615, got "0x10"`},
		{[]string{"tempo=1_000"}, `tempo: want a whole number`},
		{[]string{"tempo=18446744073709551616"}, `tempo: want a whole number from 0 to 18446744073709551615, got "18446744073709551616"`},
		{[]string{"tempo="}, `tempo: want a whole number from 0 to 18446744073709551615, got ""`},
		{[]string{"max_allowed_uids=-1"}, `max_allowed_uids: want a whole number from 0 to 4294967295, got "-1"`},
		{[]string{"max_allowed_uids=4294967296"}, `max_allowed_uids: want a whole number from 0 to 4294967295, got "4294967296"`},
		{[]string{"kappa=1.5"}, `kappa: want a whole number from 0 to 4294967295, got "1.5"`},
		{[]string{"kappa=+5"}, `kappa: want a whole number`},
		{[]string{"alpha_sigmoid_steepness=2147483648"}, `alpha_sigmoid_steepness: want a whole number from -2147483648 to 2147483647, got "2147483648"`},
		{[]string{"alpha_sigmoid_steepness=+5"}, `alpha_sigmoid_steepness: want a whole number from -2147483648 to 2147483647`},
		{[]string{"min_burn=-1"}, `min_burn: amount "-1" is negative`},
		{[]string{"min_burn=0x10"}, `min_burn: amount "0x10" is not a number`},
		{[]string{"max_burn=1_000"}, `max_burn: amount "1_000" is not a number`},
		{[]string{"max_burn=1e6"}, `max_burn: amount "1e6" is not a number`},
		{[]string{"max_burn=1.5"}, `max_burn: amount "1.5" has decimals`},
		{[]string{"max_burn=5uatom"}, `max_burn: amount "5uatom" is in "uatom"`},
		{[]string{"max_burn=" + strings.Repeat("9", 100)}, `max_burn: amount "999`},
		{[]string{"commit_reveal_enabled=maybe"}, `commit_reveal_enabled: want true or false, got "maybe"`},
		{[]string{"tempo=1", "tempo=2"}, "tempo is given twice; give each key once"},
		{[]string{"tempo=1", "maxAllowedUids=2", "max_allowed_uids=3"}, "max_allowed_uids is given twice"},
	}
	for _, b := range bad {
		got, err := ApplyHyperparameterChanges(base, b.changes)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%q: err %v; want it to contain %q", b.changes, err, b.want)
		}
		if !bytes.Equal(mustMarshal(t, got), before) {
			t.Errorf("%q: a refused change returned modified hyperparameters", b.changes)
		}
	}
}

// TestEveryHyperparameterIsSettable: every field of the proto (now and any added later) can be set by its name, so
// a new field with a type the parser does not know fails here rather than for an owner.
func TestEveryHyperparameterIsSettable(t *testing.T) {
	keys := hyperparameterKeys()
	if n := reflect.TypeOf(types.Hyperparameters{}).NumField(); len(keys) != n {
		t.Fatalf("%d settable keys for %d fields", len(keys), n)
	}
	base := types.DefaultHyperparameters()
	for _, k := range keys {
		v := formatField(t, base, k.name)
		got, err := ApplyHyperparameterChanges(base, []string{k.name + "=" + v})
		if err != nil {
			t.Errorf("%s=%s: %v", k.name, v, err)
			continue
		}
		if !bytes.Equal(mustMarshal(t, got), mustMarshal(t, base)) {
			t.Errorf("setting %s to its current value %s changed the set", k.name, v)
		}
	}
}

// FuzzApplyHyperparameterChanges: never panics; a refused change leaves the set as it was; an accepted change sets
// exactly the named fields, to values that print and parse back to the same set; the input is never modified.
func FuzzApplyHyperparameterChanges(f *testing.F) {
	for _, c := range [][2]string{
		{"tempo=100", "kappa=1"},
		{"min_burn=0x10", ""},
		{"alpha_sigmoid_steepness=-5", "maxBurn=7"},
		{"commit_reveal_enabled=1", "tempo=1"},
		{"nope=1", "tempo"},
		{"tempo=18446744073709551616", "="},
		{"kappa=-0", " tempo = 3 "},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, c1, c2 string) {
		base := types.DefaultHyperparameters()
		before := mustMarshal(t, base)
		got, err := ApplyHyperparameterChanges(base, []string{c1, c2})
		if !bytes.Equal(mustMarshal(t, base), before) {
			t.Fatal("input modified")
		}
		if err != nil {
			if !bytes.Equal(mustMarshal(t, got), before) {
				t.Fatalf("%q %q refused (%v) but returned a changed set", c1, c2, err)
			}
			return
		}
		// Round trip: print each named field of the result and apply that to the original set.
		var canon []string
		for _, c := range []string{c1, c2} {
			name, _, _ := strings.Cut(c, "=")
			name = strings.TrimSpace(name)
			canon = append(canon, name+"="+formatField(t, got, name))
		}
		again, err := ApplyHyperparameterChanges(base, canon)
		if err != nil {
			t.Fatalf("%q %q accepted but its canonical form %q is refused: %v", c1, c2, canon, err)
		}
		if !bytes.Equal(mustMarshal(t, again), mustMarshal(t, got)) {
			t.Fatalf("%q %q -> %q does not round-trip", c1, c2, canon)
		}
		// Only the named fields differ from the original: setting them back restores it.
		var back []string
		for _, c := range canon {
			name, _, _ := strings.Cut(c, "=")
			back = append(back, name+"="+formatField(t, base, name))
		}
		restored, err := ApplyHyperparameterChanges(got, back)
		if err != nil || !bytes.Equal(mustMarshal(t, restored), before) {
			t.Fatalf("%q %q changed fields it does not name (restore %q: %v)", c1, c2, back, err)
		}
	})
}
