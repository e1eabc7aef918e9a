package identity

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdkcrypto "github.com/cosmos/cosmos-sdk/crypto"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
)

// KeyringAppName is the service name the chain's keyring uses, so neuron and tokenmindd share keys.
const KeyringAppName = "tokenmind"

// OpenKeyring opens the Cosmos keyring at home with backend os, file or test (the same layout tokenmindd uses).
// userInput supplies the passphrase for the file backend.
func OpenKeyring(backend, home string, userInput io.Reader) (keyring.Keyring, error) {
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	kr, err := keyring.New(KeyringAppName, backend, home, userInput, codec.NewProtoCodec(reg))
	if err != nil {
		return nil, fmt.Errorf("identity: open %s keyring in %s: %w", backend, home, err)
	}
	return kr, nil
}

// LoadFromKeyring reads the hotkey named uid and returns the neuron identity. Local records are read directly;
// otherwise the key is exported as encrypted armor with a random one-time passphrase and decrypted in memory.
func LoadFromKeyring(kr keyring.Keyring, uid string) (*Identity, error) {
	rec, err := kr.Key(uid)
	if err != nil {
		return nil, fmt.Errorf("identity: key %q: %w", uid, err)
	}
	var priv cryptotypes.PrivKey
	if local := rec.GetLocal(); local != nil && local.PrivKey != nil {
		if cached, ok := local.PrivKey.GetCachedValue().(cryptotypes.PrivKey); ok {
			priv = cached
		}
	}
	if priv == nil {
		var pass [16]byte
		if _, err := rand.Read(pass[:]); err != nil {
			return nil, err
		}
		armor, err := kr.ExportPrivKeyArmor(uid, hex.EncodeToString(pass[:]))
		if err != nil {
			return nil, fmt.Errorf("identity: export key %q: %w", uid, err)
		}
		priv, _, err = sdkcrypto.UnarmorDecryptPrivKey(armor, hex.EncodeToString(pass[:]))
		if err != nil {
			return nil, fmt.Errorf("identity: decrypt key %q: %w", uid, err)
		}
	}
	sk, ok := priv.(*cosmossecp.PrivKey)
	if !ok {
		return nil, fmt.Errorf("identity: key %q is %s: %w", uid, priv.Type(), ErrNotSecp256k1)
	}
	return FromCosmos(sk)
}
