package textgen_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokenmind/tokenmind/neuron/protocol"
	"github.com/tokenmind/tokenmind/neuron/task"
	"github.com/tokenmind/tokenmind/neuron/task/textgen"
)

// server speaks /v1/chat/completions: it answers arithmetic questions (so scoring is exercised end to end), checks
// the API key, and streams with SSE when asked.
func server(t *testing.T, wrong bool) *httptest.Server {
	t.Helper()
	re := regexp.MustCompile(`(\d+) (plus|times) (\d+)`)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer k" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"message":"bad key"}}`)
			return
		}
		var req struct {
			Model    string `json:"model"`
			Stream   bool   `json:"stream"`
			Messages []struct{ Content string }
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		ans := "I do not know."
		if m := re.FindStringSubmatch(req.Messages[0].Content); m != nil {
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[3])
			n := a + b
			if m[2] == "times" {
				n = a * b
			}
			if wrong {
				n++
			}
			ans = strconv.Itoa(n)
		}
		if strings.Contains(req.Messages[0].Content, "sleep") {
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		if !req.Stream {
			fmt.Fprintf(w, `{"model":%q,"choices":[{"message":{"role":"assistant","content":%q}}]}`, req.Model, ans)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, piece := range []string{"The answer: ", ans} {
			fmt.Fprintf(w, "data: {\"model\":%q,\"choices\":[{\"delta\":{\"content\":%q}}]}\n\n", req.Model, piece)
			w.(http.Flusher).Flush()
		}
		fmt.Fprint(w, ": keep-alive\n\ndata: [DONE]\n\n")
	}))
	t.Cleanup(s.Close)
	return s
}

func TestOpenAIBackendScores(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			good, bad := server(t, false), server(t, true)
			rng := rand.New(rand.NewPCG(7, 7))
			for _, c := range []struct {
				url  string
				want float64
			}{{good.URL, 0.9}, {bad.URL, 0}} {
				tk := &textgen.Task{Backend: &textgen.OpenAIConfig{BaseURL: c.url, Model: "m", APIKey: "k", Stream: stream, Timeout: 2 * time.Second}}
				h, err := tk.NewHandler(textgen.ModelOpenAI)
				if err != nil {
					t.Fatal(err)
				}
				total := 0.0
				for range 10 {
					ch, _ := tk.NewChallenge(rng)
					ans, err := h.Handle(context.Background(), protocol.Call{Payload: ch.Payload})
					if err != nil {
						t.Fatal(err)
					}
					total += tk.Score(ch, ans, 10*time.Millisecond, time.Second)
				}
				if c.want > 0 && total/10 < c.want || c.want == 0 && total != 0 {
					t.Fatalf("%s: mean score %.3f", c.url, total/10)
				}
			}
		})
	}
}

func TestOpenAIStreamChunksAndErrors(t *testing.T) {
	s := server(t, false)
	o, err := textgen.NewOpenAI(textgen.OpenAIConfig{BaseURL: s.URL, Model: "m", APIKey: "k", Stream: true, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var chunks []string
	a, err := o.Complete(context.Background(), textgen.Request{Messages: []textgen.Message{{Role: "user", Content: "2 plus 3"}}},
		func(c string) error { chunks = append(chunks, c); return nil })
	if err != nil || a.Text != "The answer: 5" || len(chunks) != 2 || a.Model != "m" {
		t.Fatalf("%+v %v %q", a, err, chunks)
	}
	// A hanging backend ends at the timeout.
	start := time.Now()
	_, err = o.Complete(context.Background(), textgen.Request{Messages: []textgen.Message{{Role: "user", Content: "sleep"}}}, nil)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("hanging backend: %v after %s", err, time.Since(start))
	}
	// Wrong key: the server's message is in the error.
	o2, _ := textgen.NewOpenAI(textgen.OpenAIConfig{BaseURL: s.URL, Model: "m", APIKey: "nope"})
	if _, err := o2.Complete(context.Background(), textgen.Request{Messages: []textgen.Message{{Role: "user", Content: "x"}}}, nil); err == nil || !strings.Contains(err.Error(), "bad key") {
		t.Fatalf("bad key: %v", err)
	}
	// Unreachable server.
	o3, _ := textgen.NewOpenAI(textgen.OpenAIConfig{BaseURL: "http://127.0.0.1:1", Model: "m", Timeout: time.Second})
	if _, err := o3.Complete(context.Background(), textgen.Request{Messages: []textgen.Message{{Role: "user", Content: "x"}}}, nil); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("unreachable: %v", err)
	}
	// Invalid payloads are the requester's fault.
	tk := &textgen.Task{Backend: &textgen.OpenAIConfig{BaseURL: s.URL, Model: "m", APIKey: "k"}}
	h, _ := tk.NewHandler(textgen.ModelOpenAI)
	if _, err := h.Handle(context.Background(), protocol.Call{Payload: []byte(`{"messages":[]}`)}); !errors.Is(err, protocol.ErrBadPayload) {
		t.Fatalf("empty messages: %v", err)
	}
}

// The miner's backend check: up, 404 (no /v1/models, still up), a refused key, a failing server, nothing listening.
func TestProbeSaysWhetherTheBackendAnswers(t *testing.T) {
	status := http.StatusOK
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/models" || r.Method != http.MethodGet || r.Header.Get("Authorization") != "Bearer k" {
			t.Errorf("probe sent %s %s with %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
		}
		w.WriteHeader(status)
		fmt.Fprint(w, `{"object":"list","data":[{"id":"m"}]}`)
	}))
	t.Cleanup(s.Close)
	tk := &textgen.Task{Backend: &textgen.OpenAIConfig{BaseURL: s.URL + "/", Model: "m", APIKey: "k"}}
	h, err := tk.NewHandler(textgen.ModelOpenAI)
	if err != nil {
		t.Fatal(err)
	}
	checker, ok := h.(task.Checker)
	if !ok {
		t.Fatal("the text-generation handler is no task.Checker")
	}
	ctx := context.Background()
	for _, c := range []struct {
		status int
		want   string // "" = healthy
	}{
		{http.StatusOK, ""},
		{http.StatusNotFound, ""},
		{http.StatusUnauthorized, "refuses the API key (401 Unauthorized)"},
		{http.StatusForbidden, "refuses the API key (403 Forbidden)"},
		{http.StatusBadGateway, "answered 502 Bad Gateway"},
	} {
		status = c.status
		err := checker.Check(ctx)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("status %d: err %v, want %q", c.status, err, c.want)
		}
	}
	s.Close()
	err = checker.Check(ctx)
	if err == nil || !strings.Contains(err.Error(), s.URL+"/v1/models unreachable") {
		t.Fatalf("closed server: %v, want unreachable naming the URL", err)
	}
}
