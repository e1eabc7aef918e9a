package cli

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/tokenmind/tokenmind/internal/amount"
	"github.com/tokenmind/tokenmind/x/subnets/types"
)

const (
	flagVersionKey = "version-key"
	flagSalt       = "salt"
)

// ParseWeights parses "uid:value,uid:value,…": distinct uids (0..4294967295) with values 0..65535, at most
// types.MaxWeightsPerMsg of them; spaces around items and empty items are ignored. What it returns passes the shape
// checks of MsgSetWeights and MsgRevealWeights and has no duplicate uid, so commit-weights never commits to weights
// that the chain would refuse at reveal time.
func ParseWeights(s string) (uids, values []uint32, err error) {
	seen := map[uint32]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		u, v, ok := strings.Cut(part, ":")
		if !ok {
			return nil, nil, fmt.Errorf("weight %q: want uid:value, e.g. 3:65535", part)
		}
		u, v = strings.TrimSpace(u), strings.TrimSpace(v)
		uid, err := strconv.ParseUint(u, 10, 32)
		if err != nil || !amount.IsDigits(u) {
			return nil, nil, fmt.Errorf("weight %q: uid must be a whole number from 0 to 4294967295, got %q", part, u)
		}
		val, err := strconv.ParseUint(v, 10, 16)
		if err != nil || !amount.IsDigits(v) {
			return nil, nil, fmt.Errorf("weight %q: value must be a whole number from 0 to 65535, got %q", part, v)
		}
		if seen[uint32(uid)] {
			return nil, nil, fmt.Errorf("uid %d is given more than once; give each uid one value", uid)
		}
		seen[uint32(uid)] = true
		uids, values = append(uids, uint32(uid)), append(values, uint32(val))
	}
	if len(uids) == 0 {
		return nil, nil, fmt.Errorf("no weights given; want uid:value,uid:value, e.g. 3:65535,4:32768")
	}
	if len(uids) > types.MaxWeightsPerMsg {
		return nil, nil, fmt.Errorf("%d weights given; at most %d per message", len(uids), types.MaxWeightsPerMsg)
	}
	return uids, values, nil
}

func parseSalt(cmd *cobra.Command) ([]byte, error) {
	s, _ := cmd.Flags().GetString(flagSalt)
	return parseSaltHex(s)
}

// parseSaltHex decodes --salt: non-empty hex of at most types.MaxSaltLength bytes (a longer salt would make a commit
// that can never be revealed).
func parseSaltHex(s string) ([]byte, error) {
	salt, err := hex.DecodeString(s)
	if err != nil || len(salt) == 0 {
		return nil, fmt.Errorf("--salt must be non-empty hex, e.g. $(openssl rand -hex 16)")
	}
	if len(salt) > types.MaxSaltLength {
		return nil, fmt.Errorf("--salt is %d bytes; at most %d are accepted at reveal, e.g. $(openssl rand -hex 16)", len(salt), types.MaxSaltLength)
	}
	return salt, nil
}

// NewSetWeightsCmd sets a validator hotkey's weights.
func NewSetWeightsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "set-weights [netuid] [uid:value,...]",
		Short:   "Set the weights of hotkey --from on a subnet (fee-free for registered hotkeys)",
		Example: "tokenmindd tx subnets set-weights 1 3:65535,4:32768,7:1000 --from validator-hotkey",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			uids, values, err := ParseWeights(args[1])
			if err != nil {
				return err
			}
			vk, _ := cmd.Flags().GetUint64(flagVersionKey)
			msg := &types.MsgSetWeights{Hotkey: clientCtx.GetFromAddress().String(), Netuid: netuid, Uids: uids, Values: values, VersionKey: vk}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().Uint64(flagVersionKey, 0, "weights version key (must be >= the subnet's weights_version_key)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// NewCommitWeightsCmd commits to weights on a commit-reveal subnet; the hash is computed locally.
func NewCommitWeightsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "commit-weights [netuid] [uid:value,...]",
		Short: "Commit to weights on a commit-reveal subnet (reveal later with the same weights, --salt and --version-key)",
		Example: "tokenmindd tx subnets commit-weights 1 3:65535,4:32768 --salt 9f2c01aa --from validator-hotkey\n" +
			"tokenmindd tx subnets reveal-weights 1 3:65535,4:32768 --salt 9f2c01aa --from validator-hotkey",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, w, err := parseSaltedWeights(cmd, args)
			if err != nil {
				return err
			}
			hash := types.WeightsCommitHash(clientCtx.GetFromAddress(), w.netuid, w.uids, w.values, w.salt, w.versionKey)
			msg := &types.MsgCommitWeights{Hotkey: clientCtx.GetFromAddress().String(), Netuid: w.netuid, CommitHash: hash}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().Uint64(flagVersionKey, 0, "weights version key")
	cmd.Flags().String(flagSalt, "", "hex salt; keep it to reveal")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// NewRevealWeightsCmd reveals committed weights.
func NewRevealWeightsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "reveal-weights [netuid] [uid:value,...]",
		Short:   "Reveal weights committed commit_reveal_period epochs ago",
		Example: "tokenmindd tx subnets reveal-weights 1 3:65535,4:32768 --salt 9f2c01aa --from validator-hotkey",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, w, err := parseSaltedWeights(cmd, args)
			if err != nil {
				return err
			}
			msg := &types.MsgRevealWeights{
				Hotkey: clientCtx.GetFromAddress().String(), Netuid: w.netuid, Uids: w.uids,
				Values: w.values, Salt: w.salt, VersionKey: w.versionKey,
			}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().Uint64(flagVersionKey, 0, "weights version key used in the commit")
	cmd.Flags().String(flagSalt, "", "hex salt used in the commit")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// saltedWeights are the inputs a commit and its reveal must share.
type saltedWeights struct {
	netuid       uint32
	uids, values []uint32
	salt         []byte
	versionKey   uint64
}

// parseSaltedWeights reads [netuid] [uid:value,...], --salt and --version-key, the same way for commit and reveal,
// so that a reveal typed like its commit matches it.
func parseSaltedWeights(cmd *cobra.Command, args []string) (client.Context, saltedWeights, error) {
	var w saltedWeights
	clientCtx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return clientCtx, w, err
	}
	if w.netuid, err = parseNetuid(args[0]); err != nil {
		return clientCtx, w, err
	}
	if w.uids, w.values, err = ParseWeights(args[1]); err != nil {
		return clientCtx, w, err
	}
	if w.salt, err = parseSalt(cmd); err != nil {
		return clientCtx, w, err
	}
	w.versionKey, _ = cmd.Flags().GetUint64(flagVersionKey)
	return clientCtx, w, nil
}
