package cliutil

import (
	"fmt"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// AddressOrKey resolves a positional argument that is an account: a mind1... address, or the name of a key in the
// keyring. The error names the argument (as the usage line does, e.g. "[hotkey]") and says what it should look like.
func AddressOrKey(clientCtx client.Context, arg, s string) (sdk.AccAddress, error) {
	addr, addrErr := sdk.AccAddressFromBech32(s)
	if addrErr == nil {
		return addr, nil
	}
	if clientCtx.Keyring != nil {
		if rec, err := clientCtx.Keyring.Key(s); err == nil {
			return rec.GetAddress()
		}
	}
	return nil, fmt.Errorf("argument [%s]: %q is neither a mind1... address (%v) nor the name of a key in the keyring "+
		"(tokenmindd keys list; add --keyring-backend and --home if the key is elsewhere)", arg, s, addrErr)
}
