package protocol

import "github.com/prometheus/client_golang/prometheus"

// Metrics counts queries by side, task and status and records their latency.
type Metrics struct {
	Requests *prometheus.CounterVec
	Latency  *prometheus.HistogramVec
	InFlight prometheus.Gauge
}

// NewMetrics creates the protocol metrics and registers them with reg (nil: unregistered, still usable).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "neuron", Subsystem: "query", Name: "requests_total",
			Help: "Queries by side (server|client), task and status.",
		}, []string{"side", "task", "status"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "neuron", Subsystem: "query", Name: "latency_seconds",
			Help:    "Query latency by side and task.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"side", "task"}),
		InFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "neuron", Subsystem: "query", Name: "server_in_flight",
			Help: "Requests the miner is working on.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.Requests, m.Latency, m.InFlight)
	}
	return m
}
