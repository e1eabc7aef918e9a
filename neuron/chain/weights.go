package chain

import (
	"context"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// hotkeyOf is the bech32 address of the hotkey that signs.
func hotkeyOf(key *cosmossecp.PrivKey) string { return sdk.AccAddress(key.PubKey().Address()).String() }

// SetWeights sends MsgSetWeights (fee-free for a registered hotkey).
func (c *Client) SetWeights(ctx context.Context, key *cosmossecp.PrivKey, netuid uint16, uids, values []uint32, versionKey uint64) (*TxResult, error) {
	return c.Broadcast(ctx, key, &subnetstypes.MsgSetWeights{
		Hotkey: hotkeyOf(key), Netuid: uint32(netuid), Uids: uids, Values: values, VersionKey: versionKey,
	})
}

// CommitWeights sends MsgCommitWeights with hash = subnetstypes.WeightsCommitHash(...).
func (c *Client) CommitWeights(ctx context.Context, key *cosmossecp.PrivKey, netuid uint16, hash []byte) (*TxResult, error) {
	return c.Broadcast(ctx, key, &subnetstypes.MsgCommitWeights{Hotkey: hotkeyOf(key), Netuid: uint32(netuid), CommitHash: hash})
}

// RevealWeights sends MsgRevealWeights for an earlier commit.
func (c *Client) RevealWeights(ctx context.Context, key *cosmossecp.PrivKey, netuid uint16, uids, values []uint32, salt []byte, versionKey uint64) (*TxResult, error) {
	return c.Broadcast(ctx, key, &subnetstypes.MsgRevealWeights{
		Hotkey: hotkeyOf(key), Netuid: uint32(netuid), Uids: uids, Values: values, Salt: salt, VersionKey: versionKey,
	})
}
