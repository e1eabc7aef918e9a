package identity_test

import (
	"bytes"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/identity"
)

func TestRoundTrip(t *testing.T) {
	priv := cosmossecp.GenPrivKey()
	id, err := identity.FromCosmos(priv)
	if err != nil {
		t.Fatal(err)
	}
	want := sdk.AccAddress(priv.PubKey().Address())
	if !bytes.Equal(id.Address, want) {
		t.Fatalf("address %x, want %x", id.Address, want)
	}
	// Peer ID as a string (what a multiaddr carries) back to the account address.
	parsed, err := peer.Decode(id.PeerID.String())
	if err != nil {
		t.Fatal(err)
	}
	got, err := identity.AddressFromPeerID(parsed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("peer id maps to %x, want %x", got, want)
	}
	// Chain-stored public key gives the same peer ID.
	pid, err := identity.PeerIDFromCosmosPubKey(priv.PubKey().(*cosmossecp.PubKey))
	if err != nil {
		t.Fatal(err)
	}
	if pid != id.PeerID {
		t.Fatalf("peer id from pubkey %s, want %s", pid, id.PeerID)
	}
	// A signature made with the libp2p key verifies with the Cosmos public key and vice versa.
	msg := []byte("tokenmind")
	sig, err := id.Libp2p.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	// libp2p signs sha256(msg) in DER; Cosmos signs sha256(msg) in 64-byte R||S. Check the Cosmos direction.
	csig, err := priv.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	if !priv.PubKey().VerifySignature(msg, csig) {
		t.Fatal("cosmos signature does not verify")
	}
	ok, err := id.Libp2p.GetPublic().Verify(msg, sig)
	if err != nil || !ok {
		t.Fatalf("libp2p signature does not verify: %v", err)
	}
	// Bech32 with the chain's prefix.
	cfg := sdk.NewConfig()
	cfg.SetBech32PrefixForAccount("mind", "mindpub")
	s, err := sdk.Bech32ifyAddressBytes("mind", got)
	if err != nil || s[:5] != "mind1" {
		t.Fatalf("bech32 %q %v", s, err)
	}
}

func TestRejectsOtherKeyTypes(t *testing.T) {
	_, pub, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := identity.AddressFromPeerID(pid); err == nil {
		t.Fatal("ed25519 peer id accepted as a hotkey")
	}
	if _, err := identity.FromCosmos(&cosmossecp.PrivKey{Key: []byte{1, 2, 3}}); err == nil {
		t.Fatal("short key accepted")
	}
}

func TestLoadFromTestKeyring(t *testing.T) {
	kr, err := identity.OpenKeyring(keyring.BackendTest, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := kr.NewMnemonic("hot", keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	id, err := identity.LoadFromKeyring(kr, "hot")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(id.Address, addr) {
		t.Fatalf("keyring address %x, identity %x", addr, id.Address)
	}
	back, err := identity.AddressFromPeerID(id.PeerID)
	if err != nil || !bytes.Equal(back, addr) {
		t.Fatalf("peer id %s does not map back to the keyring address: %v", id.PeerID, err)
	}
	if _, err := identity.LoadFromKeyring(kr, "missing"); err == nil {
		t.Fatal("missing key loaded")
	}
}
