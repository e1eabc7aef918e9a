package cliutil

import (
	"context"

	"cosmossdk.io/client/v2/autocli/flag"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/tokenmind/tokenmind/internal/amount"
)

// IntScalar is the cosmos_proto scalar of math.Int fields. Every such field a generated command takes is an amount
// of umind (the chain's only denom), so AmountFlagType is registered for it.
const IntScalar = "cosmos.Int"

// AmountFlagType is the autocli flag type of amounts: it accepts what amount.Parse accepts (more than 0), so
// `tx stake add HOTKEY 1.5MIND` sends 1500000 and `... 10foo` fails before anything is signed.
type AmountFlagType struct{}

// NewValue implements flag.Type.
func (AmountFlagType) NewValue(*context.Context, *flag.Builder) flag.Value { return &amountValue{} }

// DefaultValue implements flag.Type.
func (AmountFlagType) DefaultValue() string { return "" }

type amountValue struct{ umind string }

func (a *amountValue) Get(protoreflect.Value) (protoreflect.Value, error) {
	return protoreflect.ValueOfString(a.umind), nil
}

func (a *amountValue) String() string { return a.umind }

func (a *amountValue) Set(s string) error {
	v, err := amount.Parse(s, false)
	if err != nil {
		return err
	}
	a.umind = v.String()
	return nil
}

func (a *amountValue) Type() string { return "amount" }
