// Package validatetest runs table tests of the Validate methods of genesis items (and anything else with
// Validate() error): each case says whether the item is valid, or which registered error it must fail with and
// what the message must mention (the field it names).
package validatetest

import (
	"errors"
	"strings"
	"testing"
)

// Case is one item and what its Validate must return: nil when Is is nil, else an error that is Is and whose
// message contains Want.
type Case struct {
	Name string
	Item interface{ Validate() error }
	Is   error
	Want string
}

// C is a Case: the item named name must be valid (is == nil) or fail with is, mentioning want.
func C(name string, item interface{ Validate() error }, is error, want string) Case {
	return Case{Name: name, Item: item, Is: is, Want: want}
}

// Run runs every case as a subtest.
func Run(t *testing.T, cases []Case) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			err := tc.Item.Validate()
			if tc.Is == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if !errors.Is(err, tc.Is) {
				t.Fatalf("got %v, want %v", err, tc.Is)
			}
			if !strings.Contains(err.Error(), tc.Want) {
				t.Fatalf("error %q does not mention %q", err, tc.Want)
			}
		})
	}
}
