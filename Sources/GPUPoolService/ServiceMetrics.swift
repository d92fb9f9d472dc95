import GPUPoolSupport
import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The service's Prometheus metrics, created through swift-metrics on a registry of its own (no
/// global bootstrap, so several services — e.g. in tests — keep separate counts).
///
/// - `gpupool_http_requests_total{route,method,status}`
/// - `gpupool_http_request_duration_seconds{route}` (histogram)
/// - `gpupool_solves_total{method,status}` — every solve by requested method and termination status
/// - `gpupool_solve_duration_seconds{method}` (histogram)
/// - `gpupool_queue_depth`, `gpupool_workers_busy` (gauges)
/// - `gpupool_rejected_total{reason}` — 429 (`overloaded`), cancelled while queued, shutting down
public final class ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let queueDepth: CoreMetrics.Gauge
    private let workersBusy: CoreMetrics.Gauge
    /// Sees every queue change, refusal and solve as it is recorded (tests wait for these events).
    private let observer: (@Sendable (ServiceEvent) -> Void)?

    /// Creates the metrics on a fresh registry.
    public convenience init() {
        self.init(observer: nil)
    }

    /// Creates the metrics on a fresh registry; `observer` is told of each update as it is recorded.
    init(observer: (@Sendable (ServiceEvent) -> Void)?) {
        self.observer = observer
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        self.factory = factory
        queueDepth = CoreMetrics.Gauge(label: "gpupool_queue_depth", factory: factory)
        workersBusy = CoreMetrics.Gauge(label: "gpupool_workers_busy", factory: factory)
        queueDepth.record(0)
        workersBusy.record(0)
    }

    /// Counts one answered request and its latency.
    func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        let key = RequestKey(route: route, method: method, status: status)
        let handles = requestHandles.cached(key) {
            (CoreMetrics.Counter(label: "gpupool_http_requests_total",
                                 dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory),
             CoreMetrics.Timer(label: "gpupool_http_request_duration_seconds", dimensions: [("route", route)], factory: factory))
        }
        handles.count.increment()
        handles.time.recordNanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// Counts one finished solve.
    func recordSolve(method: String, status: String, seconds: Double) {
        let handles = solveHandles.cached(SolveKey(method: method, status: status)) {
            (CoreMetrics.Counter(label: "gpupool_solves_total", dimensions: [("method", method), ("status", status)], factory: factory),
             CoreMetrics.Timer(label: "gpupool_solve_duration_seconds", dimensions: [("method", method)], factory: factory))
        }
        handles.count.increment()
        handles.time.recordNanoseconds(Int64((max(0, seconds) * 1e9).rounded()))
        observer?(.solve(method: method, status: status))
    }

    // Handles are made once per label set: making them through the factory validates the names
    // and takes the registry's lock, a visible share of a tiny request's time. Label values come
    // from fixed sets (routes, methods, statuses), so the caches stay small.
    private struct RequestKey: Hashable { var route: String, method: String, status: Int }
    private struct SolveKey: Hashable { var method: String, status: String }
    private let requestHandles = HandleCache<RequestKey>()
    private let solveHandles = HandleCache<SolveKey>()

    /// Counts work refused or dropped before it ran.
    func recordRejected(reason: String) {
        Counter(label: "gpupool_rejected_total", dimensions: [("reason", reason)], factory: factory).increment()
        observer?(.rejected(reason: reason))
    }

    /// Updates the queue gauges.
    func recordQueue(queued: Int, running: Int) {
        queueDepth.record(queued)
        workersBusy.record(running)
        observer?(.queue(queued: queued, running: running))
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String { registry.emitToString() }
}

/// A metric update, as ``ServiceMetrics`` records it; tests observe these to wait for the service
/// to reach a state (a solve running, a queued request dropped) instead of sleeping.
enum ServiceEvent: Sendable, Equatable {
    /// The worker pool's queue depth or busy-worker count changed (also sent when `/metrics` is read).
    case queue(queued: Int, running: Int)
    /// Work was refused or dropped before it ran (`overloaded`, `cancelled`, `shutting_down`).
    case rejected(reason: String)
    /// A solve finished, with the requested method and its termination status.
    case solve(method: String, status: String)
}

/// A counter and a timer per label set, made on first use.
private final class HandleCache<Key: Hashable & Sendable>: Sendable {
    private let handles = Mutex<[Key: (count: CoreMetrics.Counter, time: CoreMetrics.Timer)]>([:])

    func cached(_ key: Key, make: () -> (CoreMetrics.Counter, CoreMetrics.Timer)) -> (count: CoreMetrics.Counter, time: CoreMetrics.Timer) {
        if let found = handles.withLock({ $0[key] }) { return found }
        let made = make()
        return handles.withLock { cache in
            if let raced = cache[key] { return raced }
            cache[key] = made
            return made
        }
    }
}
