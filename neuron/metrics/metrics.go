// Package metrics gives the node one Prometheus registry and serves it over HTTP, with a /health endpoint for the
// node's own health checks.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewRegistry returns a registry with the Go runtime and process collectors.
func NewRegistry() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// Check is one named health check; Err returns nil while healthy and says what is wrong otherwise. It must be cheap
// (report a state another goroutine keeps, not probe something).
type Check struct {
	Name string
	Err  func() error
}

// HealthPath answers 200 with one "NAME: ok" line per check when all pass, 503 with "NAME: FAIL: reason" lines
// otherwise.
const HealthPath = "/health"

// Listen binds addr for Serve. A port in use is an error that names the address, so a node fails at start-up
// instead of running without its metrics.
func Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr %s: %w%s", addr, err, InUseHint(err))
	}
	return l, nil
}

// InUseHint is a hint to append to a listen error when the address is taken.
func InUseHint(err error) string {
	if err != nil && strings.Contains(err.Error(), "address already in use") {
		return " (another process listens there: stop it or choose another address)"
	}
	return ""
}

// Serve exposes reg at /metrics and checks at /health on lis until ctx ends; it closes lis.
func Serve(ctx context.Context, lis net.Listener, reg *prometheus.Registry, log *slog.Logger, checks ...Check) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg, Timeout: 10 * time.Second}))
	mux.HandleFunc(HealthPath, func(w http.ResponseWriter, _ *http.Request) {
		var b strings.Builder
		code := http.StatusOK
		for _, c := range checks {
			if err := c.Err(); err != nil {
				code = http.StatusServiceUnavailable
				fmt.Fprintf(&b, "%s: FAIL: %v\n", c.Name, err)
			} else {
				fmt.Fprintf(&b, "%s: ok\n", c.Name)
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(b.String()))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 15 * time.Second}
	log.Info("metrics listening", "addr", lis.Addr().String())
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	err := srv.Serve(lis)
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
