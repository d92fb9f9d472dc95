import GPUPoolDomain
import GRDB
import GPUPoolMonitoring
import GPUPoolTelemetry

/// An availability estimate for one node or provider.
public struct AvailabilityEstimate: Sendable, Hashable, Codable {
    /// Node or provider id.
    public var id: String
    /// The provider (for nodes; the id itself for providers).
    public var provider: String
    /// Hours observed.
    public var observedHours: Double
    /// Hours schedulable (healthy or suspect) within them.
    public var upHours: Double
    /// Transitions into draining or failed.
    public var failures: Int
    /// Prior mean (provider estimate for nodes; the provider's stated or kind-default availability for providers).
    public var prior: Double
    /// Posterior mean: `(prior·k + upHours) / (k + observedHours)`, k = the prior's weight in hours.
    public var estimate: Double

    /// Creates an estimate.
    public init(id: String, provider: String, observedHours: Double, upHours: Double, failures: Int, prior: Double, estimate: Double) {
        self.id = id
        self.provider = provider
        self.observedHours = observedHours
        self.upHours = upHours
        self.failures = failures
        self.prior = prior
        self.estimate = estimate
    }
}

/// Availability estimates learned from health history, per node and per provider.
///
/// The measure is the fraction of observed time a node was schedulable, smoothed by a Beta prior:
/// `Beta(m·k, (1−m)·k)` with `m` the provider kind's default (or the provider's stated value) and
/// `k` = ``priorWeightHours``. Providers pool their nodes' time; a node's prior is its provider's
/// estimate, so a new node starts at its provider's record rather than at a blind default.
public struct AvailabilityReport: Sendable, Hashable, Codable {
    /// Weight of the prior in hours of observation.
    public var priorWeightHours: Double
    /// Per node, in pool order.
    public var nodes: [AvailabilityEstimate]
    /// Per provider, in pool order.
    public var providers: [AvailabilityEstimate]

    /// The estimate of a node, if any.
    public func node(_ id: String) -> AvailabilityEstimate? { nodes.first { $0.id == id } }
    /// The estimate of a provider, if any.
    public func provider(_ id: String) -> AvailabilityEstimate? { providers.first { $0.id == id } }
}

extension Pool {
    /// The pool with P_i taken from history: each node's ``Node/availability`` set to its
    /// estimate and each provider's to its provider estimate (nodes not in the report keep theirs).
    public func withAvailability(from report: AvailabilityReport) -> Pool {
        var copy = self
        for k in copy.nodes.indices { if let e = report.node(copy.nodes[k].id) { copy.nodes[k].availability = e.estimate } }
        for k in copy.providers.indices { if let e = report.provider(copy.providers[k].id) { copy.providers[k].availability = e.estimate } }
        return copy
    }
}

extension HistoryStore {
    /// Availability estimates for the nodes of `pool` from the health events recorded up to `asOf`.
    ///
    /// A node's observation starts when it was registered (``register(pool:at:)``) or at its first
    /// event; it was healthy at the start unless its first event says otherwise.
    public func availability(pool: Pool, asOf: Double, priorWeightHours: Double = 24) throws(HistoryError) -> AvailabilityReport {
        guard priorWeightHours > 0, priorWeightHours.isFinite, asOf.isFinite else {
            throw .invalidInput("availability needs a positive prior weight and a finite time (got \(priorWeightHours) h, \(asOf))")
        }
        let (firstSeen, transitions) = try read { db -> ([String: Double], [String: [(Double, HealthState, HealthState)]]) in
            var seen: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, first_seen FROM nodes") { seen[row["id"]] = row["first_seen"] }
            var byNode: [String: [(Double, HealthState, HealthState)]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT node, ts, from_state, to_state FROM health_events WHERE kind = 'transition' AND ts <= ? ORDER BY ts, id", arguments: [asOf]) {
                let from = HealthState(rawValue: row["from_state"]) ?? .healthy
                let to = HealthState(rawValue: row["to_state"]) ?? .healthy
                byNode[row["node"], default: []].append((row["ts"], from, to))
            }
            return (seen, byNode)
        }
        struct Tally { var observed = 0.0, up = 0.0, failures = 0 }
        var tallies: [String: Tally] = [:]
        for node in pool.nodes {
            let events = transitions[node.id] ?? []
            guard let start = firstSeen[node.id] ?? events.first?.0, start < asOf else { tallies[node.id] = Tally(); continue }
            var tally = Tally()
            var state = events.first?.1 ?? .healthy
            var t = start
            for (time, _, to) in events where time >= start {
                if state.isSchedulable { tally.up += time - t }
                tally.observed += time - t
                if to == .failed || to == .draining, state != .failed, state != .draining { tally.failures += 1 }
                state = to
                t = time
            }
            if state.isSchedulable { tally.up += asOf - t }
            tally.observed += asOf - t
            tally.observed /= 3600
            tally.up /= 3600
            tallies[node.id] = tally
        }
        var providers: [AvailabilityEstimate] = []
        var providerEstimate: [String: Double] = [:]
        for provider in pool.providers {
            var sum = Tally()
            for node in pool.nodes where node.provider == provider.id {
                let t = tallies[node.id] ?? Tally()
                sum.observed += t.observed
                sum.up += t.up
                sum.failures += t.failures
            }
            let prior = provider.effectiveAvailability
            let estimate = (prior * priorWeightHours + sum.up) / (priorWeightHours + sum.observed)
            providerEstimate[provider.id] = estimate
            providers.append(AvailabilityEstimate(id: provider.id, provider: provider.id, observedHours: sum.observed,
                                                  upHours: sum.up, failures: sum.failures, prior: prior, estimate: estimate))
        }
        let nodes = pool.nodes.map { node -> AvailabilityEstimate in
            let t = tallies[node.id] ?? Tally()
            let prior = providerEstimate[node.provider] ?? pool.effectiveAvailability(of: node)
            let estimate = (prior * priorWeightHours + t.up) / (priorWeightHours + t.observed)
            return AvailabilityEstimate(id: node.id, provider: node.provider, observedHours: t.observed, upHours: t.up,
                                        failures: t.failures, prior: prior, estimate: estimate)
        }
        return AvailabilityReport(priorWeightHours: priorWeightHours, nodes: nodes, providers: providers)
    }
}
