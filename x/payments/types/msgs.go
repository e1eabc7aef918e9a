package types

import (
	"cosmossdk.io/core/address"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

var (
	_ sdk.Msg = (*MsgOpenChannel)(nil)
	_ sdk.Msg = (*MsgTopUpChannel)(nil)
	_ sdk.Msg = (*MsgCloseChannel)(nil)
	_ sdk.Msg = (*MsgClaim)(nil)
	_ sdk.Msg = (*MsgSetAccessRule)(nil)
	_ sdk.Msg = (*MsgUpdateParams)(nil)
)

// ParseAddress decodes an account address with the address codec, naming the field in the error.
func ParseAddress(ac address.Codec, field, addr string) (sdk.AccAddress, error) {
	if addr == "" {
		return nil, errorsmod.Wrapf(ErrInvalidAddress, "%s is empty", field)
	}
	bz, err := ac.StringToBytes(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %v", field, addr, err)
	}
	if len(bz) == 0 {
		return nil, errorsmod.Wrapf(ErrInvalidAddress, "%s is empty", field)
	}
	return bz, nil
}

// ValidateAmount checks an amount is set and strictly positive.
func ValidateAmount(field string, amount math.Int) error {
	if amount.IsNil() {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s is not set", field)
	}
	if !amount.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s must be positive, got %s", field, amount)
	}
	return nil
}

func validateNetuid(netuid uint32) error {
	if netuid == 0 {
		return errorsmod.Wrap(ErrSubnetNotFound, "netuid 0 does not exist: subnets start at 1")
	}
	return nil
}

// Validate checks the addresses, the netuid and the deposit (the minimum deposit is checked by the keeper).
func (m *MsgOpenChannel) Validate(ac address.Codec) error {
	if _, err := ParseAddress(ac, "payer", m.Payer); err != nil {
		return err
	}
	if _, err := ParseAddress(ac, "gateway_hotkey", m.GatewayHotkey); err != nil {
		return err
	}
	if err := validateNetuid(m.Netuid); err != nil {
		return err
	}
	return ValidateAmount("deposit", m.Deposit)
}

// Validate checks the payer and the amount.
func (m *MsgTopUpChannel) Validate(ac address.Codec) error {
	if _, err := ParseAddress(ac, "payer", m.Payer); err != nil {
		return err
	}
	return ValidateAmount("amount", m.Amount)
}

// Validate checks the payer.
func (m *MsgCloseChannel) Validate(ac address.Codec) error {
	_, err := ParseAddress(ac, "payer", m.Payer)
	return err
}

// Validate checks the gateway address, the amount and the signature's length (the signature itself is verified
// by the keeper against the payer's on-chain key).
func (m *MsgClaim) Validate(ac address.Codec) error {
	if _, err := ParseAddress(ac, "gateway_hotkey", m.GatewayHotkey); err != nil {
		return err
	}
	if err := ValidateAmount("cumulative_amount", m.CumulativeAmount); err != nil {
		return err
	}
	if n := len(m.CumulativeAmount.BigInt().Bytes()); n > MaxVoucherAmountLen {
		return errorsmod.Wrapf(ErrInvalidAmount, "cumulative_amount needs %d bytes, at most %d", n, MaxVoucherAmountLen)
	}
	if len(m.Signature) != VoucherSignatureLen {
		return errorsmod.Wrapf(ErrInvalidVoucher, "signature has %d bytes, want %d (secp256k1 r || s)", len(m.Signature), VoucherSignatureLen)
	}
	return nil
}

// Validate checks the owner, the netuid and the rule's shape (the max price bound is checked by the keeper): a
// paid subnet has a positive price and a minimum deposit of at least one unit; a free subnet sets neither.
func (m *MsgSetAccessRule) Validate(ac address.Codec) error {
	if _, err := ParseAddress(ac, "owner", m.Owner); err != nil {
		return err
	}
	if err := validateNetuid(m.Netuid); err != nil {
		return err
	}
	return m.validateRule()
}

func (m *MsgSetAccessRule) validateRule() error {
	if m.QueryPrice.IsNil() || m.MinDeposit.IsNil() {
		return errorsmod.Wrap(ErrInvalidAccessRule, "query_price and min_deposit must be set (0 for a free subnet)")
	}
	if m.QueryPrice.IsNegative() || m.MinDeposit.IsNegative() {
		return errorsmod.Wrap(ErrInvalidAccessRule, "query_price and min_deposit must not be negative")
	}
	if !m.Paid {
		if !m.QueryPrice.IsZero() || !m.MinDeposit.IsZero() {
			return errorsmod.Wrap(ErrInvalidAccessRule, "a free subnet has query_price 0 and min_deposit 0; set paid=true to charge")
		}
		return nil
	}
	if !m.QueryPrice.IsPositive() {
		return errorsmod.Wrap(ErrInvalidAccessRule, "a paid subnet needs a positive query_price")
	}
	if m.MinDeposit.LT(m.QueryPrice) {
		return errorsmod.Wrapf(ErrInvalidAccessRule, "min_deposit %s is below query_price %s: a channel must pay for at least one unit",
			m.MinDeposit, m.QueryPrice)
	}
	return nil
}

// Validate checks the authority address and the params.
func (m *MsgUpdateParams) Validate(ac address.Codec) error {
	if _, err := ParseAddress(ac, "authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
