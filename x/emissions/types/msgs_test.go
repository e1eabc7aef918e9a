package types_test

import (
	"errors"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/emissions/types"
)

func TestMsgUpdateParamsValidateBasic(t *testing.T) {
	authority := sdk.AccAddress("gov_________________").String()
	msg := &types.MsgUpdateParams{Authority: authority, Params: types.DefaultParams()}
	if err := msg.ValidateBasic(); err != nil {
		t.Fatalf("valid msg rejected: %v", err)
	}
	msg.Authority = "gov"
	if err := msg.ValidateBasic(); !errors.Is(err, types.ErrInvalidAddress) || !strings.Contains(err.Error(), `authority "gov"`) {
		t.Fatalf("got %v, want ErrInvalidAddress naming the authority", err)
	}
	msg.Authority = ""
	if err := msg.ValidateBasic(); !errors.Is(err, types.ErrInvalidAddress) || !strings.Contains(err.Error(), "authority is empty") {
		t.Fatalf("got %v, want ErrInvalidAddress: authority is empty", err)
	}
}
