// Package validate holds the stateless checks every module's Msgs (ValidateBasic) and genesis items (Validate)
// share, so that an address or an amount is checked, and its error worded, the same way everywhere: the error
// names the field, what it holds and what it should look like, and wraps the module's own registered error.
package validate

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// AccAddress decodes addr with the account address codec of the chain's bech32 prefix (the SDK config's, set by
// app.SetConfig) and returns the address bytes. It never panics; a bad address is errInvalid wrapped with the field
// name, the value and the expected form.
func AccAddress(errInvalid *errorsmod.Error, field, addr string) (sdk.AccAddress, error) {
	prefix := sdk.GetConfig().GetBech32AccountAddrPrefix()
	if addr == "" {
		return nil, errorsmod.Wrapf(errInvalid, "%s is empty; want a bech32 account address (%s1…)", field, prefix)
	}
	bz, err := addresscodec.NewBech32Codec(prefix).StringToBytes(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(errInvalid, "%s %q is not a bech32 account address (%s1…): %v", field, addr, prefix, err)
	}
	return bz, nil
}

// Positive checks that an amount is set and above zero.
func Positive(errInvalid *errorsmod.Error, field string, v math.Int) error {
	if v.IsNil() {
		return errorsmod.Wrapf(errInvalid, "%s is not set; want a positive integer amount", field)
	}
	if !v.IsPositive() {
		return errorsmod.Wrapf(errInvalid, "%s is %s; want a positive integer amount", field, v)
	}
	return nil
}

// NonNegative checks that an amount is set and not below zero.
func NonNegative(errInvalid *errorsmod.Error, field string, v math.Int) error {
	if v.IsNil() {
		return errorsmod.Wrapf(errInvalid, "%s is not set; want an integer amount >= 0", field)
	}
	if v.IsNegative() {
		return errorsmod.Wrapf(errInvalid, "%s is %s; want an integer amount >= 0", field, v)
	}
	return nil
}

// Netuid checks that a subnet id can exist (netuids start at 1).
func Netuid(errInvalid *errorsmod.Error, field string, netuid uint32) error {
	if netuid == 0 {
		return errorsmod.Wrapf(errInvalid, "%s is 0; netuids start at 1", field)
	}
	return nil
}
