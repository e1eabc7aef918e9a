package types

import (
	"fmt"
	"strings"
	"unicode/utf8"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/x/internal/validate"
)

// Limits on user-supplied strings, so that no Msg can bloat state.
const (
	MaxNameLength        = 64
	MaxDescriptionLength = 1024
	MaxTaskKindLength    = 64
	MaxURLLength         = 256
	MaxMultiaddrLength   = 256
	MaxModelLength       = 128
)

var (
	_ sdk.Msg = &MsgCreateSubnet{}
	_ sdk.Msg = &MsgSetHyperparameters{}
	_ sdk.Msg = &MsgRegisterNeuron{}
	_ sdk.Msg = &MsgServe{}
	_ sdk.Msg = &MsgUpdateParams{}
)

// validAddress checks a bech32 account address with the address codec, naming the field in the error.
func validAddress(field, addr string) error {
	_, err := validate.AccAddress(ErrInvalidAddress, field, addr)
	return err
}

// validNetuid checks that a netuid can name a subnet (they start at 1).
func validNetuid(netuid uint32) error {
	return validate.Netuid(ErrSubnetNotFound, "netuid", netuid)
}

func checkText(field, v string, maxLen int, required bool) error {
	if required && strings.TrimSpace(v) == "" {
		return fmt.Errorf("%s is required", field)
	}
	if len(v) > maxLen {
		return fmt.Errorf("%s is %d bytes long; at most %d allowed", field, len(v), maxLen)
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%s is not valid UTF-8", field)
	}
	for _, r := range v {
		if r < 0x20 && r != '\n' && r != '\t' {
			return fmt.Errorf("%s contains a control character", field)
		}
	}
	return nil
}

// ValidTaskKind reports whether s is a task kind: lower-case letters, digits, '-', '_' and '.'.
func ValidTaskKind(s string) bool {
	if s == "" || len(s) > MaxTaskKindLength {
		return false
	}
	for _, r := range s {
		lower, digit := r >= 'a' && r <= 'z', r >= '0' && r <= '9'
		if !lower && !digit && r != '-' && r != '_' && r != '.' {
			return false
		}
	}
	return true
}

// Validate checks a subnet identity.
func (id SubnetIdentity) Validate() error {
	if err := checkText("name", id.Name, MaxNameLength, true); err != nil {
		return errorsmod.Wrap(ErrInvalidIdentity, err.Error())
	}
	if err := checkText("description", id.Description, MaxDescriptionLength, false); err != nil {
		return errorsmod.Wrap(ErrInvalidIdentity, err.Error())
	}
	if !ValidTaskKind(id.TaskKind) {
		return errorsmod.Wrapf(ErrInvalidIdentity, "task_kind %q must be 1-%d chars of a-z, 0-9, '-', '_' or '.'", id.TaskKind, MaxTaskKindLength)
	}
	if err := checkText("url", id.Url, MaxURLLength, false); err != nil {
		return errorsmod.Wrap(ErrInvalidIdentity, err.Error())
	}
	return nil
}

// validLimit checks a price limit: an amount >= 0, where 0 means no limit.
func validLimit(field string, v math.Int) error {
	if v.IsNil() || v.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidParams, "%s is %s; want an amount in umind >= 0 (0 means no limit)", field, v)
	}
	return nil
}

// ValidateBasic checks the Msg without state.
func (m *MsgCreateSubnet) ValidateBasic() error {
	if err := validAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := validLimit("max_cost", m.MaxCost); err != nil {
		return err
	}
	return m.Identity.Validate()
}

// ValidateBasic checks the Msg without state.
func (m *MsgSetHyperparameters) ValidateBasic() error {
	if err := validAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := validNetuid(m.Netuid); err != nil {
		return err
	}
	if err := m.Hyperparameters.Validate(); err != nil {
		return errorsmod.Wrap(ErrInvalidHyperparameters, err.Error())
	}
	return nil
}

// ValidateBasic checks the Msg without state.
func (m *MsgRegisterNeuron) ValidateBasic() error {
	if err := validAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	if err := validAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if m.Coldkey == m.Hotkey {
		return errorsmod.Wrapf(ErrHotkeyIsColdkey, "create a separate key for the neuron (tokenmindd keys add NAME-hot)")
	}
	if err := validNetuid(m.Netuid); err != nil {
		return err
	}
	return validLimit("max_burn", m.MaxBurn)
}

// ValidateMultiaddr checks the syntax of a libp2p multiaddr string: "/proto/value/..." with known transports.
func ValidateMultiaddr(s string) error {
	if len(s) == 0 || len(s) > MaxMultiaddrLength {
		return fmt.Errorf("multiaddr must be 1-%d bytes", MaxMultiaddrLength)
	}
	if !strings.HasPrefix(s, "/") {
		return fmt.Errorf("multiaddr %q must start with '/', e.g. /ip4/1.2.3.4/tcp/4001", s)
	}
	parts := strings.Split(s[1:], "/")
	if len(parts) < 2 {
		return fmt.Errorf("multiaddr %q needs a protocol and a value, e.g. /dns4/miner-1/tcp/4001", s)
	}
	switch parts[0] {
	case "ip4", "ip6", "dns", "dns4", "dns6":
	default:
		return fmt.Errorf("multiaddr %q must start with /ip4, /ip6, /dns, /dns4 or /dns6", s)
	}
	for _, p := range parts {
		if p == "" {
			return fmt.Errorf("multiaddr %q has an empty component", s)
		}
		for _, r := range p {
			if r <= 0x20 || r == 0x7f {
				return fmt.Errorf("multiaddr %q contains a space or control character", s)
			}
		}
	}
	return nil
}

// ValidateBasic checks the Msg without state. maxAddrs is enforced by the keeper from params.
func (m *MsgServe) ValidateBasic() error {
	if err := validAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := validNetuid(m.Netuid); err != nil {
		return err
	}
	if len(m.Multiaddrs) == 0 {
		return errorsmod.Wrapf(ErrInvalidServingInfo, "at least one multiaddr is required")
	}
	seen := make(map[string]struct{}, len(m.Multiaddrs))
	for _, a := range m.Multiaddrs {
		if err := ValidateMultiaddr(a); err != nil {
			return errorsmod.Wrap(ErrInvalidServingInfo, err.Error())
		}
		if _, dup := seen[a]; dup {
			return errorsmod.Wrapf(ErrInvalidServingInfo, "multiaddr %q is listed twice", a)
		}
		seen[a] = struct{}{}
	}
	if m.Task != "" && !ValidTaskKind(m.Task) {
		return errorsmod.Wrapf(ErrInvalidServingInfo, "task %q is not a valid task kind", m.Task)
	}
	for _, f := range []struct{ name, v string }{{"model", m.Model}, {"model_version", m.ModelVersion}} {
		if err := checkText(f.name, f.v, MaxModelLength, false); err != nil {
			return errorsmod.Wrap(ErrInvalidServingInfo, err.Error())
		}
	}
	return nil
}

// ValidateBasic checks the authority's address. As in x/mint, the msg server checks that the authority is gov's and
// then validates the params, so a gov proposal with invalid params fails at execution with the params' error.
func (m *MsgUpdateParams) ValidateBasic() error {
	return validAddress("authority", m.Authority)
}
