// Package heartbeat carries miners' heartbeats on a per-subnet gossipsub topic. Messages are signed by the
// publisher's libp2p key (strict signing), and a topic validator drops any message whose author is not a registered
// neuron of the subnet, whose payload names another hotkey, or that is malformed or stale. Dropped messages are not
// forwarded, so forged heartbeats die at the first honest hop.
package heartbeat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// Limits on a heartbeat.
const (
	MaxMessageBytes = 1024
	MaxClockSkew    = 2 * time.Minute
	maxFieldLen     = 128
)

// Topic is the gossipsub topic of subnet netuid.
func Topic(netuid uint16) string { return fmt.Sprintf("/tokenmind/subnet/%d/heartbeat/1", netuid) }

// Registry answers whether a peer is a registered neuron of a subnet (metagraph.Cache implements it).
type Registry interface {
	IsRegistered(netuid uint16, p peer.ID) bool
}

// NewPubSub starts gossipsub on h with strict message signing. It stops when ctx ends.
func NewPubSub(ctx context.Context, h host.Host) (*pubsub.PubSub, error) {
	return pubsub.NewGossipSub(ctx, h,
		pubsub.WithMessageSignaturePolicy(pubsub.StrictSign),
		pubsub.WithMaxMessageSize(64<<10),
	)
}

// Service publishes and receives the heartbeats of one subnet.
type Service struct {
	ps     *pubsub.PubSub
	topic  *pubsub.Topic
	netuid uint16
	reg    Registry
	log    *slog.Logger

	accepted, rejected prometheus.Counter

	mu     sync.RWMutex
	latest map[peer.ID]*types.Heartbeat
}

// New registers the topic validator and joins the subnet's topic. reg (prometheus) may be nil.
func New(ps *pubsub.PubSub, netuid uint16, registry Registry, log *slog.Logger, reg prometheus.Registerer) (*Service, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{
		ps: ps, netuid: netuid, reg: registry, log: log, latest: map[peer.ID]*types.Heartbeat{},
		accepted: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "neuron", Subsystem: "heartbeat", Name: "accepted_total", Help: "Heartbeats accepted.",
			ConstLabels: prometheus.Labels{"netuid": fmt.Sprint(netuid)},
		}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "neuron", Subsystem: "heartbeat", Name: "rejected_total", Help: "Heartbeats rejected by the topic validator.",
			ConstLabels: prometheus.Labels{"netuid": fmt.Sprint(netuid)},
		}),
	}
	if reg != nil {
		reg.MustRegister(s.accepted, s.rejected)
	}
	if err := ps.RegisterTopicValidator(Topic(netuid), s.validate, pubsub.WithValidatorTimeout(time.Second)); err != nil {
		return nil, fmt.Errorf("heartbeat: register validator: %w", err)
	}
	t, err := ps.Join(Topic(netuid))
	if err != nil {
		_ = ps.UnregisterTopicValidator(Topic(netuid))
		return nil, fmt.Errorf("heartbeat: join: %w", err)
	}
	s.topic = t
	return s, nil
}

// Topic returns the joined topic.
func (s *Service) Topic() *pubsub.Topic { return s.topic }

// Rejected counts messages the validator refused.
func (s *Service) Rejected() float64 { return counterValue(s.rejected) }

func (s *Service) validate(_ context.Context, _ peer.ID, msg *pubsub.Message) pubsub.ValidationResult {
	hb, err := s.check(msg)
	if err != nil {
		s.rejected.Inc()
		s.log.Debug("heartbeat rejected", "from", msg.GetFrom(), "err", err)
		return pubsub.ValidationReject
	}
	msg.ValidatorData = hb
	s.accepted.Inc()
	return pubsub.ValidationAccept
}

func (s *Service) check(msg *pubsub.Message) (*types.Heartbeat, error) {
	if len(msg.Data) > MaxMessageBytes {
		return nil, errors.New("too large")
	}
	from := msg.GetFrom() // the author; pubsub has verified its signature (strict signing)
	if !s.reg.IsRegistered(s.netuid, from) {
		return nil, errors.New("author not registered on the subnet")
	}
	var hb types.Heartbeat
	if err := hb.Unmarshal(msg.Data); err != nil {
		return nil, fmt.Errorf("malformed: %w", err)
	}
	if hb.Netuid != uint32(s.netuid) {
		return nil, fmt.Errorf("for subnet %d", hb.Netuid)
	}
	addr, err := identity.AddressFromPeerID(from)
	if err != nil || !bytes.Equal(addr, hb.Hotkey) {
		return nil, errors.New("hotkey does not match the author")
	}
	if len(hb.Task) > maxFieldLen || len(hb.ModelId) > maxFieldLen || len(hb.Version) > maxFieldLen || hb.LoadPermille > 1000 {
		return nil, errors.New("field out of range")
	}
	if skew := time.Since(time.UnixMilli(hb.UnixMs)); skew > MaxClockSkew || skew < -MaxClockSkew {
		return nil, errors.New("stale or future timestamp")
	}
	return &hb, nil
}

// Publish signs (through pubsub) and sends a heartbeat; netuid, hotkey and time are filled in.
func (s *Service) Publish(ctx context.Context, self peer.ID, hb *types.Heartbeat) error {
	addr, err := identity.AddressFromPeerID(self)
	if err != nil {
		return err
	}
	hb.Netuid, hb.Hotkey, hb.UnixMs = uint32(s.netuid), addr, time.Now().UnixMilli()
	b, err := hb.Marshal()
	if err != nil {
		return err
	}
	return s.topic.Publish(ctx, b)
}

// Run receives heartbeats until ctx ends, keeps the latest per peer, and calls fn (if not nil) for each.
func (s *Service) Run(ctx context.Context, fn func(peer.ID, *types.Heartbeat)) error {
	sub, err := s.topic.Subscribe()
	if err != nil {
		return err
	}
	defer sub.Cancel()
	for {
		msg, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		hb, ok := msg.ValidatorData.(*types.Heartbeat)
		if !ok {
			continue
		}
		from := msg.GetFrom()
		s.mu.Lock()
		s.latest[from] = hb
		s.mu.Unlock()
		if fn != nil {
			fn(from, hb)
		}
	}
}

// Latest returns the most recent heartbeat of p.
func (s *Service) Latest(p peer.ID) (*types.Heartbeat, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	hb, ok := s.latest[p]
	return hb, ok
}

// Close leaves the topic.
func (s *Service) Close() error {
	_ = s.ps.UnregisterTopicValidator(Topic(s.netuid))
	return s.topic.Close()
}
