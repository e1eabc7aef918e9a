package integration

import (
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
)

func toPrivs(ps []*secp256k1.PrivKey) []cryptotypes.PrivKey {
	out := make([]cryptotypes.PrivKey, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}
