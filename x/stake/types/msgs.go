package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

var (
	_ sdk.Msg = (*MsgAddStake)(nil)
	_ sdk.Msg = (*MsgRemoveStake)(nil)
	_ sdk.Msg = (*MsgMoveStake)(nil)
	_ sdk.Msg = (*MsgSetTake)(nil)
	_ sdk.Msg = (*MsgUpdateParams)(nil)
)

// ParseAddress decodes a bech32 account address, naming the field in the error.
func ParseAddress(field, addr string) (sdk.AccAddress, error) {
	if addr == "" {
		return nil, errorsmod.Wrapf(ErrInvalidAddress, "%s is empty", field)
	}
	a, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %v", field, addr, err)
	}
	return a, nil
}

// ValidateAmount checks an amount is set and strictly positive.
func ValidateAmount(amount math.Int) error {
	if amount.IsNil() {
		return errorsmod.Wrap(ErrInvalidAmount, "amount is not set")
	}
	if !amount.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "amount must be positive, got %s", amount)
	}
	return nil
}

// ValidateBasic checks the addresses and the amount (the minimum stake is checked against params by the keeper).
func (m *MsgAddStake) ValidateBasic() error {
	if _, err := ParseAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	if _, err := ParseAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	return ValidateAmount(m.Amount)
}

// ValidateBasic checks the addresses and the amount.
func (m *MsgRemoveStake) ValidateBasic() error {
	if _, err := ParseAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	if _, err := ParseAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	return ValidateAmount(m.Amount)
}

// ValidateBasic checks the addresses, that the hotkeys differ and the amount.
func (m *MsgMoveStake) ValidateBasic() error {
	if _, err := ParseAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	from, err := ParseAddress("from_hotkey", m.FromHotkey)
	if err != nil {
		return err
	}
	to, err := ParseAddress("to_hotkey", m.ToHotkey)
	if err != nil {
		return err
	}
	if from.Equals(to) {
		return errorsmod.Wrapf(ErrSameHotkey, "from_hotkey and to_hotkey are both %s; choose a different destination", m.ToHotkey)
	}
	return ValidateAmount(m.Amount)
}

// ValidateBasic checks the addresses and that the take is at most 100% (the param bounds are checked by the keeper).
func (m *MsgSetTake) ValidateBasic() error {
	if _, err := ParseAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	if _, err := ParseAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if m.TakeBps > BpsDenominator {
		return errorsmod.Wrapf(ErrTakeOutOfBounds, "take_bps %d exceeds %d (100%%)", m.TakeBps, BpsDenominator)
	}
	return nil
}

// ValidateBasic checks the authority address and the params.
func (m *MsgUpdateParams) ValidateBasic() error {
	if _, err := ParseAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
