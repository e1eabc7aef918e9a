package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/tokenmind/tokenmind/neuron/chain"
	"github.com/tokenmind/tokenmind/neuron/gateway"
	"github.com/tokenmind/tokenmind/neuron/identity"
	"github.com/tokenmind/tokenmind/neuron/p2p"
	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/task/textgen"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// gatewayFlags configure the gateway, alone or inside the validator.
type gatewayFlags struct {
	addr       string
	topK       int
	timeout    time.Duration
	rate       float64
	burst      int
	apiKeys    []string
	maxFlight  int
	listen     []string
	mgInterval time.Duration
}

func (g *gatewayFlags) register(cmd *cobra.Command, defaultAddr string) {
	fl := cmd.Flags()
	fl.StringVar(&g.addr, "gateway-addr", defaultAddr, "serve the Gateway gRPC service on this address (empty: off)")
	fl.IntVar(&g.topK, "gateway-top-k", 3, "miners asked per gateway query")
	fl.DurationVar(&g.timeout, "gateway-timeout", 10*time.Second, "default wait for miners per gateway query")
	fl.Float64Var(&g.rate, "gateway-rate", 5, "queries per second allowed per client IP (0: unlimited)")
	fl.IntVar(&g.burst, "gateway-burst", 10, "burst of the per-client rate limit")
	fl.StringSliceVar(&g.apiKeys, "gateway-api-key", nil, "accepted bearer API keys (none: open)")
	fl.IntVar(&g.maxFlight, "gateway-max-inflight", 256, "queries routed at once; more are refused with RESOURCE_EXHAUSTED")
}

// addrAdder teaches h where a miner listens.
func addrAdder(h host.Host) func(peer.ID, []ma.Multiaddr) {
	return func(p peer.ID, as []ma.Multiaddr) { h.Peerstore().AddAddrs(p, as, peerstore.TempAddrTTL) }
}

// serveGateway runs the gateway on l until ctx ends; it closes l.
func serveGateway(ctx context.Context, l net.Listener, g *gatewayFlags, netuid uint16, mg gateway.Snapshotter, scores gateway.Scores,
	q gateway.Querier, cl *chain.Client, h host.Host, reg prometheus.Registerer, log *slog.Logger,
) error {
	gw := gateway.New(gateway.Config{
		NetUID: netuid, Metagraph: mg, Scores: scores, Querier: q, PeerID: cl.PeerID, AddAddrs: addrAdder(h),
		TopK: g.topK, DefaultTimeout: g.timeout, RatePerSecond: g.rate, Burst: g.burst, APIKeys: g.apiKeys,
		MaxInFlight: g.maxFlight, Registerer: reg, Log: log,
	})
	srv, err := gateway.NewServer(gw)
	if err != nil {
		_ = l.Close()
		return err
	}
	log.Info("gateway serving", "addr", l.Addr().String())
	stop := context.AfterFunc(ctx, srv.GracefulStop)
	defer stop()
	if err := srv.Serve(l); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return err
	}
	return nil
}

// requesterHost is a host that only dials out (validator, gateway): with no listen addresses it binds nothing.
func requesterHost(id *identity.Identity, listen []string, reg prometheus.Registerer, log *slog.Logger) (host.Host, error) {
	h, err := p2p.NewHost(p2p.Config{
		Key: id.Libp2p, ListenAddrs: listen, Registerer: reg, Log: log.With("component", "p2p"),
		Authorizer: p2p.AuthorizerFunc(func(peer.ID) bool { return false }),
	}) // nothing served: refuse inbound
	if err != nil {
		return nil, fmt.Errorf("--listen: %w", err)
	}
	return h, nil
}

// outboundListenFlag registers --listen for a node that serves nothing over libp2p: empty by default.
func outboundListenFlag(cmd *cobra.Command, listen *[]string) {
	cmd.Flags().StringSliceVar(listen, "listen", nil, "libp2p listen multiaddrs (default none: this node only dials miners and refuses inbound connections, so it needs none)")
}

func gatewayCmd(c *common) *cobra.Command {
	g := &gatewayFlags{}
	cmd := &cobra.Command{
		Use:   "gateway",
		Short: "serve the Gateway gRPC service: route user queries to the subnet's serving miners (uid order)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := c.logger()
			if err != nil {
				return err
			}
			if g.addr == "" {
				return errors.New("--gateway-addr is required")
			}
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			return runGateway(ctx, c, g, log)
		},
	}
	g.register(cmd, "127.0.0.1:7070")
	outboundListenFlag(cmd, &g.listen)
	cmd.Flags().DurationVar(&g.mgInterval, "metagraph-interval", 12*time.Second, "how often to refresh the metagraph")
	return cmd
}

func runGateway(ctx context.Context, c *common, g *gatewayFlags, log *slog.Logger) error {
	id, lock, err := c.lockedIdentity()
	if err != nil {
		return err
	}
	defer func() {
		if err := lock.Release(); err != nil {
			log.Warn("release the key lock", "err", err)
		}
	}()
	log = log.With("hotkey", id.Address.String(), "netuid", c.netuid)
	r, err := startRequester(ctx, c, id, g.addr, g.listen, log)
	if err != nil {
		return err
	}
	defer r.Close()
	ctx, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	var wg sync.WaitGroup
	defer wg.Wait()
	goFn := func(fn func()) { wg.Add(1); go func() { defer wg.Done(); fn() }() }
	goFn(func() { r.cache.Run(ctx, r.cl, g.mgInterval, 10*time.Second, log.With("component", "metagraph")) })
	if r.lis.metrics != nil {
		goFn(func() { serveMetrics(ctx, fail, r.lis.metrics, r.reg, log) })
	}
	err = serveGateway(ctx, r.lis.gateway, g, c.netuid, r.cache, nil, r.qc, r.cl, r.h, r.reg, log.With("component", "gateway"))
	if err != nil {
		err = fmt.Errorf("gateway stopped: %w", err)
	}
	fail(err) // stops the other goroutines; after a signal the signal stays the cause
	return failure(ctx)
}

func queryCmd(c *common) *cobra.Command {
	var (
		gwAddr, taskName string
		stream           bool
		timeout          time.Duration
		topK             uint32
		apiKey           string
	)
	cmd := &cobra.Command{
		Use:   "query TEXT",
		Short: "ask a gateway; prints each answer with the miner's hotkey and its verified signature",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			payload := []byte(args[0])
			switch taskName {
			case ner.Name:
				payload, _ = json.Marshal(ner.Request{Text: args[0]})
			case textgen.Name:
				payload, _ = json.Marshal(textgen.Request{Messages: []textgen.Message{{Role: "user", Content: args[0]}}})
			}
			conn, err := grpc.NewClient(gwAddr, grpc.WithTransportCredentials(insecure.NewCredentials()),
				grpc.WithDefaultCallOptions(grpc.ForceCodec(codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec())))
			if err != nil {
				return err
			}
			defer conn.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout+5*time.Second)
			defer cancel()
			if apiKey != "" {
				ctx = withBearer(ctx, apiKey)
			}
			req := &types.GatewayQueryRequest{Task: taskName, Payload: payload, TopK: topK, TimeoutMs: uint32(timeout / time.Millisecond)}
			gc := types.NewGatewayClient(conn)
			out := cmd.OutOrStdout()
			if !stream {
				r, err := gc.Query(ctx, req)
				if err != nil {
					return err
				}
				return printAnswer(out, r)
			}
			st, err := gc.QueryStream(ctx, req)
			if err != nil {
				return err
			}
			for {
				r, err := st.Recv()
				if errors.Is(err, io.EOF) {
					return nil
				}
				if err != nil {
					return err
				}
				if err := printAnswer(out, r); err != nil {
					return err
				}
			}
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&gwAddr, "gateway", "127.0.0.1:7070", "gateway gRPC address")
	fl.StringVar(&taskName, "task", ner.Name, "task (ner wraps TEXT as {\"text\": TEXT}, text-generation as one user message; other tasks send TEXT as is)")
	fl.BoolVar(&stream, "stream", false, "print every miner's answer as it arrives")
	fl.DurationVar(&timeout, "timeout", 10*time.Second, "how long the gateway waits for miners")
	fl.Uint32Var(&topK, "top-k", 0, "miners to ask (0: the gateway's default)")
	fl.StringVar(&apiKey, "api-key", "", "bearer API key")
	return cmd
}

// verifyAnswer checks the miner's signature over sha256(request) ‖ sha256(response) and that the key is the
// hotkey's.
func verifyAnswer(r *types.GatewayQueryResponse) error {
	pub, err := crypto.UnmarshalSecp256k1PublicKey(r.MinerPubkey)
	if err != nil {
		return fmt.Errorf("miner public key: %w", err)
	}
	ok, err := pub.Verify(protocol.SigningMessage(r.RequestHash, r.ResponseHash), r.Signature)
	if err != nil || !ok {
		return errors.New("signature does not verify")
	}
	addr, err := identity.AddressFromPubKey(pub)
	if err != nil {
		return err
	}
	if want, err := sdk.AccAddressFromBech32(r.MinerHotkey); err != nil || !want.Equals(addr) {
		return fmt.Errorf("signing key belongs to %s, not %s", addr, r.MinerHotkey)
	}
	return nil
}

func printAnswer(w io.Writer, r *types.GatewayQueryResponse) error {
	verdict := "valid"
	if err := verifyAnswer(r); err != nil {
		verdict = "INVALID: " + err.Error()
	}
	_, err := fmt.Fprintf(w, "answer: %s\nminer: %s (uid %d, %d ms)\nsignature: %s (%s)\n\n",
		r.Payload, r.MinerHotkey, r.MinerUid, r.LatencyMs, hex.EncodeToString(r.Signature), verdict)
	if err == nil && verdict != "valid" {
		return errors.New("answer signature " + verdict)
	}
	return err
}

func withBearer(ctx context.Context, key string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+key)
}
