package chain

import (
	"context"
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/tokenmind/tokenmind/neuron/identity"
	emissionstypes "github.com/tokenmind/tokenmind/x/emissions/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// Subnet returns a subnet's record (hyperparameters included) from x/subnets.
func (c *Client) Subnet(ctx context.Context, netuid uint16) (*subnetstypes.Subnet, error) {
	var res *subnetstypes.QuerySubnetResponse
	err := c.call(ctx, "subnet", func(ctx context.Context) (err error) {
		res, err = c.subnets.Subnet(ctx, &subnetstypes.QuerySubnetRequest{Netuid: uint32(netuid)})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &res.Subnet, nil
}

// NextEpoch returns the subnet's epoch schedule from x/emissions: the last and next epoch heights, the blocks until
// the next one and the epoch index (epochs run so far; commit-reveal counts reveal delays in it). A subnet created in
// the current block is not scheduled yet: gRPC NotFound.
func (c *Client) NextEpoch(ctx context.Context, netuid uint16) (*emissionstypes.QueryNextEpochResponse, error) {
	var res *emissionstypes.QueryNextEpochResponse
	err := c.call(ctx, "next epoch", func(ctx context.Context) (err error) {
		res, err = c.emis.NextEpoch(ctx, &emissionstypes.QueryNextEpochRequest{Netuid: uint32(netuid)})
		return err
	})
	return res, err
}

// ErrNoPubKey means the account has never signed a transaction, so the chain does not know its public key.
var ErrNoPubKey = errors.New("chain: account has no public key on chain yet")

// PeerID resolves a hotkey address to its libp2p peer ID from the public key in the account record (set by the
// account's first transaction, e.g. a miner's MsgServe). It fits gateway.Config.PeerID.
func (c *Client) PeerID(ctx context.Context, addr sdk.AccAddress) (peer.ID, error) {
	var res *authtypes.QueryAccountInfoResponse
	err := c.call(ctx, "account info", func(ctx context.Context) (err error) {
		res, err = c.auth.AccountInfo(ctx, &authtypes.QueryAccountInfoRequest{Address: addr.String()})
		return err
	})
	if err != nil {
		return "", err
	}
	if res.Info == nil || res.Info.PubKey == nil {
		return "", fmt.Errorf("%w: %s", ErrNoPubKey, addr)
	}
	any := res.Info.PubKey
	if any.TypeUrl != sdk.MsgTypeURL(&cosmossecp.PubKey{}) {
		return "", fmt.Errorf("chain: account %s has a %s key; hotkeys are secp256k1", addr, any.TypeUrl)
	}
	var pk cosmossecp.PubKey
	if err := pk.Unmarshal(any.Value); err != nil {
		return "", fmt.Errorf("chain: account %s: malformed public key: %w", addr, err)
	}
	if !sdk.AccAddress(pk.Address()).Equals(addr) {
		return "", fmt.Errorf("chain: account %s carries the public key of %s", addr, sdk.AccAddress(pk.Address()))
	}
	return identity.PeerIDFromCosmosPubKey(&pk)
}
