package types_test

import (
	"bytes"
	"errors"
	"testing"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/payments/types"
)

var (
	payerKey = secp256k1.GenPrivKeyFromSecret([]byte("voucher-payer"))
	otherKey = secp256k1.GenPrivKeyFromSecret([]byte("voucher-other"))
	gateway  = sdk.AccAddress(bytes.Repeat([]byte{7}, 20))
	gateway2 = sdk.AccAddress(bytes.Repeat([]byte{8}, 20))
)

func baseVoucher() types.Voucher {
	return types.Voucher{ChainID: "tokenmind-local-1", ChannelID: 42, Gateway: gateway, Amount: math.NewInt(1_500)}
}

func mustSign(tb testing.TB, v types.Voucher) []byte {
	tb.Helper()
	sig, err := types.SignVoucher(payerKey, v)
	if err != nil {
		tb.Fatal(err)
	}
	return sig
}

func TestVoucherSignBytesLayout(t *testing.T) {
	bz, err := types.VoucherSignBytes(baseVoucher())
	if err != nil {
		t.Fatal(err)
	}
	want := []byte("tokenmind/voucher/v1")
	want = append(want, 17)
	want = append(want, "tokenmind-local-1"...)
	want = append(want, 0, 0, 0, 0, 0, 0, 0, 42)
	want = append(want, 20)
	want = append(want, gateway...)
	want = append(want, 2, 0x05, 0xdc) // 1500
	if !bytes.Equal(bz, want) {
		t.Fatalf("sign bytes\n got %x\nwant %x", bz, want)
	}
}

func TestVerifyVoucher(t *testing.T) {
	v := baseVoucher()
	sig := mustSign(t, v)
	if err := types.VerifyVoucher(payerKey.PubKey(), v, sig); err != nil {
		t.Fatalf("valid voucher refused: %v", err)
	}
	with := func(f func(*types.Voucher)) types.Voucher {
		c := baseVoucher()
		f(&c)
		return c
	}
	flipped := append([]byte(nil), sig...)
	flipped[10] ^= 1
	edKey := ed25519.GenPrivKey()
	cases := []struct {
		name string
		pub  interface{ Type() string }
		v    types.Voucher
		sig  []byte
		want *errorsmod.Error
	}{
		{"forged signature", nil, v, flipped, types.ErrInvalidVoucher},
		{"signed by another key", nil, v, func() []byte { s, _ := types.SignVoucher(otherKey, v); return s }(), types.ErrInvalidVoucher},
		{"other chain", nil, with(func(c *types.Voucher) { c.ChainID = "tokenmind-other-1" }), sig, types.ErrInvalidVoucher},
		{"other channel", nil, with(func(c *types.Voucher) { c.ChannelID = 43 }), sig, types.ErrInvalidVoucher},
		{"other gateway", nil, with(func(c *types.Voucher) { c.Gateway = gateway2 }), sig, types.ErrInvalidVoucher},
		{"other amount", nil, with(func(c *types.Voucher) { c.Amount = math.NewInt(1_501) }), sig, types.ErrInvalidVoucher},
		{"short signature", nil, v, sig[:63], types.ErrInvalidVoucher},
		{"empty chain id", nil, with(func(c *types.Voucher) { c.ChainID = "" }), sig, types.ErrMalformedVoucher},
		{"zero amount", nil, with(func(c *types.Voucher) { c.Amount = math.ZeroInt() }), sig, types.ErrMalformedVoucher},
		{"no gateway", nil, with(func(c *types.Voucher) { c.Gateway = nil }), sig, types.ErrMalformedVoucher},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := types.VerifyVoucher(payerKey.PubKey(), tc.v, tc.sig)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("non-secp256k1 key", func(t *testing.T) {
		if err := types.VerifyVoucher(edKey.PubKey(), v, sig); !errors.Is(err, types.ErrInvalidVoucher) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("no key", func(t *testing.T) {
		if err := types.VerifyVoucher(nil, v, sig); !errors.Is(err, types.ErrPayerPubKeyUnknown) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSignedVoucherRoundTrip(t *testing.T) {
	big, _ := math.NewIntFromString("115792089237316195423570985008687907853269984665640564039457584007913129639935") // 2^256-1
	for _, amt := range []math.Int{math.OneInt(), math.NewInt(255), math.NewInt(256), big} {
		v := baseVoucher()
		v.Amount = amt
		sig := mustSign(t, v)
		wire, err := types.EncodeSignedVoucher(v, sig)
		if err != nil {
			t.Fatal(err)
		}
		got, gotSig, err := types.DecodeSignedVoucher(wire)
		if err != nil {
			t.Fatalf("amount %s: %v", amt, err)
		}
		if got.ChainID != v.ChainID || got.ChannelID != v.ChannelID || !got.Gateway.Equals(v.Gateway) || !got.Amount.Equal(v.Amount) {
			t.Fatalf("round trip: got %+v, want %+v", got, v)
		}
		if err := types.VerifyVoucher(payerKey.PubKey(), got, gotSig); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDecodeVoucherRejects(t *testing.T) {
	good, _ := types.VoucherSignBytes(baseVoucher())
	leadingZero := append(append([]byte(nil), good[:len(good)-3]...), 3, 0, 0x05, 0xdc)
	cases := map[string][]byte{
		"empty":        nil,
		"no domain":    good[1:],
		"truncated":    good[:len(good)-1],
		"trailing":     append(append([]byte(nil), good...), 0),
		"leading zero": leadingZero,
		"zero amount":  append(append([]byte(nil), good[:len(good)-3]...), 0),
	}
	for _, name := range []string{"empty", "no domain", "truncated", "trailing", "leading zero", "zero amount"} {
		if _, err := types.DecodeVoucherSignBytes(cases[name]); !errors.Is(err, types.ErrMalformedVoucher) {
			t.Errorf("%s: got %v, want ErrMalformedVoucher", name, err)
		}
	}
	if _, _, err := types.DecodeSignedVoucher(make([]byte, 10)); !errors.Is(err, types.ErrMalformedVoucher) {
		t.Errorf("short signed voucher: %v", err)
	}
}

// FuzzDecodeVoucher: decoding never panics, and whatever decodes re-encodes to the same bytes (one encoding per
// voucher, so no two byte strings carry the same promise).
func FuzzDecodeVoucher(f *testing.F) {
	good, _ := types.VoucherSignBytes(baseVoucher())
	f.Add(good)
	f.Add([]byte("tokenmind/voucher/v1"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, bz []byte) {
		v, err := types.DecodeVoucherSignBytes(bz)
		if err != nil {
			if !errors.Is(err, types.ErrMalformedVoucher) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := types.VoucherSignBytes(v)
		if err != nil {
			t.Fatalf("decoded voucher does not encode: %v", err)
		}
		if !bytes.Equal(again, bz) {
			t.Fatalf("not canonical: %x re-encodes to %x", bz, again)
		}
	})
}

// FuzzVerifyVoucher: a signature verifies only for the exact voucher it was made for; changing any field or the
// signature makes verification fail with a typed error, never a panic.
func FuzzVerifyVoucher(f *testing.F) {
	f.Add("tokenmind-local-1", uint64(42), []byte{7, 7, 7}, int64(1500), uint8(0), uint8(0))
	f.Add("x", uint64(0), []byte{1}, int64(1), uint8(5), uint8(1))
	f.Fuzz(func(t *testing.T, chainID string, channel uint64, gw []byte, amount int64, mutate, sigByte uint8) {
		v := types.Voucher{ChainID: chainID, ChannelID: channel, Gateway: gw, Amount: math.NewInt(amount)}
		sig, err := types.SignVoucher(payerKey, v)
		if err != nil {
			if !errors.Is(err, types.ErrMalformedVoucher) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if err := types.VerifyVoucher(payerKey.PubKey(), v, sig); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
		w := v
		switch mutate % 5 {
		case 0:
			w.ChainID += "x"
		case 1:
			w.ChannelID++
		case 2:
			w.Gateway = append(append(sdk.AccAddress(nil), gw...), 0)
		case 3:
			w.Amount = v.Amount.AddRaw(1)
		case 4:
			sig = append([]byte(nil), sig...)
			sig[int(sigByte)%len(sig)] ^= 0x01
		}
		if err := types.VerifyVoucher(payerKey.PubKey(), w, sig); err == nil {
			t.Fatalf("mutation %d verified", mutate%5)
		} else if !errors.Is(err, types.ErrInvalidVoucher) && !errors.Is(err, types.ErrMalformedVoucher) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

// BenchmarkVerifyVoucher is the cost of checking one voucher: building its sign bytes and one secp256k1
// verification (what the chain does per claim and the gateway per query).
func BenchmarkVerifyVoucher(b *testing.B) {
	v := baseVoucher()
	sig, _ := types.SignVoucher(payerKey, v)
	pub := payerKey.PubKey()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := types.VerifyVoucher(pub, v, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignVoucher is what a client pays per query to sign its next voucher.
func BenchmarkSignVoucher(b *testing.B) {
	v := baseVoucher()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := types.SignVoucher(payerKey, v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifySecp256k1Raw is the bare signature check over the same bytes, for comparison with
// BenchmarkVerifyVoucher: the difference is what building and checking the voucher adds.
func BenchmarkVerifySecp256k1Raw(b *testing.B) {
	v := baseVoucher()
	bz, _ := types.VoucherSignBytes(v)
	sig, _ := types.SignVoucher(payerKey, v)
	pub := payerKey.PubKey()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !pub.VerifySignature(bz, sig) {
			b.Fatal("no")
		}
	}
}
