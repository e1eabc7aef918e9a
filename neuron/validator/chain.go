package validator

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"

	"github.com/tokenmind/tokenmind/neuron/chain"
)

// OnChain implements Chain with a chain client and the validator's hotkey.
type OnChain struct {
	Client *chain.Client
	Key    *cosmossecp.PrivKey
	NetUID uint16
}

var _ Chain = OnChain{}

// Height implements Chain.
func (o OnChain) Height(ctx context.Context) (int64, error) { return o.Client.LatestHeight(ctx) }

// Params implements Chain from the x/subnets Subnet query and the x/emissions NextEpoch query.
func (o OnChain) Params(ctx context.Context) (Params, error) {
	s, err := o.Client.Subnet(ctx, o.NetUID)
	if err != nil {
		return Params{}, err
	}
	hp := s.Hyperparameters
	p := Params{
		Tempo: hp.Tempo, WeightsRateLimit: hp.WeightsRateLimit, CommitRevealEnabled: hp.CommitRevealEnabled,
		CommitRevealPeriod: hp.CommitRevealPeriod, WeightsVersionKey: hp.WeightsVersionKey,
	}
	ne, err := o.Client.NextEpoch(ctx, o.NetUID)
	switch {
	case status.Code(err) == codes.NotFound: // created in this block: no schedule yet
	case err != nil:
		return Params{}, err
	default:
		p.EpochKnown, p.EpochIndex, p.BlocksUntilNextEpoch = true, ne.EpochIndex, ne.BlocksUntilNextEpoch
	}
	return p, nil
}

// SetWeights implements Chain.
func (o OnChain) SetWeights(ctx context.Context, uids, values []uint32, versionKey uint64) error {
	_, err := o.Client.SetWeights(ctx, o.Key, o.NetUID, uids, values, versionKey)
	return err
}

// CommitWeights implements Chain.
func (o OnChain) CommitWeights(ctx context.Context, hash []byte) error {
	_, err := o.Client.CommitWeights(ctx, o.Key, o.NetUID, hash)
	return err
}

// RevealWeights implements Chain.
func (o OnChain) RevealWeights(ctx context.Context, uids, values []uint32, salt []byte, versionKey uint64) error {
	_, err := o.Client.RevealWeights(ctx, o.Key, o.NetUID, uids, values, salt, versionKey)
	return err
}
