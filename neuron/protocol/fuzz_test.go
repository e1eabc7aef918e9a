package protocol

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"testing"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"

	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// FuzzReadFrame: whatever a peer sends, ReadFrame never panics, never returns more than the limit, never allocates
// for a length above the limit, and what it returns is exactly what WriteFrame framed.
func FuzzReadFrame(f *testing.F) {
	var ok bytes.Buffer
	_ = WriteFrame(&ok, []byte("hello"))
	f.Add(ok.Bytes())
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}) // 2^64-1
	f.Add([]byte{0x80})                                                       // truncated varint
	f.Add([]byte{0x05, 'a'})                                                  // truncated body
	f.Fuzz(func(t *testing.T, in []byte) {
		const limit = 1024
		b, err := ReadFrame(bufio.NewReader(bytes.NewReader(in)), limit)
		if err != nil {
			return
		}
		if len(b) > limit {
			t.Fatalf("frame of %d bytes passed a %d-byte limit", len(b), limit)
		}
		n, k := binary.Uvarint(in)
		if k <= 0 || n != uint64(len(b)) || !bytes.Equal(in[k:k+len(b)], b) {
			t.Fatalf("frame %x does not match its header in %x", b, in)
		}
	})
}

// FuzzRequestDecode: any bytes either fail to decode or decode to a Request that re-encodes to an equal Request;
// decoding never panics (the miner decodes requests from peers the gater admitted, not from trusted code).
func FuzzRequestDecode(f *testing.F) {
	good, _ := (&types.Request{RequestId: []byte("r1"), Netuid: 1, Task: "ner", Payload: []byte(`{"text":"x"}`), Requester: []byte{1, 2, 3}, DeadlineUnixMs: 99}).Marshal()
	f.Add(good)
	f.Add([]byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, in []byte) {
		var r types.Request
		if r.Unmarshal(in) != nil {
			return
		}
		out, err := r.Marshal()
		if err != nil {
			t.Fatalf("decoded request does not encode: %v", err)
		}
		var r2 types.Request
		if err := r2.Unmarshal(out); err != nil {
			t.Fatalf("re-encoded request does not decode: %v", err)
		}
		if out2, _ := r2.Marshal(); !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the request:\n%+v\n%+v", r, r2)
		}
	})
}

// FuzzVerifyReceipt: flipping any bits of a valid receipt's request, response, hashes or signature makes it fail.
func FuzzVerifyReceipt(f *testing.F) {
	f.Add(uint8(0), uint16(0), uint8(1))
	f.Add(uint8(2), uint16(7), uint8(0x80))
	f.Add(uint8(4), uint16(40), uint8(0x01))
	r := validReceipt(f)
	if err := VerifyReceipt(r); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, field uint8, pos uint16, mask uint8) {
		if mask == 0 {
			return
		}
		c := *r
		fields := []*[]byte{&c.Request, &c.Response, &c.RequestHash, &c.ResponseHash, &c.Signature}
		p := fields[int(field)%len(fields)]
		if len(*p) == 0 {
			return
		}
		b := bytes.Clone(*p)
		b[int(pos)%len(b)] ^= mask
		*p = b
		if VerifyReceipt(&c) == nil {
			t.Fatalf("receipt with field %d byte %d ^ %#x still verifies", int(field)%len(fields), int(pos)%len(b), mask)
		}
	})
}

func validReceipt(f *testing.F) *types.Receipt {
	f.Helper()
	id, err := identity.FromCosmos(cosmossecp.GenPrivKey())
	if err != nil {
		f.Fatal(err)
	}
	req, resp := []byte("request bytes"), []byte("response bytes")
	sig, err := id.Libp2p.Sign(SigningMessage(Hash(req), Hash(resp)))
	if err != nil {
		f.Fatal(err)
	}
	raw, _ := id.Libp2p.GetPublic().Raw()
	return &types.Receipt{RequestHash: Hash(req), ResponseHash: Hash(resp), Signature: sig, Miner: id.Address, MinerPubkey: raw, Request: req, Response: resp}
}
