package protocol

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// ErrBadSignature means a response or receipt is not signed by the miner it names.
var ErrBadSignature = errors.New("protocol: bad miner signature")

// SigningMessage is what the miner signs: sha256(request bytes) || sha256(response body). The secp256k1 signer
// hashes it once more (ECDSA over sha256).
func SigningMessage(reqHash, respHash []byte) []byte {
	m := make([]byte, 0, len(reqHash)+len(respHash))
	m = append(m, reqHash...)
	return append(m, respHash...)
}

// Hash is sha256.
func Hash(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

// VerifyReceipt checks a stored receipt on its own: the hashes match the stored bytes (when present), the public
// key is the miner's address, and the signature is valid.
func VerifyReceipt(r *types.Receipt) error {
	if r == nil {
		return errors.New("protocol: nil receipt")
	}
	if r.Request != nil && !bytes.Equal(Hash(r.Request), r.RequestHash) {
		return errors.New("protocol: receipt request hash mismatch")
	}
	if r.Response != nil && !bytes.Equal(Hash(r.Response), r.ResponseHash) {
		return errors.New("protocol: receipt response hash mismatch")
	}
	pub, err := crypto.UnmarshalSecp256k1PublicKey(r.MinerPubkey)
	if err != nil {
		return fmt.Errorf("protocol: receipt public key: %w", err)
	}
	addr, err := identity.AddressFromPubKey(pub)
	if err != nil {
		return err
	}
	if !bytes.Equal(addr, r.Miner) {
		return errors.New("protocol: receipt public key is not the miner's")
	}
	ok, err := pub.Verify(SigningMessage(r.RequestHash, r.ResponseHash), r.Signature)
	if err != nil || !ok {
		return ErrBadSignature
	}
	return nil
}
