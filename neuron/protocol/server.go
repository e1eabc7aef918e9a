package protocol

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pproto "github.com/libp2p/go-libp2p/core/protocol"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// ID is the stream protocol of a query.
const ID = libp2pproto.ID("/tokenmind/query/1.0.0")

// Limits shared by both sides unless configured.
const (
	DefaultMaxRequestSize  = 1 << 20
	DefaultMaxResponseSize = 4 << 20
	DefaultTimeout         = 12 * time.Second
	DefaultReadTimeout     = 5 * time.Second
	DefaultMaxConcurrent   = 32
)

// ErrBadPayload is what a Handler wraps when the request payload is invalid; the miner answers BAD_REQUEST.
var ErrBadPayload = errors.New("bad payload")

// Call is one request as a Handler sees it.
type Call struct {
	NetUID    uint16
	Task      string
	Payload   []byte
	Requester sdk.AccAddress
}

// Handler serves one task. It must return when ctx ends.
type Handler interface {
	Handle(ctx context.Context, c Call) (payload []byte, err error)
	ModelID() string
}

// Handlers finds the handler of a task.
type Handlers interface {
	Handler(task string) (Handler, bool)
}

// ServerConfig configures a miner's query server.
type ServerConfig struct {
	Key            crypto.PrivKey // the hotkey, signs every response
	NetUID         uint16
	Handlers       Handlers
	MaxConcurrent  int           // requests worked on at once; more get OVERLOADED at once
	Timeout        time.Duration // upper bound per request; the request's own deadline may shorten it
	ReadTimeout    time.Duration // time allowed to receive the request
	MaxRequestSize int
	// Authorizer, when set, is checked per stream in addition to the connection gater.
	Authorizer interface{ Allowed(peer.ID) bool }
	Metrics    *Metrics
	Log        *slog.Logger
}

// Server answers queries on a host.
type Server struct {
	h     host.Host
	cfg   ServerConfig
	miner sdk.AccAddress
	slots chan struct{}

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup // stream handlers and handler goroutines
}

// NewServer registers the query protocol on h. Close removes it and waits for work in flight.
func NewServer(h host.Host, cfg ServerConfig) (*Server, error) {
	if cfg.Key == nil || cfg.Handlers == nil {
		return nil, errors.New("protocol: server needs a key and handlers")
	}
	if !cfg.Key.GetPublic().Equals(h.Peerstore().PubKey(h.ID())) {
		return nil, errors.New("protocol: signing key is not the host's identity")
	}
	miner, err := identity.AddressFromPubKey(cfg.Key.GetPublic())
	if err != nil {
		return nil, err
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.MaxRequestSize <= 0 {
		cfg.MaxRequestSize = DefaultMaxRequestSize
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(nil)
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{h: h, cfg: cfg, miner: miner, slots: make(chan struct{}, cfg.MaxConcurrent)}
	h.SetStreamHandler(ID, s.handleStream)
	return s, nil
}

// Close stops accepting queries and waits until every handler has returned.
func (s *Server) Close() {
	s.h.RemoveStreamHandler(ID)
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Server) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

func (s *Server) handleStream(str network.Stream) {
	if !s.track() {
		_ = str.Reset()
		return
	}
	defer s.wg.Done()
	start := time.Now()
	remote := str.Conn().RemotePeer()
	_ = str.SetReadDeadline(start.Add(s.cfg.ReadTimeout))

	reqBytes, err := ReadFrame(bufio.NewReader(str), s.cfg.MaxRequestSize)
	if err != nil {
		if errors.Is(err, ErrFrameTooLarge) {
			s.reply(str, nil, &types.Response{Status: types.Status_STATUS_BAD_REQUEST, Error: err.Error()}, "", start)
		} else {
			// Truncated or timed-out input: nothing to answer to.
			s.count(remote, "", types.Status_STATUS_BAD_REQUEST, start)
			s.cfg.Log.Debug("query read failed", "peer", remote, "err", err)
			_ = str.Reset()
			return
		}
		_ = str.Close()
		return
	}
	_ = str.SetReadDeadline(time.Time{})

	var req types.Request
	resp := &types.Response{}
	task := ""
	switch err := req.Unmarshal(reqBytes); {
	case err != nil:
		resp.Status, resp.Error = types.Status_STATUS_BAD_REQUEST, "malformed request: "+err.Error()
	case len(req.RequestId) == 0 || len(req.RequestId) > 64:
		resp.Status, resp.Error = types.Status_STATUS_BAD_REQUEST, "request_id must be 1..64 bytes"
	case req.Netuid != uint32(s.cfg.NetUID):
		resp.Status, resp.Error = types.Status_STATUS_BAD_REQUEST, fmt.Sprintf("this miner serves subnet %d", s.cfg.NetUID)
	default:
		if _, ok := s.cfg.Handlers.Handler(req.Task); ok {
			task = req.Task // only known tasks become metric labels
		}
		resp.RequestId = req.RequestId
		s.serve(str, remote, &req, resp, start)
	}
	s.reply(str, reqBytes, resp, task, start)
	_ = str.Close()
}

// serve fills resp for a well-formed request.
func (s *Server) serve(str network.Stream, remote peer.ID, req *types.Request, resp *types.Response, start time.Time) {
	requester, err := identity.AddressFromPeerID(remote)
	if err != nil || !bytes.Equal(requester, req.Requester) {
		resp.Status, resp.Error = types.Status_STATUS_NOT_PERMITTED, "requester does not match the connection's key"
		return
	}
	if s.cfg.Authorizer != nil && !s.cfg.Authorizer.Allowed(remote) {
		resp.Status, resp.Error = types.Status_STATUS_NOT_PERMITTED, "requester not permitted"
		return
	}
	h, ok := s.cfg.Handlers.Handler(req.Task)
	if !ok {
		resp.Status, resp.Error = types.Status_STATUS_BAD_REQUEST, fmt.Sprintf("unknown task %q", req.Task)
		return
	}
	resp.ModelId = h.ModelID()
	timeout := s.cfg.Timeout
	if req.DeadlineUnixMs > 0 {
		if left := time.Until(time.UnixMilli(req.DeadlineUnixMs)); left < timeout {
			timeout = left
		}
	}
	if timeout <= 0 {
		resp.Status, resp.Error = types.Status_STATUS_TIMEOUT, "deadline already passed"
		return
	}
	select {
	case s.slots <- struct{}{}:
	default:
		resp.Status, resp.Error = types.Status_STATUS_OVERLOADED, "miner at capacity"
		return
	}
	s.cfg.Metrics.InFlight.Inc()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	type result struct {
		payload []byte
		err     error
	}
	done := make(chan result, 1)
	s.wg.Add(1) // the handler goroutine; it owns the slot until it returns
	go func() {
		defer s.wg.Done()
		defer func() { <-s.slots; s.cfg.Metrics.InFlight.Dec() }()
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("handler panic: %v", r)}
			}
		}()
		p, err := h.Handle(ctx, Call{NetUID: s.cfg.NetUID, Task: req.Task, Payload: req.Payload, Requester: requester})
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		switch {
		case r.err == nil:
			resp.Status, resp.Payload = types.Status_STATUS_OK, r.payload
		case errors.Is(r.err, ErrBadPayload):
			resp.Status, resp.Error = types.Status_STATUS_BAD_REQUEST, r.err.Error()
		case errors.Is(r.err, context.DeadlineExceeded):
			resp.Status, resp.Error = types.Status_STATUS_TIMEOUT, r.err.Error()
		default:
			resp.Status, resp.Error = types.Status_STATUS_INTERNAL, r.err.Error()
			s.cfg.Log.Warn("task failed", "task", req.Task, "peer", remote, "err", r.err)
		}
	case <-ctx.Done():
		resp.Status, resp.Error = types.Status_STATUS_TIMEOUT, fmt.Sprintf("no answer within %s", timeout)
	}
	resp.ProcessingUs = time.Since(start).Microseconds()
}

// reply signs and writes resp. reqBytes is nil when the request was never read (oversized).
func (s *Server) reply(str network.Stream, reqBytes []byte, resp *types.Response, task string, start time.Time) {
	resp.Miner = s.miner
	body, err := resp.Marshal()
	if err == nil {
		var sig []byte
		sig, err = s.cfg.Key.Sign(SigningMessage(Hash(reqBytes), Hash(body)))
		if err == nil {
			var out []byte
			out, err = (&types.SignedResponse{Body: body, Signature: sig}).Marshal()
			if err == nil {
				_ = str.SetWriteDeadline(time.Now().Add(s.cfg.ReadTimeout))
				err = WriteFrame(str, out)
			}
		}
	}
	if err != nil {
		s.cfg.Log.Debug("query reply failed", "peer", str.Conn().RemotePeer(), "err", err)
	}
	s.count(str.Conn().RemotePeer(), task, resp.Status, start)
}

func (s *Server) count(p peer.ID, task string, st types.Status, start time.Time) {
	s.cfg.Metrics.Requests.WithLabelValues("server", task, st.String(), p.String()).Inc()
	s.cfg.Metrics.Latency.WithLabelValues("server", task, p.String()).Observe(time.Since(start).Seconds())
}
