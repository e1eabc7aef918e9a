package integration

import (
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
)

func toPrivs(ps []*secp256k1.PrivKey) []cryptotypes.PrivKey {
	out := make([]cryptotypes.PrivKey, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}
