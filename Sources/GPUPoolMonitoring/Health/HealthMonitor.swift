import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolTelemetry

/// The health policy as a state machine per node, driven only by sample timestamps.
///
/// ```swift
/// var monitor = HealthMonitor(rules: rules, pool: pool)
/// monitor.setAllocations(from: plan)
/// for sample in samples { monitor.ingest(sample) }     // push API
/// monitor.advance(to: now)                             // stale telemetry, escalation, recovery
/// let degraded = monitor.applied(to: pool)             // node health for the re-plan
/// ```
///
/// States escalate healthy → suspect → cordoned → draining → failed as findings demand (jumps
/// allowed, e.g. a serious XID drains at once); a problem that persists escalates one step every
/// ``HealthRules/escalateAfterSeconds``; a node with no finding for ``HealthRules/cleanSeconds``
/// returns to healthy. Every transition is in ``events`` with its reason and timestamp. The same
/// samples always give the same events: there is no wall clock inside.
public struct HealthMonitor: Sendable {
    /// The rules applied.
    public let rules: HealthRules
    /// Every event so far, in order.
    public private(set) var events: [HealthEvent] = []
    /// The latest time seen (sample timestamps and ``advance(to:)``), if any.
    public private(set) var now: Double?
    /// Samples ignored because their node is not in the pool.
    public private(set) var unknownNodeSamples = 0

    private struct NodeState: Sendable {
        var state: HealthState
        var since: Double?
        var lastSample: Double?
        var lastDirty: Double?
        var gpus: [Int: GPUHealthTracker] = [:]
        var persistent: [Int: [Finding]] = [:]
        var jobFaultTimes: [Double] = []
        var lost = false
    }

    private var nodes: [String: NodeState] = [:]
    private let order: [String]
    private var allocations: [String: [Int: String]] = [:]

    /// Creates a monitor for these nodes, starting from their current health.
    public init(rules: HealthRules = HealthRules(), pool: Pool) {
        self.rules = rules
        order = pool.nodes.map(\.id)
        for node in pool.nodes { nodes[node.id] = NodeState(state: node.health) }
    }

    /// Tells the policy which GPUs run jobs (for low-utilisation and job-fault attribution).
    public mutating func setAllocations(from plan: Plan) {
        allocations = [:]
        for entry in plan.jobs where entry.status == .placed {
            for worker in entry.workers { for gpu in worker.gpus { allocations[worker.node, default: [:]][gpu] = entry.job } }
        }
    }

    /// The current state of a node (`nil` for unknown ids).
    public func state(of node: String) -> HealthState? { nodes[node]?.state }

    /// The state of every node, in pool order.
    public var states: [(node: String, state: HealthState)] { order.compactMap { id in nodes[id].map { (id, $0.state) } } }

    /// `pool` with each node's health replaced by the monitor's state.
    public func applied(to pool: Pool) -> Pool {
        var copy = pool
        for k in copy.nodes.indices { if let s = nodes[copy.nodes[k].id] { copy.nodes[k].health = s.state } }
        return copy
    }

    /// Feeds one sample (the push API); returns the events it caused.
    @discardableResult
    public mutating func ingest(_ sample: TelemetrySample) -> [HealthEvent] {
        guard sample.timestamp.isFinite, var node = nodes[sample.node] else {
            unknownNodeSamples += 1
            return []
        }
        let first = events.count
        // Node-level decisions use this node's own sample time, so interleaving nodes does not matter.
        let t = max(node.lastSample ?? sample.timestamp, sample.timestamp)
        now = max(now ?? t, t)
        // A gap before this sample is judged first (stale → cordoned/failed), then the sample.
        if staleFinding(node, at: t) != nil { evaluate(&node, id: sample.node, at: t, events: []) }
        node.lastSample = t
        if node.lost { node.lost = false }
        var tracker = node.gpus[sample.gpu] ?? GPUHealthTracker()
        let job = allocations[sample.node]?[sample.gpu]
        let result = tracker.update(sample.metrics, gpu: sample.gpu, at: sample.timestamp, allocated: job != nil, rules: rules)
        node.gpus[sample.gpu] = tracker
        node.persistent[sample.gpu] = result.persistent
        var eventFindings = result.events
        if let x = result.xid, rules.jobLevelXIDs.contains(x) {
            events.append(HealthEvent(timestamp: t, node: sample.node, gpu: sample.gpu, kind: .jobFault, from: node.state,
                                      to: node.state, reason: "GPU \(sample.gpu) XID \(x) (job-level)", jobs: job.map { [$0] } ?? []))
            node.jobFaultTimes = node.jobFaultTimes.filter { t - $0 < rules.jobLevelWindowSeconds } + [t]
            if node.jobFaultTimes.count >= rules.jobLevelRepeats {
                eventFindings.append(Finding(severity: .suspect, reason: "\(node.jobFaultTimes.count) job-level XIDs within \(fmt(rules.jobLevelWindowSeconds)) s", gpu: sample.gpu))
            }
        }
        evaluate(&node, id: sample.node, at: t, events: eventFindings)
        nodes[sample.node] = node
        return Array(events[first...])
    }

    /// Feeds many samples in order; returns the events they caused.
    @discardableResult
    public mutating func ingest(_ samples: some Sequence<TelemetrySample>) -> [HealthEvent] {
        let first = events.count
        for s in samples { ingest(s) }
        return Array(events[first...])
    }

    /// Moves time forward without a sample: stale telemetry, escalation and recovery of every node.
    @discardableResult
    public mutating func advance(to time: Double) -> [HealthEvent] {
        guard time.isFinite else { return [] }
        let first = events.count
        let t = max(now ?? time, time)
        if now == nil {
            // The monitor's start: nodes without samples are measured from here.
            for id in order where nodes[id]?.lastSample == nil { nodes[id]?.lastSample = t }
        }
        now = t
        for id in order {
            guard var node = nodes[id] else { continue }
            if node.lastSample == nil { node.lastSample = t }
            evaluate(&node, id: id, at: t, events: [])
            nodes[id] = node
        }
        return Array(events[first...])
    }

    /// Marks a node lost now (e.g. its provider reports it gone): failed at once.
    @discardableResult
    public mutating func markLost(_ id: String, at time: Double, reason: String) -> [HealthEvent] {
        guard var node = nodes[id] else { return [] }
        let first = events.count
        let t = max(now ?? time, time)
        now = t
        node.lost = true
        node.lastDirty = t
        transition(&node, id: id, to: .failed, at: t, reason: reason)
        nodes[id] = node
        return Array(events[first...])
    }

    // MARK: -

    private func staleFinding(_ node: NodeState, at t: Double) -> Finding? {
        guard let last = node.lastSample else { return nil }
        let gap = t - last
        if gap >= rules.failAfterSeconds { return Finding(severity: .failed, reason: "no telemetry for \(fmt(gap)) s (fail after \(fmt(rules.failAfterSeconds)) s)") }
        if gap >= rules.staleAfterSeconds { return Finding(severity: .cordoned, reason: "no telemetry for \(fmt(gap)) s (stale after \(fmt(rules.staleAfterSeconds)) s)") }
        return nil
    }

    private mutating func evaluate(_ node: inout NodeState, id: String, at t: Double, events found: [Finding]) {
        var persistent = node.persistent.keys.sorted().flatMap { node.persistent[$0] ?? [] }
        if let stale = staleFinding(node, at: t) { persistent.append(stale) }
        if node.lost { persistent.append(Finding(severity: .failed, reason: "node lost")) }
        let all = persistent + found
        if !all.isEmpty { node.lastDirty = t }
        if let worst = all.max(by: { $0.severity.severity < $1.severity.severity }), worst.severity.severity > node.state.severity {
            transition(&node, id: id, to: worst.severity, at: t, reason: worst.reason)
            return
        }
        // A problem that persists escalates one step at a time.
        if let worst = persistent.max(by: { $0.severity.severity < $1.severity.severity }),
           node.state == .suspect || node.state == .cordoned, let since = node.since, t - since >= rules.escalateAfterSeconds
        {
            transition(&node, id: id, to: node.state.escalated, at: t,
                       reason: "\(worst.reason); persisted \(fmt(t - since)) s in \(node.state.rawValue)")
            return
        }
        if node.state != .healthy, all.isEmpty, let dirty = node.lastDirty ?? node.since, t - dirty >= rules.cleanSeconds {
            transition(&node, id: id, to: .healthy, at: t, reason: "clean for \(fmt(t - dirty)) s; returned to service")
        } else if node.state != .healthy, all.isEmpty, node.lastDirty == nil, node.since == nil {
            // Started unhealthy (from the pool file) with nothing known: measure the clean period from now.
            node.since = t
            node.lastDirty = t
        }
    }

    private mutating func transition(_ node: inout NodeState, id: String, to state: HealthState, at t: Double, reason: String) {
        guard state != node.state else { return }
        events.append(HealthEvent(timestamp: t, node: id, kind: .transition, from: node.state, to: state, reason: reason))
        node.state = state
        node.since = t
    }
}
