package validator

import (
	"bytes"
	"context"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	cosmossecp "github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/chain"
	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/metagraph"
	"github.com/tokenmind/tokenmind/neuron/p2p"
	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/score"
	"github.com/tokenmind/tokenmind/neuron/task"
	"github.com/tokenmind/tokenmind/neuron/task/ner"
	subnetstypes "github.com/tokenmind/tokenmind/x/subnets/types"
)

const netuid = 1

type hung struct{}

func (hung) Handle(ctx context.Context, _ protocol.Call) ([]byte, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}
func (hung) ModelID() string { return "hung" }

func startMiner(t *testing.T, h protocol.Handler) (*identity.Identity, string) {
	t.Helper()
	id, err := identity.FromCosmos(cosmossecp.GenPrivKey())
	if err != nil {
		t.Fatal(err)
	}
	hst, err := p2p.NewHost(p2p.Config{Key: id.Libp2p, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := protocol.NewServer(hst, protocol.ServerConfig{Key: id.Libp2p, NetUID: netuid, Handlers: task.Handlers{ner.Name: h}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); _ = hst.Close() })
	return id, hst.Addrs()[0].String()
}

// fakeChain applies the x/subnets rules the loop depends on: the rate limit, and commit-reveal with an epoch index
// that advances at every epoch block of the x/emissions schedule (here every tempo blocks: tempo, 2·tempo, …).
type fakeChain struct {
	mu        sync.Mutex
	self      sdk.AccAddress
	height    int64
	p         Params
	sets      []int64 // heights of accepted MsgSetWeights
	last      []uint32
	lastW     []uint32
	commits   map[string]uint64 // hash -> epoch of commit
	commitH   []int64
	reveals   []int64
	refuseSet error // refuse the next MsgSetWeights with this error
}

func (f *fakeChain) setHeight(h int64) { f.mu.Lock(); f.height = h; f.mu.Unlock() }

func (f *fakeChain) epoch(h int64) uint64 { // number of epoch blocks strictly before h
	return uint64(h-1) / f.p.Tempo
}

func refuse(err error) error {
	type coder interface{ ABCICode() uint32 }
	return &chain.TxError{TxHash: "F00D", Height: 1, Codespace: subnetstypes.ModuleName, Code: err.(coder).ABCICode(), Log: err.Error()}
}

func (f *fakeChain) Height(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.height, nil
}

func (f *fakeChain) Params(context.Context) (Params, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.p
	p.EpochKnown, p.EpochIndex = true, f.epoch(f.height)
	p.BlocksUntilNextEpoch = (p.EpochIndex+1)*p.Tempo - uint64(f.height)
	return p, nil
}

func (f *fakeChain) SetWeights(_ context.Context, uids, values []uint32, _ uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.refuseSet; err != nil {
		f.refuseSet = nil
		return refuse(err)
	}
	if f.p.CommitRevealEnabled {
		return refuse(subnetstypes.ErrCommitRevealEnabled)
	}
	if n := len(f.sets); n > 0 && f.height < f.sets[n-1]+int64(f.p.WeightsRateLimit) {
		return refuse(subnetstypes.ErrRateLimited)
	}
	f.sets = append(f.sets, f.height)
	f.last, f.lastW = uids, values
	return nil
}

func (f *fakeChain) CommitWeights(_ context.Context, hash []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.commits == nil {
		f.commits = map[string]uint64{}
	}
	f.commits[string(hash)] = f.epoch(f.height)
	f.commitH = append(f.commitH, f.height)
	return nil
}

func (f *fakeChain) RevealWeights(_ context.Context, uids, values []uint32, salt []byte, vk uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	hash := subnetstypes.WeightsCommitHash(f.self, netuid, uids, values, salt, vk)
	ce, ok := f.commits[string(hash)]
	if !ok {
		for _, e := range f.commits { // pending commits with other hashes: the chain says which
			if f.epoch(f.height) <= e+f.p.CommitRevealPeriod {
				return refuse(subnetstypes.ErrRevealHashMismatch)
			}
		}
		return refuse(subnetstypes.ErrCommitNotFound)
	}
	switch e := f.epoch(f.height); {
	case e < ce+f.p.CommitRevealPeriod:
		return refuse(subnetstypes.ErrRevealTooEarly)
	case e > ce+f.p.CommitRevealPeriod:
		return refuse(subnetstypes.ErrRevealTooLate)
	}
	delete(f.commits, string(hash))
	f.reveals = append(f.reveals, f.height)
	f.last, f.lastW = uids, values
	return nil
}

type env struct {
	dir              string
	self             *identity.Identity
	good, bad, stuck *identity.Identity
	cache            *metagraph.Cache
	host             host.Host
	qc               *protocol.Client
	fc               *fakeChain
}

func newEnv(t *testing.T, p Params) *env {
	t.Helper()
	nt, err := ner.New()
	if err != nil {
		t.Fatal(err)
	}
	full, _ := nt.NewHandler(ner.ModelFull)
	broken, _ := nt.NewHandler(ner.ModelBroken)
	e := &env{dir: t.TempDir()}
	var goodAddr, badAddr, stuckAddr string
	e.good, goodAddr = startMiner(t, full)
	e.bad, badAddr = startMiner(t, broken)
	e.stuck, stuckAddr = startMiner(t, hung{})
	e.self, _ = identity.FromCosmos(cosmossecp.GenPrivKey())
	e.cache = metagraph.NewCache(netuid)
	if err := e.cache.Set(&metagraph.Snapshot{NetUID: netuid, Height: 1, Neurons: []metagraph.Neuron{
		{UID: 0, Hotkey: e.self.Address}, // the validator itself
		{UID: 1, Hotkey: e.stuck.Address, Addrs: []string{stuckAddr}},
		{UID: 2, Hotkey: e.bad.Address, Addrs: []string{badAddr}},
		{UID: 3, Hotkey: e.good.Address, Addrs: []string{goodAddr}},
	}}); err != nil {
		t.Fatal(err)
	}
	e.host, err = p2p.NewHost(p2p.Config{Key: e.self.Libp2p, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.host.Close() })
	if e.qc, err = protocol.NewClient(e.host, protocol.ClientConfig{}); err != nil {
		t.Fatal(err)
	}
	e.fc = &fakeChain{self: e.self.Address, height: 100, p: p}
	return e
}

func (e *env) validator(t *testing.T, reg prometheus.Registerer) *Validator {
	t.Helper()
	nt, _ := ner.New()
	book, err := score.Open(filepath.Join(e.dir, "scores-1.json"), netuid, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	peers := map[string]peer.ID{e.good.Address.String(): e.good.PeerID, e.bad.Address.String(): e.bad.PeerID, e.stuck.Address.String(): e.stuck.PeerID}
	v, err := New(Config{
		NetUID: netuid, Self: e.self.Address, Tasks: []task.Task{nt}, Metagraph: e.cache, Querier: e.qc,
		PeerID: func(_ context.Context, a sdk.AccAddress) (peer.ID, error) {
			p, ok := peers[a.String()]
			if !ok {
				t.Errorf("resolved unexpected hotkey %s (the validator must not sample itself)", a)
			}
			return p, nil
		},
		AddAddrs:   func(p peer.ID, as []ma.Multiaddr) { e.host.Peerstore().AddAddrs(p, as, peerstore.TempAddrTTL) },
		Book:       book,
		Chain:      e.fc,
		StatePath:  filepath.Join(e.dir, "validator-1.json"),
		SampleSize: 8, QueryTimeout: 3 * time.Second, Registerer: reg,
		Rand: rand.New(rand.NewPCG(1, 2)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestScoresWeightsPerTempoAndRestart(t *testing.T) {
	e := newEnv(t, Params{Tempo: 10, WeightsRateLimit: 5})
	reg := prometheus.NewRegistry()
	v := e.validator(t, reg)
	ctx := context.Background()
	for _, h := range []int64{100, 103, 106, 109, 110} {
		e.fc.setHeight(h)
		if err := v.Round(ctx); err != nil {
			t.Fatalf("round at %d: %v", h, err)
		}
	}
	s := func(uid uint16) float64 { en, _ := v.cfg.Book.Get(uid); return en.Score }
	if !(s(3) > s(2) && s(2) > s(1)) {
		t.Fatalf("scores good %.3f broken %.3f hung %.3f: want good > broken > hung", s(3), s(2), s(1))
	}
	if s(1) != 0 {
		t.Fatalf("hung miner scored %v", s(1))
	}
	if _, ok := v.cfg.Book.Get(0); ok {
		t.Fatal("the validator scored itself")
	}
	if got := e.fc.sets; len(got) != 2 || got[0] != 100 || got[1] != 110 {
		t.Fatalf("weights set at heights %v, want [100 110] (once per tempo of 10)", got)
	}
	if len(e.fc.last) != 2 || e.fc.last[0] != 2 || e.fc.last[1] != 3 || e.fc.lastW[1] != 65535 || e.fc.lastW[0] >= 65535 {
		t.Fatalf("weights %v %v: want uids [2 3] with 3 at 65535 and 2 below", e.fc.last, e.fc.lastW)
	}
	if n := testutil.ToFloat64(v.m.txs.WithLabelValues("set", "ok")); n != 2 {
		t.Fatalf("weights_tx_total{set,ok} = %v", n)
	}

	// A restart keeps the scores and the last posting height: no weights again before the next tempo.
	good := s(3)
	v2 := e.validator(t, prometheus.NewRegistry())
	if en, _ := v2.cfg.Book.Get(3); en.Score != good {
		t.Fatalf("after restart good miner scores %v, had %v", en.Score, good)
	}
	e.fc.setHeight(115)
	if err := v2.post(ctx); err != nil {
		t.Fatal(err)
	}
	if len(e.fc.sets) != 2 {
		t.Fatalf("posted again %d blocks after the last post", 115-110)
	}
	// A refused tx is counted as refused, never as success.
	e.fc.refuseSet = subnetstypes.ErrNoValidatorPermit
	e.fc.setHeight(120)
	if err := v2.post(ctx); err != nil {
		t.Fatal(err)
	}
	if n := testutil.ToFloat64(v2.m.txs.WithLabelValues("set", "refused")); n != 1 || v2.LastPost() != 110 {
		t.Fatalf("refused set: refused count %v, last post %d", n, v2.LastPost())
	}
	// ... and retried on the next round.
	e.fc.setHeight(121)
	if err := v2.post(ctx); err != nil {
		t.Fatal(err)
	}
	if len(e.fc.sets) != 3 || v2.LastPost() != 121 {
		t.Fatalf("after a refusal: sets %v, last post %d", e.fc.sets, v2.LastPost())
	}
}

func TestUIDChangingHandsResets(t *testing.T) {
	e := newEnv(t, Params{Tempo: 10})
	v := e.validator(t, nil)
	if err := v.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	if en, ok := v.cfg.Book.Get(3); !ok || en.Score == 0 {
		t.Fatal("good miner not scored")
	}
	snap := *e.cache.Snapshot()
	snap.Neurons = append([]metagraph.Neuron(nil), snap.Neurons...)
	snap.Neurons[3] = metagraph.Neuron{UID: 3, Hotkey: sdk.AccAddress(cosmossecp.GenPrivKey().PubKey().Address())} // re-registered, not serving
	if err := e.cache.Set(&snap); err != nil {
		t.Fatal(err)
	}
	if err := v.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := v.cfg.Book.Get(3); ok {
		t.Fatal("the previous holder's score survived the UID changing hands")
	}
}

func TestCommitThenRevealAcrossRestart(t *testing.T) {
	e := newEnv(t, Params{Tempo: 4, WeightsRateLimit: 1, CommitRevealEnabled: true, CommitRevealPeriod: 1})
	v := e.validator(t, nil)
	ctx := context.Background()
	e.fc.setHeight(100)
	if err := v.Round(ctx); err != nil {
		t.Fatal(err)
	}
	pc := v.Pending()
	if len(e.fc.commitH) != 1 || pc == nil {
		t.Fatalf("commits %v, pending %v: want one commit", e.fc.commitH, pc)
	}
	if !bytes.Equal(pc.Hash, subnetstypes.WeightsCommitHash(e.self.Address, netuid, pc.Uids, pc.Values, pc.Salt, pc.VersionKey)) {
		t.Fatal("pending commit hash does not match its contents")
	}
	if len(e.fc.sets) != 0 {
		t.Fatal("MsgSetWeights sent with commit-reveal enabled")
	}
	// Restart before the reveal: the salt comes back from the state file.
	v = e.validator(t, nil)
	if v.Pending() == nil {
		t.Fatal("pending commit lost across restart")
	}
	for h := int64(101); h <= 115 && len(e.fc.reveals) == 0; h++ {
		e.fc.setHeight(h)
		if err := v.post(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(e.fc.reveals) != 1 {
		t.Fatalf("no reveal by height 115 (commit at 100 in epoch %d, reveal epoch %d)", pc.CommitEpoch, pc.RevealEpoch)
	}
	rh := e.fc.reveals[0]
	if pc.CommitEpoch != e.fc.epoch(100) || pc.RevealEpoch != pc.CommitEpoch+1 {
		t.Fatalf("pending commit epochs %d -> %d, chain epoch at commit %d", pc.CommitEpoch, pc.RevealEpoch, e.fc.epoch(100))
	}
	if e.fc.epoch(rh) != e.fc.epoch(100)+1 {
		t.Fatalf("revealed in epoch %d, committed in %d", e.fc.epoch(rh), e.fc.epoch(100))
	}
	if v.Pending() != nil {
		t.Fatal("commit still pending after its reveal")
	}
	// The next tempo commits again.
	e.fc.setHeight(rh + 5)
	if err := v.post(ctx); err != nil {
		t.Fatal(err)
	}
	if len(e.fc.commitH) != 2 {
		t.Fatalf("commits at %v: want a second commit a tempo later", e.fc.commitH)
	}
}
