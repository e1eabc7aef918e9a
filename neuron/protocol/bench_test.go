package protocol_test

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding"

	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/types"
)

var benchPayload = []byte(`{"text":"Barack Obama visited Paris with Angela Merkel last week and met Emmanuel Macron."}`)

// benchMiner starts a miner serving the echo task to anyone (the gater only costs at connection time).
func benchMiner(b *testing.B, maxConcurrent int) *node {
	b.Helper()
	id := newIdentity(b)
	m := startNode(b, id, nil)
	srv, err := protocol.NewServer(m.h, protocol.ServerConfig{
		Key: id.Libp2p, NetUID: netuid, Handlers: handlers{"echo": &echo{}}, MaxConcurrent: maxConcurrent,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	return m
}

func benchClient(b *testing.B, miners ...*node) *protocol.Client {
	b.Helper()
	v := startNode(b, newIdentity(b), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, m := range miners {
		if err := v.h.Connect(ctx, connectInfo(m)); err != nil {
			b.Fatal(err)
		}
	}
	return client(b, v)
}

func BenchmarkQueryLibp2p(b *testing.B) {
	m := benchMiner(b, 0)
	c := benchClient(b, m)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		res, err := c.Query(qctx, m.h.ID(), netuid, "echo", benchPayload)
		cancel()
		if err != nil || res.Response.Status != types.Status_STATUS_OK {
			b.Fatal(res, err)
		}
	}
}

// The same exchange over plain gRPC on loopback (no TLS): the server unmarshals the request, runs the same handler
// and signs the same way, so the difference is transport, security handshake and framing.
type gogoCodec struct{}

func (gogoCodec) Name() string { return "gogo-bench" }
func (gogoCodec) Marshal(v any) ([]byte, error) {
	return v.(interface{ Marshal() ([]byte, error) }).Marshal()
}

func (gogoCodec) Unmarshal(data []byte, v any) error {
	return v.(interface{ Unmarshal([]byte) error }).Unmarshal(data)
}

func BenchmarkQueryGRPC(b *testing.B) {
	encoding.RegisterCodec(gogoCodec{})
	id := newIdentity(b)
	h := &echo{}
	handler := func(srv any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
		var req types.Request
		if err := dec(&req); err != nil {
			return nil, err
		}
		raw, _ := req.Marshal()
		p, err := h.Handle(ctx, protocol.Call{Task: req.Task, Payload: req.Payload})
		if err != nil {
			return nil, err
		}
		body, _ := (&types.Response{RequestId: req.RequestId, Status: types.Status_STATUS_OK, Payload: p, Miner: id.Address}).Marshal()
		sig, err := id.Libp2p.Sign(protocol.SigningMessage(protocol.Hash(raw), protocol.Hash(body)))
		return &types.SignedResponse{Body: body, Signature: sig}, err
	}
	desc := grpc.ServiceDesc{
		ServiceName: "tokenmind.bench.Query", HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "Query", Handler: handler}},
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := grpc.NewServer(grpc.ForceServerCodec(gogoCodec{}))
	srv.RegisterService(&desc, struct{}{})
	go func() { _ = srv.Serve(lis) }()
	b.Cleanup(srv.Stop)
	cc, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodecV2(nil), grpc.CallContentSubtype("gogo-bench")))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cc.Close() })
	pub := id.Libp2p.GetPublic()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		req := &types.Request{RequestId: []byte(fmt.Sprint(i)), Netuid: netuid, Task: "echo", Payload: benchPayload}
		raw, _ := req.Marshal()
		var sr types.SignedResponse
		err := cc.Invoke(ctx, "/tokenmind.bench.Query/Query", req, &sr)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		if ok, err := pub.Verify(protocol.SigningMessage(protocol.Hash(raw), protocol.Hash(sr.Body)), sr.Signature); !ok || err != nil {
			b.Fatal("bad signature", err)
		}
	}
}

// 64 concurrent streams to one miner.
func BenchmarkQueryConcurrent64(b *testing.B) {
	m := benchMiner(b, 128)
	c := benchClient(b, m)
	const workers = 64
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b.N; i += workers {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				res, err := c.Query(ctx, m.h.ID(), netuid, "echo", benchPayload)
				cancel()
				if err == nil && res.Response.Status != types.Status_STATUS_OK {
					err = fmt.Errorf("status %v", res.Response.Status)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// Fan-out to 64 miners, one of which never answers: every round ends at the timeout, not later.
func BenchmarkFanOut64OneHung(b *testing.B) {
	const timeout = 500 * time.Millisecond
	miners := make([]*node, 0, 64)
	for range 63 {
		miners = append(miners, benchMiner(b, 0))
	}
	hung := startNode(b, newIdentity(b), nil)
	release := make(chan struct{})
	var wg sync.WaitGroup
	hung.h.SetStreamHandler(protocol.ID, func(s network.Stream) {
		wg.Add(1)
		defer wg.Done()
		<-release
		_ = s.Reset()
	})
	b.Cleanup(func() { close(release); wg.Wait() })
	miners = append(miners, hung)
	c := benchClient(b, miners...)
	peers := make([]peer.ID, len(miners))
	for i, m := range miners {
		peers[i] = m.h.ID()
	}
	b.ReportAllocs()
	b.ResetTimer()
	answered := 0
	for range b.N {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		start := time.Now()
		outs := c.QueryAll(ctx, peers, netuid, "echo", benchPayload)
		el := time.Since(start)
		cancel()
		ok := 0
		for _, o := range outs {
			if o.Err == nil && o.Result.Response.Status == types.Status_STATUS_OK {
				ok++
			}
		}
		answered += ok
		if outs[63].Err == nil || el > timeout+300*time.Millisecond {
			b.Fatalf("round: %d ok, hung miner err %v, took %s", ok, outs[63].Err, el)
		}
	}
	b.ReportMetric(float64(answered)/float64(b.N), "answered/round")
}
