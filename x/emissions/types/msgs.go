package types

import (
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/internal/validate"
)

var _ sdk.Msg = (*MsgUpdateParams)(nil)

// ValidateBasic checks the authority's address. As in x/mint, the msg server checks that the authority is gov's and
// then validates the params, so a gov proposal with invalid params fails at execution with the params' error.
func (m *MsgUpdateParams) ValidateBasic() error {
	_, err := validate.AccAddress(ErrInvalidAddress, "authority", m.Authority)
	return err
}
