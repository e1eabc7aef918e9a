package keeper

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
)

// accDecoder decodes account addresses exactly as sdk.AccAddressFromBech32 does, for the thousands an epoch reads.
// sdk.AccAddressFromBech32 looks the SDK config up twice per address (prefix, then address verifier), and in SDK
// v0.54 each lookup builds a "host|executable|pid" key with a readlink system call; accDecoder looks it up once.
// Whenever the fast path would fail it returns sdk.AccAddressFromBech32's own result, so errors are the same too.
type accDecoder struct {
	prefix   string
	verifier func([]byte) error
	memo     map[string]sdk.AccAddress // lookups only, never ranged over
}

func newAccDecoder() *accDecoder {
	cfg := sdk.GetConfig()
	return &accDecoder{prefix: cfg.GetBech32AccountAddrPrefix(), verifier: cfg.GetAddressVerifier(), memo: map[string]sdk.AccAddress{}}
}

// decode is sdk.AccAddressFromBech32(s). Repeated strings (a coldkey owning many UIDs) are decoded once; callers
// must not modify the returned address.
func (d *accDecoder) decode(s string) (sdk.AccAddress, error) {
	if a, ok := d.memo[s]; ok {
		return a, nil
	}
	bz, err := sdk.GetFromBech32(s, d.prefix) // what AccAddressFromBech32 calls after its config lookup
	if err != nil || !d.valid(bz) {
		return sdk.AccAddressFromBech32(s) // the error (empty string, bad checksum or prefix, bad length)
	}
	a := sdk.AccAddress(bz)
	d.memo[s] = a
	return a, nil
}

// valid is sdk.VerifyAddressFormat(bz) == nil with the config read once.
func (d *accDecoder) valid(bz []byte) bool {
	if d.verifier != nil {
		return d.verifier(bz) == nil
	}
	return len(bz) > 0 && len(bz) <= address.MaxAddrLen
}
