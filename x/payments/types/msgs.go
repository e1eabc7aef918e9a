package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/internal/validate"
)

var (
	_ sdk.Msg = (*MsgOpenChannel)(nil)
	_ sdk.Msg = (*MsgTopUpChannel)(nil)
	_ sdk.Msg = (*MsgCloseChannel)(nil)
	_ sdk.Msg = (*MsgClaim)(nil)
	_ sdk.Msg = (*MsgSetAccessRule)(nil)
	_ sdk.Msg = (*MsgUpdateParams)(nil)
)

// accAddress decodes a bech32 account address, naming the field in the error.
func accAddress(field, addr string) (sdk.AccAddress, error) {
	return validate.AccAddress(ErrInvalidAddress, field, addr)
}

// ValidateAmount checks an amount is set and strictly positive.
func ValidateAmount(field string, amount math.Int) error {
	return validate.Positive(ErrInvalidAmount, field, amount)
}

func validateNetuid(netuid uint32) error {
	return validate.Netuid(ErrSubnetNotFound, "netuid", netuid)
}

// ValidateBasic checks the addresses, the netuid and the deposit (the minimum deposit is checked by the keeper).
func (m *MsgOpenChannel) ValidateBasic() error {
	if _, err := accAddress("payer", m.Payer); err != nil {
		return err
	}
	if _, err := accAddress("gateway_hotkey", m.GatewayHotkey); err != nil {
		return err
	}
	if err := validateNetuid(m.Netuid); err != nil {
		return err
	}
	return ValidateAmount("deposit", m.Deposit)
}

// ValidateBasic checks the payer and the amount.
func (m *MsgTopUpChannel) ValidateBasic() error {
	if _, err := accAddress("payer", m.Payer); err != nil {
		return err
	}
	return ValidateAmount("amount", m.Amount)
}

// ValidateBasic checks the payer.
func (m *MsgCloseChannel) ValidateBasic() error {
	_, err := accAddress("payer", m.Payer)
	return err
}

// ValidateBasic checks the gateway address, the amount and the signature's length (the signature itself is verified
// by the keeper against the payer's on-chain key).
func (m *MsgClaim) ValidateBasic() error {
	if _, err := accAddress("gateway_hotkey", m.GatewayHotkey); err != nil {
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

// ValidateBasic checks the owner, the netuid and the rule's shape (the max price bound is checked by the keeper): a
// paid subnet has a positive price and a minimum deposit of at least one unit; a free subnet sets neither.
func (m *MsgSetAccessRule) ValidateBasic() error {
	if _, err := accAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := validateNetuid(m.Netuid); err != nil {
		return err
	}
	return validateRule(m.Paid, m.QueryPrice, m.MinDeposit)
}

// validateRule checks an access rule's shape: a paid subnet has a positive price and a minimum deposit of at least
// one unit; a free subnet sets neither.
func validateRule(paid bool, queryPrice, minDeposit math.Int) error {
	if queryPrice.IsNil() || minDeposit.IsNil() {
		return errorsmod.Wrap(ErrInvalidAccessRule, "query_price and min_deposit must be set (0 for a free subnet)")
	}
	if queryPrice.IsNegative() || minDeposit.IsNegative() {
		return errorsmod.Wrap(ErrInvalidAccessRule, "query_price and min_deposit must not be negative")
	}
	if !paid {
		if !queryPrice.IsZero() || !minDeposit.IsZero() {
			return errorsmod.Wrap(ErrInvalidAccessRule, "a free subnet has query_price 0 and min_deposit 0; set paid=true to charge")
		}
		return nil
	}
	if !queryPrice.IsPositive() {
		return errorsmod.Wrap(ErrInvalidAccessRule, "a paid subnet needs a positive query_price")
	}
	if minDeposit.LT(queryPrice) {
		return errorsmod.Wrapf(ErrInvalidAccessRule, "min_deposit %s is below query_price %s: a channel must pay for at least one unit",
			minDeposit, queryPrice)
	}
	return nil
}

// ValidateBasic checks the authority's address. As in x/stake, the msg server checks that the authority is gov's
// and then validates the params, so a gov proposal with invalid params fails at execution with the params' error.
func (m *MsgUpdateParams) ValidateBasic() error {
	_, err := accAddress("authority", m.Authority)
	return err
}
