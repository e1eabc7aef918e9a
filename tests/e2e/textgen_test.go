package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task/textgen"
	"github.com/tokenmind/tokenmind/neuron/types"
)

// arithmeticServer speaks the OpenAI API (chat completions, streaming SSE, and the model list) and answers "What is
// A plus|times B?" correctly; it fails with HTTP 500 while broken is set, and checks the bearer key.
func arithmeticServer(t *testing.T, key string, broken *atomic.Bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(arithmeticHandler(key, broken))
	t.Cleanup(srv.Close)
	return srv
}

func arithmeticHandler(key string, broken *atomic.Bool) http.Handler {
	q := regexp.MustCompile(`What is (\d+) (plus|times) (\d+)\?`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+key {
			http.Error(w, `{"error":{"message":"unauthorized"}}`, http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/v1/models" && r.Method == http.MethodGet {
			_, _ = fmt.Fprint(w, `{"object":"list","data":[{"id":"tiny-arith","object":"model"}]}`)
			return
		}
		if r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		if broken.Load() {
			http.Error(w, `{"error":{"message":"model crashed"}}`, http.StatusInternalServerError)
			return
		}
		var req struct {
			Model    string `json:"model"`
			Stream   bool   `json:"stream"`
			Messages []struct {
				Content string `json:"content"`
			} `json:"messages"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		answer := "I cannot tell."
		if m := q.FindStringSubmatch(req.Messages[len(req.Messages)-1].Content); m != nil {
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[3])
			if m[2] == "plus" {
				answer = strconv.Itoa(a + b)
			} else {
				answer = strconv.Itoa(a * b)
			}
		}
		if !req.Stream {
			_ = json.NewEncoder(w).Encode(map[string]any{"model": req.Model, "choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": answer}}}})
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, piece := range []string{"The answer is ", answer} {
			bz, _ := json.Marshal(map[string]any{"model": req.Model, "choices": []any{map[string]any{"delta": map[string]string{"content": piece}}}})
			fmt.Fprintf(w, "data: %s\n\n", bz)
			w.(http.Flusher).Flush()
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
	})
}

// TestTextGenMinerForwardsToOpenAIServer: `neuron miner --task text-generation --model openai` serves answers from
// an OpenAI-compatible server (key from an environment variable), signed like any other task, and a failing backend
// comes back as a typed INTERNAL status with the server's error, while the miner keeps serving.
func TestTextGenMinerForwardsToOpenAIServer(t *testing.T) {
	var broken atomic.Bool
	srv := arithmeticServer(t, "sk-test-123", &broken)
	t.Setenv("E2E_OPENAI_KEY", "sk-test-123") // the miner inherits it; the key is on no command line
	n := StartNode(t)
	n.CreateSubnet("text generation", textgen.Name, "alice")
	n.Register(1, "bob", "miner1")
	minerAddr := n.KeyAddr("miner1")
	clientID, client, connect := testClient(t)

	miner := startNeuron(t, "miner", "--home", n.Home(), "--keyring-backend", "test", "--key", "miner1",
		"--node", n.GRPCAddr(), "--chain-id", n.ChainID(), "--netuid", "1", "--log-format", "json",
		"--task", textgen.Name, "--model", textgen.ModelOpenAI, "--openai-url", srv.URL, "--openai-model", "tiny-arith",
		"--openai-api-key-env", "E2E_OPENAI_KEY", "--listen", "/ip4/127.0.0.1/tcp/0", "--allow-peer", clientID.PeerID.String(),
		"--metagraph-interval", "1s", "--addr-check-interval", "2s")
	var addrs []string
	eventually(t, 60*time.Second, "the text-generation miner serving on chain", func() bool {
		addrs = n.servingAddrs(t, 1, minerAddr)
		return len(addrs) > 0
	}, miner.tail)
	out, err := exec.Command(Binary(t, "neuron"), "keys", "show-peer-id", "--home", n.Home(), "--keyring-backend", "test", "--key", "miner1").CombinedOutput()
	if err != nil {
		t.Fatalf("show-peer-id: %v\n%s", err, out)
	}
	minerPeer, err := peer.Decode(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	info := peer.AddrInfo{ID: minerPeer}
	for _, a := range addrs {
		info.Addrs = append(info.Addrs, ma.StringCast(a))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := connect(ctx, info); err != nil {
		t.Fatalf("connect: %v\n%s", err, miner.tail())
	}
	ask := func(question string) (*protocol.Result, error) {
		p, _ := json.Marshal(textgen.Request{Messages: []textgen.Message{{Role: "user", Content: question}}, MaxTokens: 16})
		return client.Query(ctx, minerPeer, 1, textgen.Name, p)
	}

	// The validator's own challenge and scorer: a correct answer scores high.
	tk := &textgen.Task{}
	res, err := ask("What is 17 times 23? Reply with the number only.")
	if err != nil || res.Response.Status != types.Status_STATUS_OK {
		t.Fatalf("query: %v %+v\n%s", err, res, miner.tail())
	}
	if err := protocol.VerifyReceipt(res.Receipt); err != nil {
		t.Fatalf("receipt: %v", err)
	}
	var a textgen.Answer
	if err := json.Unmarshal(res.Response.Payload, &a); err != nil || !strings.Contains(a.Text, "391") || a.Model != "tiny-arith" {
		t.Fatalf("answer %s (%v): want 391 from tiny-arith", res.Response.Payload, err)
	}
	ch, err := tk.NewChallenge(rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	res, err = client.Query(ctx, minerPeer, 1, textgen.Name, ch.Payload)
	if err != nil || res.Response.Status != types.Status_STATUS_OK {
		t.Fatalf("challenge: %v %+v", err, res)
	}
	if s := tk.Score(ch, res.Response.Payload, res.Latency, 10*time.Second); s < 0.9 {
		t.Fatalf("a correct answer scored %.3f: %s", s, res.Response.Payload)
	}

	// A failing backend: a typed INTERNAL status that says what the server said; then service resumes.
	broken.Store(true)
	res, err = ask("What is 2 plus 2?")
	if err != nil || res.Response.Status != types.Status_STATUS_INTERNAL || !strings.Contains(res.Response.Error, "500") {
		t.Fatalf("broken backend: %v %+v", err, res)
	}
	broken.Store(false)
	if res, err = ask("What is 2 plus 2?"); err != nil || res.Response.Status != types.Status_STATUS_OK || !strings.Contains(string(res.Response.Payload), "4") {
		t.Fatalf("after the backend recovered: %v %+v", err, res)
	}
	if strings.Contains(miner.tail(), "sk-test-123") {
		t.Fatal("the API key appears in the miner's log")
	}
}
