package metrics_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tokenmind/tokenmind/neuron/metrics"
	"github.com/tokenmind/tokenmind/neuron/protocol"
)

func TestServe(t *testing.T) {
	reg := metrics.NewRegistry()
	m := protocol.NewMetrics(reg)
	m.Requests.WithLabelValues("server", "ner", "STATUS_OK", "12D3KooWPeer").Inc()
	lis, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := lis.Addr().String()
	lis.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- metrics.Serve(ctx, addr, reg, slog.Default()) }()
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
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
