package protocol

import "github.com/prometheus/client_golang/prometheus"

// Metrics counts queries by side, task, status and peer, and records their latency per peer. The peer label is the
// remote peer ID: on a miner the validators and gateways that ask it, on a validator the miners it samples — bounded by
// the subnet's size (max_allowed_uids), since the gater admits no one else.
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
			Help: "Queries by side (server|client), task, status and remote peer.",
		}, []string{"side", "task", "status", "peer"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "neuron", Subsystem: "query", Name: "latency_seconds",
			Help:    "Query latency by side, task and remote peer.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"side", "task", "peer"}),
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
