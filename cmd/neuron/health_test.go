package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/tokenmind/tokenmind/neuron/gateway"
)

// runNeuron runs the neuron root command with args and returns its output and error.
func runNeuron(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// healthServer serves the gRPC health service with the gateway's service name at status st.
func healthServer(t *testing.T, st healthpb.HealthCheckResponse_ServingStatus) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	hs := health.NewServer()
	hs.SetServingStatus(gateway.HealthService, st)
	healthpb.RegisterHealthServer(s, hs)
	go func() { _ = s.Serve(l) }()
	t.Cleanup(s.Stop)
	return l.Addr().String()
}

// freeAddr returns an address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestHealthChecksMetricsAndGateway(t *testing.T) {
	metrics := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("go_goroutines 7\n"))
	}))
	defer metrics.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer broken.Close()
	serving := healthServer(t, healthpb.HealthCheckResponse_SERVING)
	notServing := healthServer(t, healthpb.HealthCheckResponse_NOT_SERVING)
	home := t.TempDir()
	mAddr := strings.TrimPrefix(metrics.URL, "http://")

	for _, tc := range []struct {
		name string
		args []string
		fail string // empty: must pass
	}{
		{"metrics ok", []string{"--metrics-addr", mAddr}, ""},
		{"metrics and gateway ok", []string{"--metrics-addr", mAddr, "--gateway-addr", serving}, ""},
		{"metrics answers 500", []string{"--metrics-addr", strings.TrimPrefix(broken.URL, "http://")}, "500"},
		{"metrics down", []string{"--metrics-addr", freeAddr(t)}, "metrics check"},
		{"gateway not serving", []string{"--metrics-addr", mAddr, "--gateway-addr", notServing}, "NOT_SERVING"},
		{"gateway down", []string{"--gateway-addr", freeAddr(t)}, "gateway check"},
		{"nothing to check", nil, "nothing to check"},
		{"bad address", []string{"--metrics-addr", "localhost"}, "HOST:PORT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runNeuron(t, append([]string{"health", "--home", home, "--timeout", "2s"}, tc.args...)...)
			if tc.fail == "" && err != nil {
				t.Fatalf("want healthy, got %v (output %q)", err, out)
			}
			if tc.fail != "" && (err == nil || !strings.Contains(err.Error(), tc.fail)) {
				t.Fatalf("want an error with %q, got %v (output %q)", tc.fail, err, out)
			}
		})
	}
}

// With only --home, health checks the addresses the neuron's own config file sets: a validator's file also holds
// settings the health command does not have (task, round-interval), which must not get in the way. An unspecified
// listen host (0.0.0.0) is checked on loopback.
func TestHealthReadsTheNeuronsConfig(t *testing.T) {
	metrics := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) }))
	defer metrics.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(metrics.URL, "http://"))
	gw := healthServer(t, healthpb.HealthCheckResponse_SERVING)
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "key = \"validator1\"\ntask = [\"ner\"]\nround-interval = \"2s\"\nmetrics-addr = \"0.0.0.0:" + port + "\"\ngateway-addr = \"" + gw + "\"\n"
	if err := os.WriteFile(configPath(home), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runNeuron(t, "health", "--home", home)
	if err != nil {
		t.Fatalf("health with the validator's home: %v (output %q)", err, out)
	}
	if !strings.Contains(out, "metrics http://127.0.0.1:"+port+"/metrics: ok") || !strings.Contains(out, "gateway "+gw+": ok") {
		t.Fatalf("output does not report both checks: %q", out)
	}
}

// The neuron's own checks (its /health endpoint on the metrics address) are part of the verdict: a failing check
// fails health with its reason; a neuron without the endpoint is judged by /metrics alone.
func TestHealthReportsTheNeuronsChecks(t *testing.T) {
	var healthy atomic.Bool
	healthy.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/metrics":
			_, _ = w.Write([]byte("go_goroutines 7\n"))
		case r.URL.Path == "/health" && healthy.Load():
			_, _ = w.Write([]byte("backend: ok\n"))
		case r.URL.Path == "/health":
			http.Error(w, "backend: FAIL: textgen: backend http://127.0.0.1:9/v1/models unreachable: connection refused", http.StatusServiceUnavailable)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	out, err := runNeuron(t, "health", "--home", t.TempDir(), "--metrics-addr", addr)
	if err != nil || !strings.Contains(out, "neuron http://"+addr+"/health: ok") {
		t.Fatalf("healthy neuron: %v (output %q)", err, out)
	}
	healthy.Store(false)
	out, err = runNeuron(t, "health", "--home", t.TempDir(), "--metrics-addr", addr)
	if err == nil || !strings.Contains(err.Error(), "backend: FAIL") || !strings.Contains(out, "unreachable") {
		t.Fatalf("failing backend check: %v (output %q)", err, out)
	}
}
