package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/tokenmind/tokenmind/neuron/gateway"
	"github.com/tokenmind/tokenmind/neuron/metrics"
)

func healthCmd(c *common) *cobra.Command {
	var (
		gatewayAddr string
		timeout     time.Duration
	)
	cmd := &cobra.Command{
		Use:   "health",
		Short: "check that a running neuron answers: its metrics endpoint and, if it has one, its gateway",
		Long: `health exits 0 when every check passes and 1 otherwise, printing one line per check. It checks
  --metrics-addr   GET http://ADDR/metrics answers 200 (every neuron given --metrics-addr), and the neuron's own
                   checks at http://ADDR/health pass (a text-generation miner: its OpenAI-compatible backend answers)
  --gateway-addr   the gateway's gRPC health service reports SERVING (a validator or gateway given --gateway-addr)
Both default to the neuron's own settings in <home>/config/neuron.toml, so "neuron health --home H" checks the
neuron that runs from H; unspecified hosts (0.0.0.0, [::]) are checked on loopback. It needs no shell or curl,
which makes it the health check of the FROM scratch containers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if c.metricsAddr == "" && gatewayAddr == "" {
				return errors.New("nothing to check: give --metrics-addr and/or --gateway-addr, or the --home of a neuron whose config/neuron.toml sets them")
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			out := cmd.OutOrStdout()
			var errs []error
			if c.metricsAddr != "" {
				url, err := checkMetrics(ctx, c.metricsAddr)
				errs = append(errs, report(out, "metrics", url, err))
				if err == nil {
					if url, ok, err := checkNeuron(ctx, c.metricsAddr); ok {
						errs = append(errs, report(out, "neuron", url, err))
					}
				}
			}
			if gatewayAddr != "" {
				addr, err := checkGateway(ctx, gatewayAddr)
				errs = append(errs, report(out, "gateway", addr, err))
			}
			return errors.Join(errs...)
		},
	}
	cmd.Flags().StringVar(&gatewayAddr, "gateway-addr", "", "check the gateway's gRPC health service at this address")
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "deadline of all checks together")
	return cmd
}

// report prints the outcome of one check and returns err annotated with what was checked.
func report(w io.Writer, what, target string, err error) error {
	if err != nil {
		_, _ = fmt.Fprintf(w, "%s %s: FAIL: %v\n", what, target, err)
		return fmt.Errorf("%s check of %s failed: %w", what, target, err)
	}
	_, _ = fmt.Fprintf(w, "%s %s: ok\n", what, target)
	return nil
}

// loopbackIfUnspecified turns a listen address such as 0.0.0.0:9464 or [::]:7070 (or :7070) into one that can be
// dialed on this machine.
func loopbackIfUnspecified(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q must be HOST:PORT: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// checkNeuron GETs the neuron's own checks (metrics.HealthPath) and wants 200; a 503 carries the failing checks. ok is
// false when the neuron has no such endpoint (an older version).
func checkNeuron(ctx context.Context, addr string) (url string, ok bool, err error) {
	hp, err := loopbackIfUnspecified(addr)
	if err != nil {
		return addr, true, err
	}
	url = "http://" + hp + metrics.HealthPath
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return url, true, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return url, true, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch resp.StatusCode {
	case http.StatusOK:
		return url, true, nil
	case http.StatusNotFound:
		return url, false, nil
	}
	fails := strings.Join(strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(body)), "\n", " | ")), " ")
	return url, true, fmt.Errorf("HTTP status %s: %s", resp.Status, fails)
}

// checkMetrics GETs the Prometheus endpoint and wants 200. It returns the URL it checked.
func checkMetrics(ctx context.Context, addr string) (string, error) {
	hp, err := loopbackIfUnspecified(addr)
	if err != nil {
		return addr, err
	}
	url := "http://" + hp + "/metrics"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return url, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return url, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return url, fmt.Errorf("HTTP status %s", resp.Status)
	}
	return url, nil
}

// checkGateway asks the gRPC health service for the gateway's status and wants SERVING. It returns the address
// it checked.
func checkGateway(ctx context.Context, addr string) (string, error) {
	hp, err := loopbackIfUnspecified(addr)
	if err != nil {
		return addr, err
	}
	conn, err := grpc.NewClient(hp, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return hp, err
	}
	defer conn.Close()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: gateway.HealthService})
	if err != nil {
		return hp, err
	}
	if s := resp.GetStatus(); s != healthpb.HealthCheckResponse_SERVING {
		return hp, fmt.Errorf("health service reports %s", s)
	}
	return hp, nil
}
