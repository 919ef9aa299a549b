package httpapi

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/careersbot/careersbot/bot"
)

// Metric names, for the docs and for tests.
const (
	MetricQuestions      = "careersbot_questions_total"
	MetricAnswerDuration = "careersbot_answer_duration_seconds"
	MetricReloads        = "careersbot_knowledge_reloads_total"
	MetricReloadFailures = "careersbot_knowledge_reload_failures_total"
	MetricDocuments      = "careersbot_knowledge_documents"
	MetricLoadedAt       = "careersbot_knowledge_loaded_timestamp_seconds"
	MetricConnected      = "careersbot_adapter_connected"
	MetricAdapterRuns    = "careersbot_adapter_restarts_total"
	MetricUnanswered     = "careersbot_unanswered_recorded_total"
	MetricUnansweredLost = "careersbot_unanswered_dropped_total"
	MetricBuildInfo      = "careersbot_build_info"
)

// Metrics is careersbot's Prometheus instrumentation, on its own registry
// (plus the Go runtime and process collectors). Label values are adapter
// names and intents, both small fixed sets; never user ids or text.
type Metrics struct {
	reg       *prometheus.Registry
	questions *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	reloads   prometheus.Counter
	failures  prometheus.Counter
	documents prometheus.Gauge
	loadedAt  prometheus.Gauge
	restarts  *prometheus.CounterVec
}

// NewMetrics builds the metrics for a build of the given version.
func NewMetrics(version string) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricQuestions,
			Help: "Questions handled, by adapter, intent and whether they were answered (answered=false with intent=fallback is an I don't know).",
		}, []string{"adapter", "intent", "answered"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    MetricAnswerDuration,
			Help:    "Time to answer one question, by adapter.",
			Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}, []string{"adapter"}),
		reloads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricReloads,
			Help: "Knowledge base reloads that succeeded.",
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricReloadFailures,
			Help: "Knowledge base reloads that failed (the previous base kept serving).",
		}),
		documents: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: MetricDocuments,
			Help: "Documents in the knowledge base being served.",
		}),
		loadedAt: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: MetricLoadedAt,
			Help: "Unix time the knowledge base being served was loaded.",
		}),
		restarts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricAdapterRuns,
			Help: "Times an adapter failed and was started again.",
		}, []string{"adapter"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        MetricBuildInfo,
		Help:        "Always 1; the version label says which build is running.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	build.Set(1)
	reg.MustRegister(m.questions, m.latency, m.reloads, m.failures, m.documents, m.loadedAt, m.restarts, build,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where the metrics are registered; /metrics serves it.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Middleware counts every question and times its answer.
func (m *Metrics) Middleware() bot.Middleware {
	return func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, msg bot.Message) bot.Reply {
			start := time.Now()
			r := next.Handle(ctx, msg)
			m.latency.WithLabelValues(msg.Adapter).Observe(time.Since(start).Seconds())
			m.questions.WithLabelValues(msg.Adapter, r.Intent, strconv.FormatBool(r.Answered)).Inc()
			return r
		})
	}
}

// Loaded records a knowledge base now being served: docs documents,
// loaded at t. reload says whether it replaced an earlier one.
func (m *Metrics) Loaded(docs int, t time.Time, reload bool) {
	if reload {
		m.reloads.Inc()
	}
	m.documents.Set(float64(docs))
	m.loadedAt.Set(float64(t.UnixNano()) / 1e9)
}

// ReloadFailed records a reload that failed.
func (m *Metrics) ReloadFailed() { m.failures.Inc() }

// AdapterRestarted records an adapter started again after failing.
func (m *Metrics) AdapterRestarted(name string) { m.restarts.WithLabelValues(name).Inc() }

// WatchAdapters exports careersbot_adapter_connected for every adapter:
// 1 when it says it is connected (bot.Connector), 0 when not. Adapters
// that cannot tell are not listed. It may be called once.
func (m *Metrics) WatchAdapters(adapters []bot.Adapter) {
	m.reg.MustRegister(&connectedCollector{adapters: adapters})
	for _, a := range adapters {
		m.restarts.WithLabelValues(a.Name()) // show 0 from the start
	}
}

// WatchUnanswered exports the recorder's counts.
func (m *Metrics) WatchUnanswered(stats func() (recorded, dropped, failed uint64)) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: MetricUnanswered,
			Help: "Unanswered questions written to the database.",
		}, func() float64 { r, _, _ := stats(); return float64(r) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: MetricUnansweredLost,
			Help: "Unanswered questions not written (queue full or write error).",
		}, func() float64 { _, d, f := stats(); return float64(d + f) }),
	)
}

// MetricSharedUp is 1 while a shared-state server is reachable.
const MetricSharedUp = "careersbot_shared_state_up"

// WatchShared exports careersbot_shared_state_up{store=name}: 1 while
// up() is true, else 0. Call it once per store.
func (m *Metrics) WatchShared(name string, up func() bool) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        MetricSharedUp,
		Help:        "1 while the server replicas share state in is reachable, 0 while this replica answers from its own state.",
		ConstLabels: prometheus.Labels{"store": name},
	}, func() float64 {
		if up() {
			return 1
		}
		return 0
	}))
}

var connectedDesc = prometheus.NewDesc(MetricConnected,
	"1 if the adapter is connected to its platform (Socket Mode, gateway), else 0.",
	[]string{"adapter"}, nil)

// connectedCollector asks each adapter at scrape time.
type connectedCollector struct{ adapters []bot.Adapter }

func (c *connectedCollector) Describe(ch chan<- *prometheus.Desc) { ch <- connectedDesc }

func (c *connectedCollector) Collect(ch chan<- prometheus.Metric) {
	for _, a := range c.adapters {
		conn, ok := a.(bot.Connector)
		if !ok {
			continue
		}
		v := 0.0
		if conn.Connected() {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(connectedDesc, prometheus.GaugeValue, v, a.Name())
	}
}
