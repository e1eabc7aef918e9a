package types_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"testing"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/subnets/types"
)

// fuzzVectors builds uids and values from fuzz bytes: n uids and n+delta values (delta in -1..1), each word read
// cyclically from raw, so lengths match a third of the time, values above 65535 are common and n can exceed the
// per-message limit.
func fuzzVectors(raw []byte, n uint16, delta uint8) (uids, values []uint32) {
	word := func(k int) uint32 {
		if len(raw) == 0 {
			return 0
		}
		var b [4]byte
		for i := range b {
			b[i] = raw[(4*k+i)%len(raw)]
		}
		return binary.BigEndian.Uint32(b[:])
	}
	count := int(n) % (types.MaxWeightsPerMsg + 64)
	nv := count + int(delta%3) - 1
	if nv < 0 {
		nv = 0
	}
	uids, values = make([]uint32, count), make([]uint32, nv)
	for i := range uids {
		uids[i] = word(i)
	}
	for i := range values {
		v := word(count + i)
		if len(raw) > 0 && raw[0]&1 == 0 {
			v &= 0xffff // half the inputs keep every value in range, so acceptance is reached
		}
		values[i] = v
	}
	return uids, values
}

// wantWeightsErr is what validateWeightVectors promises, in its order.
func wantWeightsErr(uids, values []uint32) error {
	if len(uids) != len(values) {
		return types.ErrWeightsLengthMismatch
	}
	if len(uids) > types.MaxWeightsPerMsg {
		return types.ErrTooManyWeights
	}
	for _, v := range values {
		if v > 65535 {
			return types.ErrMaxWeightExceeded
		}
	}
	return nil
}

func requireErr(t *testing.T, what string, got, want error) {
	t.Helper()
	if want == nil {
		if got != nil {
			t.Fatalf("%s: refused: %v", what, got)
		}
		return
	}
	if got == nil {
		t.Fatalf("%s: accepted, want %v", what, want)
	}
	if !errorsmod.IsOf(got, want) {
		t.Fatalf("%s: error %v, want %v", what, got, want)
	}
	if codespace, code, _ := errorsmod.ABCIInfo(got, false); codespace != types.ModuleName || code < 2 {
		t.Fatalf("%s: error %v is not a registered x/subnets error (%s/%d)", what, got, codespace, code)
	}
}

// FuzzWeightsMsgValidation fuzzes the stateless validation of MsgSetWeights, MsgCommitWeights and MsgRevealWeights.
// It never panics and accepts exactly what it promises, refusing with the typed error of the first failed check:
// a bech32 hotkey, netuid >= 1, then (set, reveal) one value per uid, at most MaxWeightsPerMsg weights, every value a
// u16; (commit) a 32-byte hash; (reveal) a salt of at most MaxSaltLength bytes. Duplicate and out-of-range uids are
// stateful checks of the Msg server (in subtensor's order) and are not promised here. For an accepted reveal, the
// commit hash is a valid commit and binds every input.
func FuzzWeightsMsgValidation(f *testing.F) {
	f.Add("", false, uint32(1), []byte{0, 0, 0, 1, 0, 0, 0, 2}, uint16(1), uint8(1), []byte("salt"), []byte{}, uint64(0))
	f.Add("", false, uint32(7), []byte{2, 0, 0, 1, 0, 1, 0, 0}, uint16(3), uint8(0), []byte{}, make([]byte, 32), uint64(5))
	f.Add("tokenmind1notanaddress", true, uint32(0), []byte{}, uint16(0), uint8(1), bytes.Repeat([]byte{1}, 257), make([]byte, 31), uint64(1))
	f.Add("", false, uint32(3), []byte{4, 5, 6, 7}, uint16(types.MaxWeightsPerMsg+1), uint8(1), []byte{9}, make([]byte, 33), ^uint64(0))
	f.Add("", false, uint32(2), []byte{0xff, 0xff, 0xff, 0xff}, uint16(2), uint8(1), []byte{}, make([]byte, 32), uint64(0))
	f.Fuzz(func(t *testing.T, hotStr string, useStr bool, netuid uint32, raw []byte, n uint16, delta uint8, salt, hash []byte, vk uint64) {
		hotkey := sdk.AccAddress(append(make([]byte, 19), byte(n))).String()
		if useStr {
			hotkey = hotStr
		}
		uids, values := fuzzVectors(raw, n, delta)
		var head error
		if _, err := sdk.AccAddressFromBech32(hotkey); err != nil {
			head = types.ErrInvalidAddress
		} else if netuid == 0 {
			head = types.ErrSubnetNotFound
		}
		first := func(errs ...error) error {
			for _, e := range errs {
				if e != nil {
					return e
				}
			}
			return nil
		}

		set := &types.MsgSetWeights{Hotkey: hotkey, Netuid: netuid, Uids: uids, Values: values, VersionKey: vk}
		requireErr(t, "set-weights", set.ValidateBasic(), first(head, wantWeightsErr(uids, values)))

		var hashErr error
		if len(hash) != sha256.Size {
			hashErr = types.ErrInvalidCommitHash
		}
		commit := &types.MsgCommitWeights{Hotkey: hotkey, Netuid: netuid, CommitHash: hash}
		requireErr(t, "commit-weights", commit.ValidateBasic(), first(head, hashErr))

		var saltErr error
		if len(salt) > types.MaxSaltLength {
			saltErr = types.ErrInvalidCommitHash
		}
		reveal := &types.MsgRevealWeights{Hotkey: hotkey, Netuid: netuid, Uids: uids, Values: values, Salt: salt, VersionKey: vk}
		err := reveal.ValidateBasic()
		requireErr(t, "reveal-weights", err, first(head, saltErr, wantWeightsErr(uids, values)))
		if err != nil {
			return
		}

		hk := sdk.MustAccAddressFromBech32(hotkey)
		h := types.WeightsCommitHash(hk, netuid, uids, values, salt, vk)
		if err := (&types.MsgCommitWeights{Hotkey: hotkey, Netuid: netuid, CommitHash: h}).ValidateBasic(); err != nil {
			t.Fatalf("the hash of an accepted reveal is not a valid commit: %v", err)
		}
		if !bytes.Equal(h, types.WeightsCommitHash(hk, netuid, uids, values, salt, vk)) {
			t.Fatal("commit hash is not deterministic")
		}
		// Binding: changing any single input changes the hash, including moving a byte across a field boundary.
		other := sdk.AccAddress(append(bytes.Clone(hk), 0))
		variants := map[string][]byte{
			"hotkey":      types.WeightsCommitHash(other, netuid, uids, values, salt, vk),
			"netuid":      types.WeightsCommitHash(hk, netuid+1, uids, values, salt, vk),
			"version key": types.WeightsCommitHash(hk, netuid, uids, values, salt, vk+1),
			"salt":        types.WeightsCommitHash(hk, netuid, uids, values, append(bytes.Clone(salt), 0), vk),
		}
		if len(uids) > 0 {
			u2 := append([]uint32(nil), uids...)
			u2[0]++
			variants["uid"] = types.WeightsCommitHash(hk, netuid, u2, values, salt, vk)
			v2 := append([]uint32(nil), values...)
			v2[len(v2)-1] ^= 1
			variants["value"] = types.WeightsCommitHash(hk, netuid, uids, v2, salt, vk)
			// The last pair moved into the salt: same bytes, different fields.
			var moved []byte
			moved = binary.BigEndian.AppendUint32(moved, uids[len(uids)-1])
			moved = binary.BigEndian.AppendUint32(moved, values[len(values)-1])
			variants["pair moved into salt"] = types.WeightsCommitHash(hk, netuid, uids[:len(uids)-1], values[:len(values)-1], append(moved, salt...), vk)
		}
		for _, name := range []string{"hotkey", "netuid", "version key", "salt", "uid", "value", "pair moved into salt"} {
			if v, ok := variants[name]; ok && bytes.Equal(v, h) {
				t.Fatalf("changing the %s does not change the commit hash", name)
			}
		}
	})
}

// FuzzSetHyperparametersValidation fuzzes MsgSetHyperparameters' stateless validation: it never panics (nil burns
// included), refuses only with typed errors, and what it accepts keeps the invariants the chain relies on; what
// also passes the default governance bounds lies within them field by field.
func FuzzSetHyperparametersValidation(f *testing.F) {
	d := types.DefaultHyperparameters()
	f.Add(true, uint32(1), d.Tempo, d.MaxAllowedUids, d.MaxAllowedValidators, d.MinAllowedWeights, d.Kappa, d.BondsMovingAverage,
		d.AlphaLow, d.AlphaHigh, d.BurnHalfLife, d.BurnIncreaseMultMilli, d.CommitRevealPeriod, d.ImmuneOwnerUidsLimit, int64(500_000), int64(1_000_000), false)
	f.Add(false, uint32(0), uint64(0), uint32(0), uint32(5), uint32(9), uint32(70000), uint64(2_000_000),
		uint32(9), uint32(1), uint64(0), uint64(999), uint64(0), uint32(0), int64(-1), int64(-2), true)
	f.Fuzz(func(t *testing.T, goodOwner bool, netuid uint32, tempo uint64, maxUids, maxVals, minWeights, kappa uint32, bma uint64,
		alphaLow, alphaHigh uint32, halfLife, mult, crPeriod uint64, immune uint32, minBurn, maxBurn int64, nilBurn bool,
	) {
		hp := types.DefaultHyperparameters()
		hp.Tempo, hp.MaxAllowedUids, hp.MaxAllowedValidators, hp.MinAllowedWeights, hp.Kappa = tempo, maxUids, maxVals, minWeights, kappa
		hp.BondsMovingAverage, hp.AlphaLow, hp.AlphaHigh, hp.BurnHalfLife, hp.BurnIncreaseMultMilli = bma, alphaLow, alphaHigh, halfLife, mult
		hp.CommitRevealPeriod, hp.ImmuneOwnerUidsLimit = crPeriod, immune
		hp.MinBurn, hp.MaxBurn = math.NewInt(minBurn), math.NewInt(maxBurn)
		if nilBurn {
			hp.MinBurn = math.Int{}
		}
		owner := "not-an-address"
		if goodOwner {
			owner = addr(1)
		}
		err := (&types.MsgSetHyperparameters{Owner: owner, Netuid: netuid, Hyperparameters: hp}).ValidateBasic()
		switch {
		case !goodOwner:
			requireErr(t, "bad owner", err, types.ErrInvalidAddress)
			return
		case netuid == 0:
			requireErr(t, "netuid 0", err, types.ErrSubnetNotFound)
			return
		case err != nil:
			requireErr(t, "hyperparameters", err, types.ErrInvalidHyperparameters)
			return
		}
		// Accepted: the invariants the keeper and the epoch rely on hold.
		if nilBurn || hp.MinBurn.IsNegative() || hp.MaxBurn.IsNegative() || hp.MinBurn.GT(hp.MaxBurn) {
			t.Fatalf("accepted burns [%v, %v]", hp.MinBurn, hp.MaxBurn)
		}
		if tempo == 0 || maxUids == 0 || maxVals > maxUids || minWeights > maxUids || kappa > 65535 || bma > 1_000_000 ||
			alphaLow > alphaHigh || alphaHigh > 65535 || halfLife == 0 || mult < 1000 || crPeriod == 0 || immune == 0 {
			t.Fatalf("accepted inconsistent hyperparameters %+v", hp)
		}
		if hp.ActivityCutoff() < 1 {
			t.Fatal("activity cutoff below 1")
		}
		_ = types.BurnDecayFactorQ32(hp.BurnHalfLife)
		if hp.ValidateWithin(types.DefaultMinHyperparameters(), types.DefaultMaxHyperparameters()) == nil {
			lo, hi := types.DefaultMinHyperparameters(), types.DefaultMaxHyperparameters()
			if tempo < lo.Tempo || tempo > hi.Tempo || maxUids > hi.MaxAllowedUids || immune < lo.ImmuneOwnerUidsLimit ||
				immune > hi.ImmuneOwnerUidsLimit || hp.MaxBurn.GT(hi.MaxBurn) || mult > hi.BurnIncreaseMultMilli {
				t.Fatalf("within the default bounds but a field is outside them: %+v", hp)
			}
		}
	})
}
