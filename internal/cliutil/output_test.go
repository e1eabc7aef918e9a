package cliutil

import "testing"

func TestU16Fraction(t *testing.T) {
	for in, want := range map[uint32]string{0: "0.0000", 65535: "1.0000", 32767: "0.5000", 6553: "0.1000", 1: "0.0000", 4: "0.0001"} {
		if got := U16Fraction(in); got != want {
			t.Errorf("U16Fraction(%d) = %q, want %q", in, got, want)
		}
	}
}
