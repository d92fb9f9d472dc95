import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolTelemetry

/// Where a ``MonitorSession`` persists what it sees. GPUPoolHistory's `HistoryStore` conforms
/// (SQLite); a service can conform with its own store. The session calls these in time order.
public protocol MonitorRecorder {
    /// The pool the session watches, once, before anything else.
    func register(pool: Pool, at time: Double) throws
    /// A plan in force from `time` on (`kind` is `plan` for the starting plan, `replan` after a failover).
    func record(plan: Plan, at time: Double, kind: String) throws -> Int64
    /// New samples, in time order.
    func record(samples: [TelemetrySample]) throws -> Int
    /// New health events, in time order.
    func record(events: [HealthEvent]) throws
}
