package protocol

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// ClientConfig configures the requesting side (validator or gateway).
type ClientConfig struct {
	Timeout         time.Duration // used when the caller's context has no deadline
	MaxRequestSize  int           // refuse to send larger requests
	MaxResponseSize int
	Metrics         *Metrics
}

// Client sends queries from a host.
type Client struct {
	h    host.Host
	self sdk.AccAddress
	cfg  ClientConfig
}

// NewClient returns a client whose requests name the host's own hotkey as requester.
func NewClient(h host.Host, cfg ClientConfig) (*Client, error) {
	self, err := identity.AddressFromPeerID(h.ID())
	if err != nil {
		return nil, fmt.Errorf("protocol: client host is not a hotkey: %w", err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRequestSize <= 0 {
		cfg.MaxRequestSize = DefaultMaxRequestSize
	}
	if cfg.MaxResponseSize <= 0 {
		cfg.MaxResponseSize = DefaultMaxResponseSize
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(nil)
	}
	return &Client{h: h, self: self, cfg: cfg}, nil
}

// Result is a verified answer.
type Result struct {
	Response *types.Response
	Receipt  *types.Receipt
	Latency  time.Duration
}

// Query sends one request to miner p and waits for its signed answer until ctx's deadline (or the client's
// timeout). A returned Result always carries a verified signature; its Response.Status may still be non-OK.
func (c *Client) Query(ctx context.Context, p peer.ID, netuid uint16, task string, payload []byte) (*Result, error) {
	start := time.Now()
	res, err := c.query(ctx, p, netuid, task, payload)
	status := "ERROR"
	if err == nil {
		status = res.Response.Status.String()
		res.Latency = time.Since(start)
	} else if errors.Is(err, context.DeadlineExceeded) {
		status = "CLIENT_TIMEOUT"
	}
	c.cfg.Metrics.Requests.WithLabelValues("client", task, status, p.String()).Inc()
	c.cfg.Metrics.Latency.WithLabelValues("client", task, p.String()).Observe(time.Since(start).Seconds())
	return res, err
}

func (c *Client) query(ctx context.Context, p peer.ID, netuid uint16, task string, payload []byte) (*Result, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	deadline, _ := ctx.Deadline()
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	req := &types.Request{
		RequestId: id, Netuid: uint32(netuid), Task: task, Payload: payload,
		DeadlineUnixMs: deadline.UnixMilli(), Requester: c.self,
	}
	reqBytes, err := req.Marshal()
	if err != nil {
		return nil, err
	}
	if len(reqBytes) > c.cfg.MaxRequestSize {
		return nil, fmt.Errorf("protocol: request of %d bytes exceeds limit %d", len(reqBytes), c.cfg.MaxRequestSize)
	}
	return c.exchange(ctx, p, reqBytes, id)
}

// exchange opens a stream, writes reqBytes and reads and verifies the answer.
func (c *Client) exchange(ctx context.Context, p peer.ID, reqBytes, id []byte) (*Result, error) {
	deadline, _ := ctx.Deadline()
	str, err := c.h.NewStream(ctx, p, ID)
	if err != nil {
		return nil, fmt.Errorf("protocol: open stream to %s: %w", p, err)
	}
	_ = str.SetDeadline(deadline)
	// Closing the stream when ctx ends unblocks both the writer and the reader.
	stop := context.AfterFunc(ctx, func() { _ = str.Reset() })
	defer stop()

	// Write concurrently with the read: a miner refusing an oversized request answers without reading it all,
	// and that answer must not wait behind a write blocked on flow control.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := WriteFrame(str, reqBytes); err == nil {
			_ = str.CloseWrite()
		}
	}()
	frame, err := ReadFrame(bufio.NewReader(str), c.cfg.MaxResponseSize)
	if err != nil {
		_ = str.Reset()
		wg.Wait()
		if cerr := ctx.Err(); cerr != nil {
			return nil, fmt.Errorf("protocol: query %s: %w", p, cerr)
		}
		if !time.Now().Before(deadline) { // the stream deadline fired a moment before ctx noticed
			return nil, fmt.Errorf("protocol: query %s: %w", p, context.DeadlineExceeded)
		}
		return nil, fmt.Errorf("protocol: read answer from %s: %w", p, err)
	}
	_ = str.Reset() // the exchange is complete; release the stream and any blocked write now
	wg.Wait()

	var sr types.SignedResponse
	if err := sr.Unmarshal(frame); err != nil {
		return nil, fmt.Errorf("protocol: malformed answer from %s: %w", p, err)
	}
	var resp types.Response
	if err := resp.Unmarshal(sr.Body); err != nil {
		return nil, fmt.Errorf("protocol: malformed answer body from %s: %w", p, err)
	}
	pub := str.Conn().RemotePublicKey()
	if pub == nil {
		return nil, errors.New("protocol: connection has no remote key")
	}
	miner, err := identity.AddressFromPubKey(pub)
	if err != nil {
		return nil, err
	}
	reqHash, respHash := Hash(reqBytes), Hash(sr.Body)
	signedReq := reqBytes
	if ok, err := pub.Verify(SigningMessage(reqHash, respHash), sr.Signature); err != nil || !ok {
		// A miner that refused a request without reading it (oversized) signs over the empty request.
		if resp.Status != types.Status_STATUS_BAD_REQUEST || len(resp.RequestId) != 0 {
			return nil, fmt.Errorf("%w from %s", ErrBadSignature, p)
		}
		reqHash, signedReq = Hash(nil), nil
		if ok, err := pub.Verify(SigningMessage(reqHash, respHash), sr.Signature); err != nil || !ok {
			return nil, fmt.Errorf("%w from %s", ErrBadSignature, p)
		}
	} else if !bytes.Equal(resp.RequestId, id) {
		return nil, fmt.Errorf("protocol: answer for request %x, sent %x", resp.RequestId, id)
	}
	if !bytes.Equal(resp.Miner, miner) {
		return nil, fmt.Errorf("protocol: answer names miner %x, connection key is %x", resp.Miner, miner.Bytes())
	}
	raw, _ := pub.Raw()
	return &Result{
		Response: &resp,
		Receipt: &types.Receipt{
			RequestHash: reqHash, ResponseHash: respHash, Signature: sr.Signature,
			Miner: miner, MinerPubkey: raw, Request: signedReq, Response: sr.Body,
		},
	}, nil
}

// Outcome is one miner's result in a fan-out.
type Outcome struct {
	Peer   peer.ID
	Result *Result
	Err    error
}

// QueryAll sends the same request to every peer concurrently and returns when all have answered or ctx ended;
// a miner that never answers costs at most ctx's deadline. Outcomes are in the order of peers.
func (c *Client) QueryAll(ctx context.Context, peers []peer.ID, netuid uint16, task string, payload []byte) []Outcome {
	out := make([]Outcome, len(peers))
	var wg sync.WaitGroup
	for i, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.Query(ctx, p, netuid, task, payload)
			out[i] = Outcome{Peer: p, Result: r, Err: err}
		}()
	}
	wg.Wait()
	return out
}
