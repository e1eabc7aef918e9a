package amount

import (
	"strings"
	"testing"

	"cosmossdk.io/math"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in        string
		allowZero bool
		want      string // umind; empty when an error is expected
		errHas    string
	}{
		{in: "10", want: "10"},
		{in: "10umind", want: "10"},
		{in: " 10 umind ", want: "10"},
		{in: "10UMIND", want: "10"},
		{in: "1.5MIND", want: "1500000"},
		{in: "1.5mind", want: "1500000"},
		{in: "1.5 MIND", want: "1500000"},
		{in: "2MIND", want: "2000000"},
		{in: "0.000001MIND", want: "1"},
		{in: "1.123456MIND", want: "1123456"},
		{in: "007", want: "7"},
		{in: "115792089237316195423570985008687907853269984665640564039457584007913129639935", want: "115792089237316195423570985008687907853269984665640564039457584007913129639935"},
		{in: "0", allowZero: true, want: "0"},
		{in: "0MIND", allowZero: true, want: "0"},
		{in: "0", errHas: "is zero"},
		{in: "0.0MIND", errHas: "is zero"},
		{in: "-5", errHas: "negative"},
		{in: "-1.5MIND", errHas: "negative"},
		{in: "1.5", errHas: "for MIND say so: 1.5MIND"},
		{in: "1.5umind", errHas: "smallest unit"},
		{in: "1.1234567MIND", errHas: "7 decimals"},
		{in: "5uatom", errHas: `in "uatom"`},
		{in: "5stake", errHas: `in "stake"`},
		{in: "", errHas: "empty amount"},
		{in: "MIND", errHas: "not a number"},
		{in: "umind", errHas: "not a number"},
		{in: "1e6", errHas: "not a number"},
		{in: "+5", errHas: "not a number"},
		{in: "1,000", errHas: "not a number"},
		{in: "1_000", errHas: "not a number"},
		{in: ".5MIND", errHas: "not a number"},
		{in: "1.MIND", errHas: "not a number"},
		{in: "1.2.3MIND", errHas: "not a number"},
		{in: "0x10", errHas: "not a number"},
		{in: "10 umind extra", errHas: `in "extra"`},
		{in: "115792089237316195423570985008687907853269984665640564039457584007913129639936", errHas: "too large"},
		{in: "115792089237316195423570985008687907853269984665640564039457584007913129639935MIND", errHas: "too large"},
	} {
		got, err := Parse(tc.in, tc.allowZero)
		if tc.want != "" {
			if err != nil || got.String() != tc.want {
				t.Errorf("Parse(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error with %q", tc.in, got, tc.errHas)
			continue
		}
		if !strings.Contains(err.Error(), tc.errHas) {
			t.Errorf("Parse(%q) error %q does not say %q", tc.in, err, tc.errHas)
		}
	}
}

func TestFormatMIND(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 1: "0.000001", 1_500_000: "1.5", 1_000_000: "1", 123_456_789: "123.456789", -2_500_000: "-2.5"} {
		if got := FormatMIND(math.NewInt(in)); got != want {
			t.Errorf("FormatMIND(%d) = %q, want %q", in, got, want)
		}
	}
	if got := FormatMIND(math.Int{}); got != "0" {
		t.Errorf("FormatMIND(nil) = %q", got)
	}
}

// FuzzParse: whatever the input, Parse never panics; an accepted amount is positive (or zero when
// allowed), fits math.Int, and parses back to itself from both its umind and its MIND rendering.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"10", "10umind", "1.5MIND", "-5", "0", "1.1234567MIND", "5uatom", "", " 2 MIND", "0.000001mind", "99999999999999999999999999MIND"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, allowZero bool) {
		v, err := Parse(s, allowZero)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("empty error for %q", s)
			}
			return
		}
		if v.IsNegative() || (!allowZero && v.IsZero()) {
			t.Fatalf("Parse(%q, %v) = %s", s, allowZero, v)
		}
		again, err := Parse(v.String()+"umind", true)
		if err != nil || !again.Equal(v) {
			t.Fatalf("%s umind does not parse back: %v %v", v, again, err)
		}
		again, err = Parse(FormatMIND(v)+"MIND", true)
		if err != nil || !again.Equal(v) {
			t.Fatalf("%s MIND (%s) does not parse back: %v %v", FormatMIND(v), v, again, err)
		}
	})
}
