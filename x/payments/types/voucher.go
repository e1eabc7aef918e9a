package types

import (
	"bytes"
	"encoding/binary"
	"math/big"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// A voucher is the payer's off-chain promise: "on channel ChannelID of chain ChainID, I owe gateway Gateway a
// cumulative Amount". The payer signs a new one per query with its account key (secp256k1), each for the total
// owed so far, so a newer voucher supersedes every older one and the gateway keeps only the best. Verifying one is
// a single signature check against the payer's public key plus one comparison with what was already claimed.
//
// This file is plain Go on purpose: the neuron's gateway and client import it to build, encode and check vouchers
// exactly as the chain does.

// VoucherDomain separates voucher signatures from every other thing a key signs (a transaction's sign bytes are
// protobuf and never start with these bytes).
const VoucherDomain = "tokenmind/voucher/v1"

// Size limits of the encoded fields.
const (
	MaxVoucherChainIDLen = 255
	MaxVoucherGatewayLen = 255
	// MaxVoucherAmountLen is 32 bytes: math.Int holds at most 256 bits.
	MaxVoucherAmountLen = 32
	// VoucherSignatureLen is the length of a secp256k1 signature (r || s).
	VoucherSignatureLen = 64
)

// Voucher is the content a payer signs.
type Voucher struct {
	ChainID   string
	ChannelID uint64
	// Gateway is the gateway hotkey's address bytes.
	Gateway sdk.AccAddress
	// Amount is the cumulative amount owed on the channel, in umind.
	Amount math.Int
}

// Validate checks the voucher can be encoded and promises something.
func (v Voucher) Validate() error {
	if v.ChainID == "" || len(v.ChainID) > MaxVoucherChainIDLen {
		return errorsmod.Wrapf(ErrMalformedVoucher, "chain id must have 1 to %d bytes, got %d", MaxVoucherChainIDLen, len(v.ChainID))
	}
	if len(v.Gateway) == 0 || len(v.Gateway) > MaxVoucherGatewayLen {
		return errorsmod.Wrapf(ErrMalformedVoucher, "gateway address must have 1 to %d bytes, got %d", MaxVoucherGatewayLen, len(v.Gateway))
	}
	if v.Amount.IsNil() || !v.Amount.IsPositive() {
		return errorsmod.Wrap(ErrMalformedVoucher, "amount must be positive")
	}
	if n := len(v.Amount.BigInt().Bytes()); n > MaxVoucherAmountLen {
		return errorsmod.Wrapf(ErrMalformedVoucher, "amount needs %d bytes, at most %d", n, MaxVoucherAmountLen)
	}
	return nil
}

// VoucherSignBytes returns the bytes a payer signs:
//
//	"tokenmind/voucher/v1" || u8 len || chain id || u64 BE channel id || u8 len || gateway address bytes ||
//	u8 len || amount (big-endian, no leading zero byte)
//
// Every variable field is length-prefixed, so two different vouchers never share sign bytes. It fails when the
// voucher is not valid (see Validate).
func VoucherSignBytes(v Voucher) ([]byte, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	amount := v.Amount.BigInt().Bytes()
	out := make([]byte, 0, len(VoucherDomain)+1+len(v.ChainID)+8+1+len(v.Gateway)+1+len(amount))
	out = append(out, VoucherDomain...)
	out = append(out, byte(len(v.ChainID)))
	out = append(out, v.ChainID...)
	out = binary.BigEndian.AppendUint64(out, v.ChannelID)
	out = append(out, byte(len(v.Gateway)))
	out = append(out, v.Gateway...)
	out = append(out, byte(len(amount)))
	out = append(out, amount...)
	return out, nil
}

// DecodeVoucherSignBytes parses bytes made by VoucherSignBytes. It accepts exactly the canonical encoding of a valid
// voucher (no trailing bytes, no leading zero in the amount), so DecodeVoucherSignBytes(VoucherSignBytes(v)) == v
// and re-encoding a decoded voucher gives the same bytes.
func DecodeVoucherSignBytes(bz []byte) (Voucher, error) {
	var v Voucher
	if !bytes.HasPrefix(bz, []byte(VoucherDomain)) {
		return v, errorsmod.Wrapf(ErrMalformedVoucher, "missing the %q domain prefix", VoucherDomain)
	}
	r := bz[len(VoucherDomain):]
	field := func(name string) ([]byte, error) {
		if len(r) < 1 {
			return nil, errorsmod.Wrapf(ErrMalformedVoucher, "truncated before the %s length", name)
		}
		n := int(r[0])
		if len(r) < 1+n {
			return nil, errorsmod.Wrapf(ErrMalformedVoucher, "%s needs %d bytes, %d left", name, n, len(r)-1)
		}
		f := r[1 : 1+n]
		r = r[1+n:]
		return f, nil
	}
	chainID, err := field("chain id")
	if err != nil {
		return v, err
	}
	if len(r) < 8 {
		return v, errorsmod.Wrap(ErrMalformedVoucher, "truncated channel id")
	}
	v.ChainID = string(chainID)
	v.ChannelID = binary.BigEndian.Uint64(r[:8])
	r = r[8:]
	gateway, err := field("gateway")
	if err != nil {
		return v, err
	}
	v.Gateway = append(sdk.AccAddress(nil), gateway...)
	amount, err := field("amount")
	if err != nil {
		return v, err
	}
	if len(r) != 0 {
		return v, errorsmod.Wrapf(ErrMalformedVoucher, "%d trailing bytes", len(r))
	}
	if len(amount) > 0 && amount[0] == 0 {
		return v, errorsmod.Wrap(ErrMalformedVoucher, "amount has a leading zero byte")
	}
	if len(amount) > MaxVoucherAmountLen {
		return v, errorsmod.Wrapf(ErrMalformedVoucher, "amount has %d bytes, at most %d", len(amount), MaxVoucherAmountLen)
	}
	v.Amount = math.NewIntFromBigInt(new(big.Int).SetBytes(amount))
	if err := v.Validate(); err != nil {
		return Voucher{}, err
	}
	return v, nil
}

// SignVoucher signs the voucher with the payer's key (what `neuron query` does per query).
func SignVoucher(priv cryptotypes.PrivKey, v Voucher) ([]byte, error) {
	bz, err := VoucherSignBytes(v)
	if err != nil {
		return nil, err
	}
	return priv.Sign(bz)
}

// VerifyVoucher checks that sig is the payer's signature of v: one secp256k1 verification over VoucherSignBytes(v).
// Only secp256k1 account keys can sign vouchers (a multisig or other key type is refused), so a verification
// always costs the same.
func VerifyVoucher(payer cryptotypes.PubKey, v Voucher, sig []byte) error {
	if payer == nil {
		return errorsmod.Wrap(ErrPayerPubKeyUnknown, "no public key to verify the voucher with")
	}
	if _, ok := payer.(*secp256k1.PubKey); !ok {
		return errorsmod.Wrapf(ErrInvalidVoucher, "payer key type %s cannot sign vouchers; pay from a secp256k1 account", payer.Type())
	}
	if len(sig) != VoucherSignatureLen {
		return errorsmod.Wrapf(ErrInvalidVoucher, "signature has %d bytes, want %d", len(sig), VoucherSignatureLen)
	}
	bz, err := VoucherSignBytes(v)
	if err != nil {
		return err
	}
	if !payer.VerifySignature(bz, sig) {
		return errorsmod.Wrapf(ErrInvalidVoucher,
			"signature does not verify for channel %d, gateway %s, amount %s on chain %s under the payer's key; sign exactly these fields",
			v.ChannelID, v.Gateway, v.Amount, v.ChainID)
	}
	return nil
}

// EncodeSignedVoucher is the wire form a client sends a gateway: the sign bytes followed by the 64-byte signature.
func EncodeSignedVoucher(v Voucher, sig []byte) ([]byte, error) {
	if len(sig) != VoucherSignatureLen {
		return nil, errorsmod.Wrapf(ErrMalformedVoucher, "signature has %d bytes, want %d", len(sig), VoucherSignatureLen)
	}
	bz, err := VoucherSignBytes(v)
	if err != nil {
		return nil, err
	}
	return append(bz, sig...), nil
}

// DecodeSignedVoucher parses EncodeSignedVoucher's output. It does not verify the signature (VerifyVoucher does).
func DecodeSignedVoucher(bz []byte) (Voucher, []byte, error) {
	if len(bz) < VoucherSignatureLen {
		return Voucher{}, nil, errorsmod.Wrapf(ErrMalformedVoucher, "%d bytes is shorter than a signature", len(bz))
	}
	cut := len(bz) - VoucherSignatureLen
	v, err := DecodeVoucherSignBytes(bz[:cut])
	if err != nil {
		return Voucher{}, nil, err
	}
	return v, append([]byte(nil), bz[cut:]...), nil
}
