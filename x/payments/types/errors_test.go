package types_test

import (
	"testing"

	"github.com/tokenmind/tokenmind/testutil/errcheck"
	"github.com/tokenmind/tokenmind/x/payments/types"
)

func TestErrorCodes(t *testing.T) {
	errcheck.Codes(t, "errors.go", types.ModuleName, types.AllErrors)
}
