// Package identity turns a neuron's hotkey (a Cosmos secp256k1 key) into its libp2p identity and back.
//
// The hotkey's libp2p peer ID is derived from the same secp256k1 key, so the chain's registry of hotkeys is also the
// registry of who may talk to whom on the network (DESIGN.md §3). Secp256k1 public keys are small enough that the peer
// ID embeds them (identity multihash), so a peer ID alone is enough to recover the account address.
package identity

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// ErrNotSecp256k1 is returned when a key or peer ID is not secp256k1, the only key type a hotkey can have.
var ErrNotSecp256k1 = errors.New("identity: key is not secp256k1")

// Identity is a neuron's hotkey in both worlds.
type Identity struct {
	Cosmos  *cosmossecp.PrivKey
	Libp2p  crypto.PrivKey
	PeerID  peer.ID
	Address sdk.AccAddress
}

// FromCosmos converts a Cosmos secp256k1 private key into the neuron identity.
func FromCosmos(priv *cosmossecp.PrivKey) (*Identity, error) {
	if priv == nil || len(priv.Key) != cosmossecp.PrivKeySize {
		return nil, fmt.Errorf("identity: secp256k1 private key must be %d bytes", cosmossecp.PrivKeySize)
	}
	lp, err := crypto.UnmarshalSecp256k1PrivateKey(priv.Key)
	if err != nil {
		return nil, fmt.Errorf("identity: convert key: %w", err)
	}
	pid, err := peer.IDFromPrivateKey(lp)
	if err != nil {
		return nil, fmt.Errorf("identity: derive peer id: %w", err)
	}
	addr := sdk.AccAddress(priv.PubKey().Address())
	// The two derivations must agree; this guards against an encoding change in either library.
	back, err := AddressFromPeerID(pid)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(back, addr) {
		return nil, fmt.Errorf("identity: peer id %s does not map back to %x", pid, addr.Bytes())
	}
	return &Identity{Cosmos: priv, Libp2p: lp, PeerID: pid, Address: addr}, nil
}

// CosmosPubKey converts a libp2p secp256k1 public key into the Cosmos public key type.
func CosmosPubKey(pub crypto.PubKey) (*cosmossecp.PubKey, error) {
	if pub == nil || pub.Type() != crypto.Secp256k1 {
		return nil, ErrNotSecp256k1
	}
	raw, err := pub.Raw() // 33-byte compressed point, the same encoding Cosmos uses
	if err != nil {
		return nil, fmt.Errorf("identity: raw public key: %w", err)
	}
	if len(raw) != cosmossecp.PubKeySize {
		return nil, fmt.Errorf("identity: public key is %d bytes, want %d", len(raw), cosmossecp.PubKeySize)
	}
	return &cosmossecp.PubKey{Key: raw}, nil
}

// AddressFromPubKey returns the account address of a libp2p secp256k1 public key.
func AddressFromPubKey(pub crypto.PubKey) (sdk.AccAddress, error) {
	cpk, err := CosmosPubKey(pub)
	if err != nil {
		return nil, err
	}
	return sdk.AccAddress(cpk.Address()), nil
}

// AddressFromPeerID returns the account address behind a secp256k1 peer ID.
func AddressFromPeerID(id peer.ID) (sdk.AccAddress, error) {
	pub, err := id.ExtractPublicKey()
	if err != nil {
		return nil, fmt.Errorf("identity: peer id %s carries no public key: %w", id, err)
	}
	return AddressFromPubKey(pub)
}

// PeerIDFromCosmosPubKey derives the peer ID of a hotkey from its Cosmos public key (as stored on chain).
func PeerIDFromCosmosPubKey(pub *cosmossecp.PubKey) (peer.ID, error) {
	if pub == nil {
		return "", ErrNotSecp256k1
	}
	lp, err := crypto.UnmarshalSecp256k1PublicKey(pub.Key)
	if err != nil {
		return "", fmt.Errorf("identity: convert public key: %w", err)
	}
	return peer.IDFromPublicKey(lp)
}
