package types

import (
	"crypto/sha256"
	"encoding/binary"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// MaxPendingCommits is how many weight commits one hotkey may have pending on one subnet.
	MaxPendingCommits = 10
	// MaxWeightsPerMsg bounds the rows a Msg may carry before any state is read (the largest max_allowed_uids).
	MaxWeightsPerMsg = 4096
	// MaxSaltLength bounds a reveal's salt.
	MaxSaltLength = 256
	// commitHashDomain separates weight commit hashes from any other sha256 use.
	commitHashDomain = "tokenmind/weights-commit/v1"
)

func validateWeightVectors(uids, values []uint32) error {
	if len(uids) != len(values) {
		return errorsmod.Wrapf(ErrWeightsLengthMismatch, "%d uids but %d values; give one value per uid", len(uids), len(values))
	}
	if len(uids) > MaxWeightsPerMsg {
		return errorsmod.Wrapf(ErrTooManyWeights, "%d weights, at most %d per message", len(uids), MaxWeightsPerMsg)
	}
	for i, v := range values {
		if v > 65535 {
			return errorsmod.Wrapf(ErrMaxWeightExceeded, "value %d of uid %d is above 65535 (weights are u16)", v, uids[i])
		}
	}
	return nil
}

// ValidateBasic checks the shape of the message; MsgServer.SetWeights runs the stateful checks.
func (m *MsgSetWeights) ValidateBasic() error {
	if err := validAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := validNetuid(m.Netuid); err != nil {
		return err
	}
	return validateWeightVectors(m.Uids, m.Values)
}

// ValidateBasic checks the shape of the message.
func (m *MsgCommitWeights) ValidateBasic() error {
	if err := validAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := validNetuid(m.Netuid); err != nil {
		return err
	}
	if len(m.CommitHash) != sha256.Size {
		return errorsmod.Wrapf(ErrInvalidCommitHash, "commit hash has %d bytes, want %d (sha256, see WeightsCommitHash)", len(m.CommitHash), sha256.Size)
	}
	return nil
}

// ValidateBasic checks the shape of the message.
func (m *MsgRevealWeights) ValidateBasic() error {
	if err := validAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := validNetuid(m.Netuid); err != nil {
		return err
	}
	if len(m.Salt) > MaxSaltLength {
		return errorsmod.Wrapf(ErrInvalidCommitHash, "salt has %d bytes, at most %d", len(m.Salt), MaxSaltLength)
	}
	return validateWeightVectors(m.Uids, m.Values)
}

// WeightsCommitHash is the hash MsgCommitWeights carries and MsgRevealWeights must reproduce:
//
//	sha256( "tokenmind/weights-commit/v1"
//	      ‖ u32be(len(hotkey)) ‖ hotkey address bytes
//	      ‖ u32be(netuid)
//	      ‖ u32be(len(uids)) ‖ u32be(uid)…  ‖ u32be(value)…
//	      ‖ u32be(len(salt)) ‖ salt
//	      ‖ u64be(version_key) )
//
// Every field is length-prefixed or fixed-width (values share the uids' length prefix), so two inputs with one value
// per uid (the only ones MsgRevealWeights accepts) never encode to the same bytes; a commit therefore opens to one
// set of weights only. With len(values) != len(uids) the encoding is ambiguous, which is why callers must validate
// the vectors first (commit-weights in the CLI parses them as a reveal would).
func WeightsCommitHash(hotkey sdk.AccAddress, netuid uint32, uids, values []uint32, salt []byte, versionKey uint64) []byte {
	h := sha256.New()
	var b4 [4]byte
	var b8 [8]byte
	u32 := func(v uint32) {
		binary.BigEndian.PutUint32(b4[:], v)
		h.Write(b4[:])
	}
	h.Write([]byte(commitHashDomain))
	u32(uint32(len(hotkey)))
	h.Write(hotkey)
	u32(netuid)
	u32(uint32(len(uids)))
	for _, u := range uids {
		u32(u)
	}
	for _, v := range values {
		u32(v)
	}
	u32(uint32(len(salt)))
	h.Write(salt)
	binary.BigEndian.PutUint64(b8[:], versionKey)
	h.Write(b8[:])
	return h.Sum(nil)
}
