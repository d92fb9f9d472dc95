import Foundation
import GPUPoolSupport
import GPUPoolDomain

/// One scripted outage: a node is down from `start` until `end` (seconds of simulated time).
public struct NodeOutage: Sendable, Hashable, Codable {
    /// ``Node/id`` of the failing node.
    public var node: String
    /// When the node fails.
    public var start: Double
    /// When it is repaired (`start < end`).
    public var end: Double

    /// Creates an outage.
    public init(node: String, start: Double, end: Double) {
        self.node = node
        self.start = start
        self.end = end
    }
}

/// How nodes fail and come back during a simulation.
public enum FailureModel: Sendable, Hashable {
    /// Nodes never fail.
    case none
    /// Each node alternates up and down periods drawn from exponential distributions: the mean
    /// repair time is `meanRepairSeconds`, and the mean up time is chosen so that the node is up a
    /// fraction P_i of the time (its ``Pool/effectiveAvailability(of:)``): `MTBF = R · P / (1 − P)`.
    case availability(meanRepairSeconds: Double)
    /// Exactly these outages.
    case scripted([NodeOutage])

    /// Problems with the model (empty when valid).
    public func problems() -> [String] {
        switch self {
        case .none: return []
        case let .availability(r):
            return r > 0 && r.isFinite ? [] : ["mean repair time \(r) s must be a positive number"]
        case let .scripted(outages):
            return outages.enumerated().compactMap { i, o in
                o.start >= 0 && o.end > o.start && o.end.isFinite
                    ? nil : "outage \(i + 1) of node \"\(o.node)\": needs 0 ≤ start < end (got \(o.start) … \(o.end))"
            }
        }
    }
}

/// The outages of every node over the simulated horizon, drawn once so that every policy of a
/// comparison sees exactly the same failures.
public struct FailureSchedule: Sendable, Hashable {
    /// Outages per node id, sorted by start, not overlapping.
    public var outages: [String: [NodeOutage]]

    /// Creates a schedule from explicit outages.
    public init(outages: [NodeOutage]) {
        var byNode: [String: [NodeOutage]] = [:]
        for o in outages { byNode[o.node, default: []].append(o) }
        for (node, list) in byNode {
            // Merge overlapping outages so a node is either up or down at any instant.
            var merged: [NodeOutage] = []
            for o in list.sorted(by: { $0.start < $1.start }) {
                if let last = merged.last, o.start <= last.end {
                    merged[merged.count - 1].end = max(last.end, o.end)
                } else {
                    merged.append(o)
                }
            }
            byNode[node] = merged
        }
        self.outages = byNode
    }

    /// Draws outages for `pool` up to `horizon` seconds.
    /// - Throws: ``SimulationError`` when a scripted outage names an unknown node or the model is invalid.
    public static func make(model: FailureModel, pool: Pool, horizon: Double, seed: UInt64) throws(SimulationError) -> FailureSchedule {
        let problems = model.problems()
        if !problems.isEmpty { throw SimulationError(problems) }
        switch model {
        case .none:
            return FailureSchedule(outages: [])
        case let .scripted(list):
            let ids = Set(pool.nodes.map(\.id))
            let unknown = list.filter { !ids.contains($0.node) }.map { "outage: unknown node \"\($0.node)\"" }
            if !unknown.isEmpty { throw SimulationError(unknown) }
            return FailureSchedule(outages: list)
        case let .availability(repair):
            var all: [NodeOutage] = []
            for (index, node) in pool.nodes.enumerated() {
                let p = min(1, max(0, pool.effectiveAvailability(of: node)))
                guard p < 1 else { continue }
                // One stream per node: adding a node does not change the others' failures.
                var rng = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1))
                let meanUp = p <= 0 ? 0 : repair * p / (1 - p)
                var t = rng.exponential(mean: meanUp)
                var count = 0
                while t < horizon && count < 100_000 {
                    let down = max(1, rng.exponential(mean: repair))
                    all.append(NodeOutage(node: node.id, start: t, end: t + down))
                    t += down + rng.exponential(mean: meanUp)
                    count += 1
                }
            }
            return FailureSchedule(outages: all)
        }
    }

    /// Whether `node` is down at time `t`.
    public func isDown(_ node: String, at t: Double) -> Bool {
        guard let list = outages[node] else { return false }
        return list.contains { $0.start <= t && t < $0.end }
    }

    /// The first failure of `node` in the open interval (from, to), if any.
    public func nextFailure(of node: String, after from: Double, before to: Double) -> Double? {
        outages[node]?.first { $0.start > from && $0.start < to }?.start
    }

    /// The earliest failure or repair of any node strictly after `t`.
    public func nextChange(after t: Double) -> Double? {
        var best: Double?
        for list in outages.values {
            for o in list {
                if o.start > t { best = min(best ?? o.start, o.start); break }
                if o.end > t { best = min(best ?? o.end, o.end); break }
            }
        }
        return best
    }

    /// Number of outages.
    public var count: Int { outages.values.reduce(0) { $0 + $1.count } }
}

extension SeededGenerator {
    /// An exponential variate with the given mean (0 when the mean is not positive), by inversion
    /// of a uniform in (0, 1].
    mutating func exponential(mean: Double) -> Double { mean <= 0 ? 0 : -mean * Foundation.log(1 - nextDouble()) }
}
