package metrics_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokenmind/tokenmind/neuron/metrics"
	"github.com/tokenmind/tokenmind/neuron/protocol"
)

func TestServe(t *testing.T) {
	reg := metrics.NewRegistry()
	m := protocol.NewMetrics(reg)
	m.Requests.WithLabelValues("server", "ner", "STATUS_OK", "12D3KooWPeer").Inc()
	lis, err := metrics.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var backend atomic.Value
	backend.Store("")
	check := metrics.Check{Name: "backend", Err: func() error {
		if s := backend.Load().(string); s != "" {
			return errors.New(s)
		}
		return nil
	}}
	go func() { done <- metrics.Serve(ctx, lis, reg, slog.Default(), check) }()
	var body string
	for i := 0; i < 100; i++ {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(body, `neuron_query_requests_total{peer="12D3KooWPeer",side="server",status="STATUS_OK",task="ner"} 1`) {
		t.Fatalf("metric missing from:\n%.500s", body)
	}
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(metrics.HealthPath); code != http.StatusOK || body != "backend: ok\n" {
		t.Fatalf("healthy: %d %q", code, body)
	}
	backend.Store("http://127.0.0.1:1 unreachable")
	if code, body := get(metrics.HealthPath); code != http.StatusServiceUnavailable || body != "backend: FAIL: http://127.0.0.1:1 unreachable\n" {
		t.Fatalf("unhealthy: %d %q", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A busy port is an error at Listen that names the address.
func TestListenBusyPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = metrics.Listen(l.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "--metrics-addr "+l.Addr().String()) || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("err = %v, want the address named as in use", err)
	}
}
