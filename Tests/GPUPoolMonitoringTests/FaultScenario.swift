@testable import GPUPoolMonitoring
@testable import GPUPoolTelemetry
import GPUPoolDomain
import GPUPoolPlanner

/// A fault injected into generated telemetry.
public enum Fault: Sendable, Hashable {
    /// The node stops reporting at `at` and never comes back.
    case nodeLoss(node: String, at: Double)
    /// Every node of the provider stops reporting during `[from, to)`.
    case providerOutage(provider: String, from: Double, to: Double)
    /// GPU 0 of the node heats up from `from` by `degreesPerMinute`.
    case thermalDegradation(node: String, from: Double, degreesPerMinute: Double)
    /// The node's GPUs alternate between critical and normal temperature every `period` seconds from `from` to `to`.
    case flapping(node: String, from: Double, to: Double, period: Double)
    /// The node reports nothing during `[from, to)`, then recovers.
    case telemetryGap(node: String, from: Double, to: Double)
    /// GPU `gpu` of the node reports XID `code` from `at` on.
    case xid(node: String, gpu: Int, code: Int, at: Double)
}

/// A named fault scenario over a time span (seconds from 0).
public struct FaultScenario: Sendable, Hashable {
    /// Name for reports.
    public var name: String
    /// Faults in effect.
    public var faults: [Fault]
    /// Length in seconds.
    public var duration: Double
    /// Sampling interval in seconds.
    public var interval: Double

    /// Creates a scenario.
    public init(name: String, faults: [Fault], duration: Double, interval: Double = 10) {
        self.name = name
        self.faults = faults
        self.duration = duration
        self.interval = interval
    }
}

/// One re-plan during a scenario.
public struct ScenarioReplan: Sendable {
    /// When.
    public var time: Double
    /// The failover result.
    public var result: FailoverResult
}

/// What a scenario run produced.
public struct ScenarioReport: Sendable {
    /// The scenario.
    public var scenario: FaultScenario
    /// Every health event.
    public var events: [HealthEvent]
    /// Every re-plan.
    public var replans: [ScenarioReplan]
    /// Invariant violations over all re-plans (empty when no job was lost or misplaced).
    public var violations: [String]
    /// The plan in force at the end.
    public var finalPlan: Plan
    /// Node states at the end.
    public var finalStates: [String: HealthState]
}

/// Feeds generated telemetry with faults through the health policy and failover re-planning,
/// and checks ``FailoverInvariants`` after every re-plan.
public struct ScenarioRunner: Sendable {
    /// The healthy pool.
    public var pool: Pool
    /// The jobs.
    public var workload: Workload
    /// The health policy.
    public var rules: HealthRules
    /// The re-planner.
    public var failover: FailoverPlanner

    /// Creates a runner.
    public init(pool: Pool, workload: Workload, rules: HealthRules = HealthRules(), failover: FailoverPlanner = FailoverPlanner()) {
        self.pool = pool
        self.workload = workload
        self.rules = rules
        self.failover = failover
    }

    /// Runs the scenario from `initial` (planned on the healthy pool when `nil`).
    public func run(_ scenario: FaultScenario, initial: Plan? = nil) throws(MonitoringError) -> ScenarioReport {
        guard scenario.interval > 0, scenario.duration >= 0, scenario.duration / scenario.interval <= 1_000_000 else {
            throw .invalidInput("scenario \(scenario.name): interval must be positive and duration/interval at most 1,000,000")
        }
        var plan: Plan
        if let initial {
            plan = initial
        } else {
            do { plan = try failover.planner.plan(pool: pool, workload: workload) } catch { throw .replan(error.description) }
        }
        var monitor = HealthMonitor(rules: rules, pool: pool)
        monitor.setAllocations(from: plan)
        var replans: [ScenarioReplan] = []
        var violations: [String] = []
        var lastHealth = pool.nodes.map(\.health)
        var t = 0.0
        while t <= scenario.duration {
            monitor.advance(to: t)
            for node in pool.nodes where reports(node, at: t, scenario) {
                for gpu in 0..<max(0, node.gpuCount) {
                    monitor.ingest(TelemetrySample(node: node.id, gpu: gpu, timestamp: t,
                                                   metrics: metrics(node, gpu: gpu, at: t, scenario, plan: plan)))
                }
            }
            let degraded = monitor.applied(to: pool)
            let health = degraded.nodes.map(\.health)
            // Re-plan when a node changes between usable, cordoned and unusable.
            func usability(_ h: HealthState) -> Int { h.isSchedulable ? 0 : h == .cordoned ? 1 : 2 }
            if zip(health, lastHealth).contains(where: { usability($0) != usability($1) }) {
                let result = try failover.replan(current: plan, pool: degraded, workload: workload)
                violations += result.violations.map { "t=\(fmt(t)): \($0)" }
                replans.append(ScenarioReplan(time: t, result: result))
                plan = result.plan
                monitor.setAllocations(from: plan)
            }
            lastHealth = health
            t += scenario.interval
        }
        var states: [String: HealthState] = [:]
        for (node, state) in monitor.states { states[node] = state }
        return ScenarioReport(scenario: scenario, events: monitor.events, replans: replans, violations: violations,
                              finalPlan: plan, finalStates: states)
    }

    private func reports(_ node: Node, at t: Double, _ scenario: FaultScenario) -> Bool {
        for fault in scenario.faults {
            switch fault {
            case let .nodeLoss(id, at) where id == node.id && t >= at: return false
            case let .providerOutage(provider, from, to) where provider == node.provider && t >= from && t < to: return false
            case let .telemetryGap(id, from, to) where id == node.id && t >= from && t < to: return false
            default: continue
            }
        }
        return true
    }

    private func metrics(_ node: Node, gpu: Int, at t: Double, _ scenario: FaultScenario, plan: Plan) -> GPUMetrics {
        let busy = plan.jobs.contains { $0.status == .placed && $0.workers.contains { $0.node == node.id && $0.gpus.contains(gpu) } }
        var m = GPUMetrics(temperatureC: 60, powerW: busy ? 350 : 60, utilizationPct: busy ? 90 : 0,
                           memoryUsedMiB: busy ? 30_000 : 0, memoryTotalMiB: node.gpuMemoryGiB * 1024, xid: 0,
                           eccCorrected: 0, eccUncorrected: 0)
        for fault in scenario.faults {
            switch fault {
            case let .thermalDegradation(id, from, rate) where id == node.id && gpu == 0 && t >= from:
                m.temperatureC = 60 + rate * (t - from) / 60
            case let .flapping(id, from, to, period) where id == node.id && t >= from && t < to:
                if Int((t - from) / period) % 2 == 0 { m.temperatureC = 95 }
            case let .xid(id, g, code, at) where id == node.id && g == gpu && t >= at:
                m.xid = code
            default: continue
            }
        }
        return m
    }
}
