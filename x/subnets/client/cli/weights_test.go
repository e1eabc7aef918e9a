package cli

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

func TestParseWeights(t *testing.T) {
	good := []struct {
		in           string
		uids, values []uint32
	}{
		{"3:65535", []uint32{3}, []uint32{65535}},
		{"3:65535,4:32768,7:1000", []uint32{3, 4, 7}, []uint32{65535, 32768, 1000}},
		{" 7:1 , 0:0 ", []uint32{7, 0}, []uint32{1, 0}}, // order kept, spaces ignored
		{"1:2,,3:4,", []uint32{1, 3}, []uint32{2, 4}},   // empty items skipped
		{"1 : 2", []uint32{1}, []uint32{2}},
		{"4294967295:65535", []uint32{4294967295}, []uint32{65535}},
		{"007:010", []uint32{7}, []uint32{10}},
	}
	for _, g := range good {
		uids, values, err := ParseWeights(g.in)
		if err != nil || !reflect.DeepEqual(uids, g.uids) || !reflect.DeepEqual(values, g.values) {
			t.Errorf("ParseWeights(%q) = %v, %v, %v; want %v, %v", g.in, uids, values, err, g.uids, g.values)
		}
	}

	many := make([]string, types.MaxWeightsPerMsg+1)
	for i := range many {
		many[i] = fmt.Sprintf("%d:1", i)
	}
	bad := []struct{ in, want string }{
		{"", "no weights given; want uid:value,uid:value, e.g. 3:65535,4:32768"},
		{" , ,", "no weights given"},
		{"3", `weight "3": want uid:value, e.g. 3:65535`},
		{"3=5", `weight "3=5": want uid:value`},
		{"a:1", `uid must be a whole number from 0 to 4294967295, got "a"`},
		{"-1:1", `uid must be a whole number from 0 to 4294967295, got "-1"`},
		{"+1:1", `uid must be a whole number from 0 to 4294967295, got "+1"`},
		{"4294967296:1", `uid must be a whole number from 0 to 4294967295, got "4294967296"`},
		{":1", `uid must be a whole number from 0 to 4294967295, got ""`},
		{"1:", `value must be a whole number from 0 to 65535, got ""`},
		{"1:65536", `value must be a whole number from 0 to 65535, got "65536"`},
		{"1:-1", `value must be a whole number from 0 to 65535, got "-1"`},
		{"1:0.5", `value must be a whole number from 0 to 65535, got "0.5"`},
		{"1:2:3", `value must be a whole number from 0 to 65535, got "2:3"`},
		{"1:0x10", `value must be a whole number from 0 to 65535, got "0x10"`},
		{"1:2,1:3", "uid 1 is given more than once; give each uid one value"},
		{"1:2,01:3", "uid 1 is given more than once"},
		{strings.Join(many, ","), fmt.Sprintf("%d weights given; at most %d per message", types.MaxWeightsPerMsg+1, types.MaxWeightsPerMsg)},
	}
	for _, b := range bad {
		uids, values, err := ParseWeights(b.in)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			label := b.in
			if len(label) > 40 {
				label = label[:40] + "…"
			}
			t.Errorf("ParseWeights(%q) = %v, %v, %v; want an error containing %q", label, uids, values, err, b.want)
		}
		if uids != nil || values != nil {
			t.Errorf("ParseWeights(%q) returned weights with its error", b.in)
		}
	}
}

func TestParseSaltHex(t *testing.T) {
	if salt, err := parseSaltHex("9f2c01aa"); err != nil || len(salt) != 4 {
		t.Fatalf("good salt: %x, %v", salt, err)
	}
	if _, err := parseSaltHex(strings.Repeat("ab", types.MaxSaltLength)); err != nil {
		t.Fatalf("salt of exactly %d bytes: %v", types.MaxSaltLength, err)
	}
	for _, b := range []struct{ in, want string }{
		{"", "--salt must be non-empty hex"},
		{"xyz", "--salt must be non-empty hex, e.g. $(openssl rand -hex 16)"},
		{"abc", "--salt must be non-empty hex"},
		{strings.Repeat("ab", types.MaxSaltLength+1), fmt.Sprintf("--salt is %d bytes; at most %d", types.MaxSaltLength+1, types.MaxSaltLength)},
	} {
		if _, err := parseSaltHex(b.in); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("parseSaltHex(%.20q…) = %v; want an error containing %q", b.in, err, b.want)
		}
	}
}

func formatWeights(uids, values []uint32) string {
	parts := make([]string, len(uids))
	for i := range uids {
		parts[i] = fmt.Sprintf("%d:%d", uids[i], values[i])
	}
	return strings.Join(parts, ",")
}

// FuzzParseWeights: ParseWeights never panics; what it accepts is a set of distinct uids with u16 values that the
// chain's stateless checks accept for set-weights and reveal-weights, and it round-trips through its canonical form.
func FuzzParseWeights(f *testing.F) {
	for _, s := range []string{
		"3:65535,4:32768,7:1000", " 7:1 , 0:0 ", "1:2,,3:4,", "1:2,1:3", "1:65536", "a:b", ":", ",", "",
		"4294967295:65535", "1:2:3", "-1:1", "1:+2", "\x00:\x00", "1:2,2:3,3:4,4:5",
	} {
		f.Add(s)
	}
	hotkey := sdk.AccAddress(make([]byte, 20)).String()
	f.Fuzz(func(t *testing.T, s string) {
		uids, values, err := ParseWeights(s)
		if err != nil {
			if uids != nil || values != nil {
				t.Fatalf("error %v with weights %v %v", err, uids, values)
			}
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if len(uids) == 0 || len(uids) != len(values) || len(uids) > types.MaxWeightsPerMsg {
			t.Fatalf("%q parsed to %d uids, %d values", s, len(uids), len(values))
		}
		seen := map[uint32]bool{}
		for i, u := range uids {
			if seen[u] {
				t.Fatalf("%q: duplicate uid %d accepted", s, u)
			}
			seen[u] = true
			if values[i] > 65535 {
				t.Fatalf("%q: value %d above u16", s, values[i])
			}
		}
		if err := (&types.MsgSetWeights{Hotkey: hotkey, Netuid: 1, Uids: uids, Values: values}).ValidateBasic(); err != nil {
			t.Fatalf("%q parsed but MsgSetWeights refuses it: %v", s, err)
		}
		if err := (&types.MsgRevealWeights{Hotkey: hotkey, Netuid: 1, Uids: uids, Values: values, Salt: []byte{1}}).ValidateBasic(); err != nil {
			t.Fatalf("%q parsed but MsgRevealWeights refuses it: %v", s, err)
		}
		canon := formatWeights(uids, values)
		u2, v2, err := ParseWeights(canon)
		if err != nil || !reflect.DeepEqual(u2, uids) || !reflect.DeepEqual(v2, values) {
			t.Fatalf("%q -> %q does not round-trip: %v %v %v", s, canon, u2, v2, err)
		}
	})
}
