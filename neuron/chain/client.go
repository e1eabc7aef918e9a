// Package chain is the neuron's client of a tokenmind node: gRPC with a deadline on every call, retries with
// exponential backoff on transient failures, a staleness watchdog over the block height, the metagraph as a
// metagraph.Source, and transactions signed by the hotkey (SIGN_MODE_DIRECT) that are followed until they are in a
// block. Nothing here blocks without a deadline.
package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/tokenmind/tokenmind/neuron/metagraph"
	emissionstypes "github.com/tokenmind/tokenmind/x/emissions/types"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

// Defaults for Config's zero values.
const (
	DefaultCallTimeout  = 5 * time.Second
	DefaultRetries      = 3
	DefaultBackoff      = 200 * time.Millisecond
	DefaultMaxBackoff   = 3 * time.Second
	DefaultStallAfter   = 30 * time.Second
	DefaultTxWait       = 30 * time.Second
	DefaultPollInterval = 500 * time.Millisecond
)

// Config configures a Client.
type Config struct {
	// GRPCAddr is the node's gRPC endpoint, host:port (e.g. 127.0.0.1:9090). The transport is insecure: use it on
	// loopback or a private network.
	GRPCAddr string
	// ChainID is required to sign transactions.
	ChainID string
	// TxConfig and InterfaceRegistry come from the app's encoding (app.New(...).TxConfig(), .InterfaceRegistry()).
	TxConfig          client.TxConfig
	InterfaceRegistry codectypes.InterfaceRegistry

	CallTimeout time.Duration // deadline of one gRPC attempt
	Retries     int           // extra attempts after a transient failure (Unavailable, DeadlineExceeded, ...)
	Backoff     time.Duration // first backoff; doubles per attempt up to MaxBackoff
	MaxBackoff  time.Duration
	StallAfter  time.Duration // no new height for this long = stalled
	TxWait      time.Duration // how long to wait for a broadcast tx to land in a block
	// PollInterval is the period of GetTx polling and of the watchdog.
	PollInterval time.Duration
	// GasLimit of hotkey transactions (fee-free up to app.MaxFreeHotkeyTxGas); 0 means 400000.
	GasLimit uint64
	Log      *slog.Logger
}

func (c *Config) defaults() {
	if c.CallTimeout <= 0 {
		c.CallTimeout = DefaultCallTimeout
	}
	if c.Retries < 0 {
		c.Retries = 0
	} else if c.Retries == 0 {
		c.Retries = DefaultRetries
	}
	if c.Backoff <= 0 {
		c.Backoff = DefaultBackoff
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.StallAfter <= 0 {
		c.StallAfter = DefaultStallAfter
	}
	if c.TxWait <= 0 {
		c.TxWait = DefaultTxWait
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.GasLimit == 0 {
		c.GasLimit = 400_000
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Client talks to one node. It is safe for concurrent use; Close releases the connection.
type Client struct {
	cfg     Config
	conn    *grpc.ClientConn
	subnets subnetstypes.QueryClient
	emis    emissionstypes.QueryClient
	auth    authtypes.QueryClient
	txs     txtypes.ServiceClient
	cmt     cmtservice.ServiceClient

	txMu sync.Mutex // one tx at a time per client keeps sequences in order

	mu         sync.Mutex
	height     int64
	blockTime  time.Time
	lastChange time.Time // local clock when height last increased
	now        func() time.Time
}

// Dial returns a client for cfg.GRPCAddr. The connection is lazy: Dial does not wait for the node.
func Dial(cfg Config) (*Client, error) {
	cfg.defaults()
	if cfg.GRPCAddr == "" {
		return nil, errors.New("chain: no gRPC address")
	}
	if cfg.InterfaceRegistry == nil {
		return nil, errors.New("chain: no interface registry")
	}
	pc := codec.NewProtoCodec(cfg.InterfaceRegistry)
	conn, err := grpc.NewClient(cfg.GRPCAddr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(pc.GRPCCodec())),
	)
	if err != nil {
		return nil, fmt.Errorf("chain: dial %s: %w", cfg.GRPCAddr, err)
	}
	return &Client{
		cfg:     cfg,
		conn:    conn,
		subnets: subnetstypes.NewQueryClient(conn),
		emis:    emissionstypes.NewQueryClient(conn),
		auth:    authtypes.NewQueryClient(conn),
		txs:     txtypes.NewServiceClient(conn),
		cmt:     cmtservice.NewServiceClient(conn),
		now:     time.Now,
	}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// transient reports whether a failed call may succeed if repeated.
func transient(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted, codes.Aborted:
		return true
	}
	return false
}

// call runs fn with a per-attempt deadline, retrying transient failures with exponential backoff until the
// retries are used up or ctx ends.
func (c *Client) call(ctx context.Context, what string, fn func(ctx context.Context) error) error {
	backoff := c.cfg.Backoff
	var err error
	for attempt := 0; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
		err = fn(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			//nolint:errorlint // the context's end is the cause; the last call's error is reported, not wrapped
			return fmt.Errorf("chain: %s: %w (last error: %v)", what, ctx.Err(), err)
		}
		if !transient(err) || attempt >= c.cfg.Retries {
			return fmt.Errorf("chain: %s: %w", what, err)
		}
		c.cfg.Log.Debug("chain call failed, retrying", "call", what, "attempt", attempt+1, "backoff", backoff, "err", err)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			//nolint:errorlint // the context's end is the cause; the last call's error is reported, not wrapped
			return fmt.Errorf("chain: %s: %w (last error: %v)", what, ctx.Err(), err)
		case <-t.C:
		}
		backoff *= 2
		if backoff > c.cfg.MaxBackoff {
			backoff = c.cfg.MaxBackoff
		}
	}
}

// observe records a height seen from the chain for the watchdog.
func (c *Client) observe(h int64, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h > c.height {
		c.height = h
		c.lastChange = c.now()
		if !t.IsZero() {
			c.blockTime = t
		}
	}
}

// Status is the watchdog's view of the chain.
type Status struct {
	Height    int64
	BlockTime time.Time     // time of the latest block seen (zero if only heights were seen)
	Since     time.Duration // since the height last increased (or since ever, before the first)
	Stalled   bool
}

// Status reports the latest height seen and whether the chain looks stalled: no new height within StallAfter.
// Before any height has been seen the chain counts as stalled.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Status{Height: c.height, BlockTime: c.blockTime}
	if c.height == 0 {
		s.Since, s.Stalled = time.Duration(1<<63-1), true
		return s
	}
	s.Since = c.now().Sub(c.lastChange)
	s.Stalled = s.Since > c.cfg.StallAfter
	return s
}

// LatestHeight asks the node for its latest block and feeds the watchdog.
func (c *Client) LatestHeight(ctx context.Context) (int64, error) {
	var res *cmtservice.GetLatestBlockResponse
	err := c.call(ctx, "latest block", func(ctx context.Context) (err error) {
		res, err = c.cmt.GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
		return err
	})
	if err != nil {
		return 0, err
	}
	if res.SdkBlock == nil {
		return 0, errors.New("chain: latest block: empty response")
	}
	c.observe(res.SdkBlock.Header.Height, res.SdkBlock.Header.Time)
	return res.SdkBlock.Header.Height, nil
}

// Watch polls the latest height every PollInterval until ctx ends, logging once when the chain stalls and once
// when it recovers. onStall (may be nil) is called on each transition with the new status.
func (c *Client) Watch(ctx context.Context, onChange func(Status)) {
	t := time.NewTicker(c.cfg.PollInterval)
	defer t.Stop()
	stalled := false
	for {
		if _, err := c.LatestHeight(ctx); err != nil && ctx.Err() == nil {
			c.cfg.Log.Debug("chain watchdog: height query failed", "err", err)
		}
		st := c.Status()
		if st.Stalled != stalled && (st.Height > 0 || !stalled) {
			stalled = st.Stalled
			if stalled {
				c.cfg.Log.Warn("chain looks stalled", "height", st.Height, "since", st.Since.Round(time.Second))
			} else {
				c.cfg.Log.Info("chain progressing again", "height", st.Height)
			}
			if onChange != nil {
				onChange(st)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Metagraph implements metagraph.Source from x/subnets' Metagraph query.
func (c *Client) Metagraph(ctx context.Context, netuid uint16) (*metagraph.Snapshot, error) {
	var res *subnetstypes.QueryMetagraphResponse
	err := c.call(ctx, "metagraph", func(ctx context.Context) (err error) {
		res, err = c.subnets.Metagraph(ctx, &subnetstypes.QueryMetagraphRequest{Netuid: uint32(netuid)})
		return err
	})
	if err != nil {
		return nil, err
	}
	snap, err := SnapshotFromResponse(netuid, res)
	if err != nil {
		return nil, err
	}
	c.observe(snap.Height, time.Time{})
	return snap, nil
}

// SnapshotFromResponse converts the chain's metagraph into the node's snapshot. Stakes above 2^64-1 umind
// saturate; negative stakes (impossible on a sound chain) count as zero.
func SnapshotFromResponse(netuid uint16, res *subnetstypes.QueryMetagraphResponse) (*metagraph.Snapshot, error) {
	snap := &metagraph.Snapshot{NetUID: netuid, Height: heightInt(res.Height), Neurons: make([]metagraph.Neuron, 0, len(res.Neurons))}
	for _, e := range res.Neurons {
		if e.Neuron.Uid > 0xFFFF {
			return nil, fmt.Errorf("chain: metagraph: uid %d out of range", e.Neuron.Uid)
		}
		hot, err := sdk.AccAddressFromBech32(e.Neuron.Hotkey)
		if err != nil {
			return nil, fmt.Errorf("chain: metagraph uid %d: hotkey: %w", e.Neuron.Uid, err)
		}
		var cold sdk.AccAddress
		if e.Neuron.Coldkey != "" {
			if cold, err = sdk.AccAddressFromBech32(e.Neuron.Coldkey); err != nil {
				return nil, fmt.Errorf("chain: metagraph uid %d: coldkey: %w", e.Neuron.Uid, err)
			}
		}
		var stake uint64
		if !e.Stake.IsNil() {
			stake = saturate(e.Stake.BigInt())
		}
		addrs := append([]string(nil), e.Neuron.Serving.Multiaddrs...)
		snap.Neurons = append(snap.Neurons, metagraph.Neuron{
			UID:             uint16(e.Neuron.Uid),
			Hotkey:          hot,
			Coldkey:         cold,
			Stake:           stake,
			ValidatorPermit: e.Output.ValidatorPermit,
			Addrs:           addrs,
		})
	}
	return snap, nil
}

func heightInt(h uint64) int64 {
	if h > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(h)
}

var maxU64 = new(big.Int).SetUint64(^uint64(0))

func saturate(b *big.Int) uint64 {
	switch {
	case b.Sign() <= 0:
		return 0
	case b.Cmp(maxU64) >= 0:
		return ^uint64(0)
	}
	return b.Uint64()
}

var _ metagraph.Source = (*Client)(nil)
