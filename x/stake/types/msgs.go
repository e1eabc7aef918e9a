package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/internal/validate"
)

var (
	_ sdk.Msg = (*MsgAddStake)(nil)
	_ sdk.Msg = (*MsgRemoveStake)(nil)
	_ sdk.Msg = (*MsgMoveStake)(nil)
	_ sdk.Msg = (*MsgSetTake)(nil)
	_ sdk.Msg = (*MsgUpdateParams)(nil)
)

// accAddress decodes a bech32 account address with the address codec, naming the field in the error.
func accAddress(field, addr string) (sdk.AccAddress, error) {
	return validate.AccAddress(ErrInvalidAddress, field, addr)
}

// ValidateAmount checks an amount is set and strictly positive.
func ValidateAmount(amount math.Int) error {
	return validate.Positive(ErrInvalidAmount, "amount", amount)
}

// ValidateBasic checks the addresses and the amount (the minimum stake is checked against params by the keeper).
func (m *MsgAddStake) ValidateBasic() error {
	if _, err := accAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	if _, err := accAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	return ValidateAmount(m.Amount)
}

// ValidateBasic checks the addresses and the amount.
func (m *MsgRemoveStake) ValidateBasic() error {
	if _, err := accAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	if _, err := accAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	return ValidateAmount(m.Amount)
}

// ValidateBasic checks the addresses, that the hotkeys differ and the amount.
func (m *MsgMoveStake) ValidateBasic() error {
	if _, err := accAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	from, err := accAddress("from_hotkey", m.FromHotkey)
	if err != nil {
		return err
	}
	to, err := accAddress("to_hotkey", m.ToHotkey)
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
	if _, err := accAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	if _, err := accAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if m.TakeBps > BpsDenominator {
		return errorsmod.Wrapf(ErrTakeOutOfBounds, "take_bps %d exceeds %d (100%%)", m.TakeBps, BpsDenominator)
	}
	return nil
}

// ValidateBasic checks the authority's address. As in x/mint, the msg server checks that the authority is gov's and
// then validates the params, so a gov proposal with invalid params fails at execution with the params' error.
func (m *MsgUpdateParams) ValidateBasic() error {
	_, err := accAddress("authority", m.Authority)
	return err
}
