package chain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// TxError is a transaction the chain refused, in CheckTx or in its block.
type TxError struct {
	TxHash    string
	Height    int64 // 0 if refused before inclusion
	Codespace string
	Code      uint32
	Log       string
}

func (e *TxError) Error() string {
	where := "refused at broadcast"
	if e.Height > 0 {
		where = fmt.Sprintf("failed in block %d", e.Height)
	}
	return fmt.Sprintf("chain: tx %s %s: codespace %s code %d: %s", e.TxHash, where, e.Codespace, e.Code, e.Log)
}

// TxResult is a transaction included in a block with code 0.
type TxResult struct {
	TxHash  string
	Height  int64
	GasUsed int64
}

// ErrTxNotIncluded means the tx was accepted into the mempool but not seen in a block within TxWait. It may still
// land later.
var ErrTxNotIncluded = errors.New("chain: tx not included in time")

// Broadcast signs msgs with key (SIGN_MODE_DIRECT, account number and sequence from the auth query, no fee),
// broadcasts them in sync mode and waits until the tx is in a block. A refused or failed tx returns a *TxError.
// A sequence mismatch (another tx from the same key got there first) is retried once with a fresh sequence.
func (c *Client) Broadcast(ctx context.Context, key *cosmossecp.PrivKey, msgs ...sdk.Msg) (*TxResult, error) {
	if c.cfg.TxConfig == nil || c.cfg.ChainID == "" {
		return nil, errors.New("chain: broadcasting needs TxConfig and ChainID")
	}
	c.txMu.Lock()
	defer c.txMu.Unlock()
	res, err := c.broadcastOnce(ctx, key, msgs)
	var te *TxError
	if errors.As(err, &te) && te.Height == 0 && te.Codespace == sdkerrors.RootCodespace && te.Code == sdkerrors.ErrWrongSequence.ABCICode() {
		c.cfg.Log.Info("account sequence mismatch, re-signing", "tx", te.TxHash)
		res, err = c.broadcastOnce(ctx, key, msgs)
	}
	return res, err
}

func (c *Client) broadcastOnce(ctx context.Context, key *cosmossecp.PrivKey, msgs []sdk.Msg) (*TxResult, error) {
	addr := sdk.AccAddress(key.PubKey().Address())
	var acc *authtypes.QueryAccountInfoResponse
	if err := c.call(ctx, "account info", func(ctx context.Context) (err error) {
		acc, err = c.auth.AccountInfo(ctx, &authtypes.QueryAccountInfoRequest{Address: addr.String()})
		return err
	}); err != nil {
		if status.Code(errors.Unwrap(err)) == codes.NotFound {
			return nil, fmt.Errorf("chain: account %s does not exist (register the hotkey first): %w", addr, err)
		}
		return nil, err
	}
	if acc.Info == nil {
		return nil, fmt.Errorf("chain: account %s: empty account info", addr)
	}
	txBytes, err := c.sign(ctx, key, acc.Info.AccountNumber, acc.Info.Sequence, msgs)
	if err != nil {
		return nil, err
	}
	var br *txtypes.BroadcastTxResponse
	// Retrying a broadcast is safe: the same bytes have the same hash, and a duplicate is refused by the mempool.
	if err := c.call(ctx, "broadcast", func(ctx context.Context) (err error) {
		br, err = c.txs.BroadcastTx(ctx, &txtypes.BroadcastTxRequest{TxBytes: txBytes, Mode: txtypes.BroadcastMode_BROADCAST_MODE_SYNC})
		return err
	}); err != nil {
		return nil, err
	}
	r := br.TxResponse
	if r == nil {
		return nil, errors.New("chain: broadcast: empty response")
	}
	if r.Code != 0 {
		return nil, &TxError{TxHash: r.TxHash, Codespace: r.Codespace, Code: r.Code, Log: r.RawLog}
	}
	return c.waitTx(ctx, r.TxHash)
}

func (c *Client) sign(ctx context.Context, key *cosmossecp.PrivKey, accNum, seq uint64, msgs []sdk.Msg) ([]byte, error) {
	tc := c.cfg.TxConfig
	b := tc.NewTxBuilder()
	if err := b.SetMsgs(msgs...); err != nil {
		return nil, fmt.Errorf("chain: build tx: %w", err)
	}
	b.SetGasLimit(c.cfg.GasLimit)
	mode := signing.SignMode_SIGN_MODE_DIRECT
	pub := key.PubKey()
	// DIRECT signs over the signer infos, so they are set (with an empty signature) before signing.
	if err := b.SetSignatures(signing.SignatureV2{PubKey: pub, Data: &signing.SingleSignatureData{SignMode: mode}, Sequence: seq}); err != nil {
		return nil, fmt.Errorf("chain: build tx: %w", err)
	}
	sd := authsigning.SignerData{
		Address:       sdk.AccAddress(pub.Address()).String(),
		ChainID:       c.cfg.ChainID,
		AccountNumber: accNum,
		Sequence:      seq,
		PubKey:        pub,
	}
	sig, err := clienttx.SignWithPrivKey(ctx, mode, sd, b, key, tc, seq)
	if err != nil {
		return nil, fmt.Errorf("chain: sign tx: %w", err)
	}
	if err := b.SetSignatures(sig); err != nil {
		return nil, fmt.Errorf("chain: sign tx: %w", err)
	}
	bz, err := tc.TxEncoder()(b.GetTx())
	if err != nil {
		return nil, fmt.Errorf("chain: encode tx: %w", err)
	}
	return bz, nil
}

// waitTx polls GetTx until the tx is in a block, TxWait passes, or ctx ends.
func (c *Client) waitTx(ctx context.Context, hash string) (*TxResult, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.TxWait)
	defer cancel()
	t := time.NewTicker(c.cfg.PollInterval)
	defer t.Stop()
	for {
		actx, acancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
		res, err := c.txs.GetTx(actx, &txtypes.GetTxRequest{Hash: hash})
		acancel()
		switch {
		case err == nil && res.TxResponse != nil:
			r := res.TxResponse
			c.observe(r.Height, time.Time{})
			if r.Code != 0 {
				return nil, &TxError{TxHash: hash, Height: r.Height, Codespace: r.Codespace, Code: r.Code, Log: r.RawLog}
			}
			return &TxResult{TxHash: hash, Height: r.Height, GasUsed: r.GasUsed}, nil
		case err != nil && status.Code(err) != codes.NotFound && !transient(err) && !strings.Contains(err.Error(), "not found"):
			return nil, fmt.Errorf("chain: get tx %s: %w", hash, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %s after %s", ErrTxNotIncluded, hash, c.cfg.TxWait)
		case <-t.C:
		}
	}
}

// ServeInfo is what a miner announces with MsgServe.
type ServeInfo struct {
	NetUID          uint16
	Multiaddrs      []string
	ProtocolVersion uint32
	Task            string
	Model           string
	ModelVersion    string
}

// Serve sends MsgServe signed by the hotkey (fee-free for a registered hotkey).
func (c *Client) Serve(ctx context.Context, key *cosmossecp.PrivKey, s ServeInfo) (*TxResult, error) {
	msg := &subnetstypes.MsgServe{
		Hotkey:          sdk.AccAddress(key.PubKey().Address()).String(),
		Netuid:          uint32(s.NetUID),
		Multiaddrs:      s.Multiaddrs,
		ProtocolVersion: s.ProtocolVersion,
		Task:            s.Task,
		Model:           s.Model,
		ModelVersion:    s.ModelVersion,
	}
	return c.Broadcast(ctx, key, msg)
}
