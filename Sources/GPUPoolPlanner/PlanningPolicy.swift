import Foundation

/// A planning objective. Policies combine lexicographically: the planner optimises the first,
/// then the second subject to the first staying within ``PlannerOptions/lexicographicTolerance``,
/// and so on.
///
/// These rules make every list meaningful:
/// - ``priority`` always comes first when present (higher tiers are placed before lower ones).
/// - Plans are work-conserving: ``maxUtilization`` always comes before the first ``minCost`` or
///   ``maxAvailability`` (a plan that places nothing costs nothing and loses no availability, and
///   a cheaper plan must not leave a job idle that fits), and is appended when the list lacks it.
///
/// The plan lists the effective order in ``Plan/policies``.
public enum PlanningPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Minimise the price per hour of the GPUs in use.
    case minCost = "min-cost"
    /// Maximise the number of GPUs in use.
    case maxUtilization = "max-utilization"
    /// Maximise heterogeneity-aware throughput: each placed job counts its GPUs times its
    /// throughput on the chosen accelerator relative to its best accelerator (Gavel).
    case maxThroughput = "max-throughput"
    /// Maximise `Σ log P` over the nodes each gang uses, i.e. the product of gang survival
    /// probabilities.
    case maxAvailability = "max-availability"
    /// Weighted max-min fairness (Gavel): an allocation LP maximises `t` subject to every job's
    /// throughput, normalised by its throughput on an equal share of the pool, being at least
    /// `weight · t`; the placement then realises the allocation's time fractions.
    case maxMinFairness = "max-min-fairness"
    /// Like ``maxMinFairness`` but blind to accelerator differences (every accelerator counts as
    /// equally fast); the heterogeneity-agnostic baseline.
    case maxMinFairnessAgnostic = "max-min-fairness-agnostic"
    /// Arrival order, first fit (baseline). Always solved greedily; ignores later policies.
    case fifo
    /// Priority tiers: jobs of a higher ``Job/priority`` are placed before any job of a lower one.
    case priority

    /// The policy for a command-line name (`min-cost`, `max-utilization`, …; `_` and case ignored).
    /// - Throws: ``PlannerError/invalidInput(_:)`` naming the unknown policy and the valid names.
    public init(name: String) throws(PlannerError) {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        if let policy = PlanningPolicy(rawValue: key) {
            self = policy
            return
        }
        let aliases: [String: PlanningPolicy] = [
            "cost": .minCost, "utilization": .maxUtilization, "utilisation": .maxUtilization,
            "max-utilisation": .maxUtilization, "throughput": .maxThroughput,
            "availability": .maxAvailability, "fairness": .maxMinFairness,
            "max-min-fairness-perf": .maxMinFairness, "priorities": .priority,
        ]
        if let policy = aliases[key] {
            self = policy
            return
        }
        let valid = PlanningPolicy.allCases.map(\.rawValue).joined(separator: ", ")
        throw .invalidInput(["unknown policy '\(name)'; valid policies: \(valid)"])
    }

    /// Parses a comma-separated list such as `"priority,max-throughput,min-cost"`.
    /// - Throws: ``PlannerError/invalidInput(_:)`` listing every unknown or repeated name.
    public static func list(_ text: String) throws(PlannerError) -> [PlanningPolicy] {
        var result: [PlanningPolicy] = []
        var problems: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = String(part).trimmingCharacters(in: .whitespaces)
            if name.isEmpty {
                problems.append("empty policy name in '\(text)'")
                continue
            }
            do {
                let policy = try PlanningPolicy(name: name)
                if result.contains(policy) {
                    problems.append("policy '\(name)' is listed twice")
                } else {
                    result.append(policy)
                }
            } catch {
                if case let .invalidInput(messages) = error { problems.append(contentsOf: messages) }
            }
        }
        if !problems.isEmpty { throw .invalidInput(problems) }
        return result
    }

    /// Whether the policy needs the allocation LP (time fractions per accelerator).
    var needsAllocation: Bool { self == .maxMinFairness || self == .maxMinFairnessAgnostic }

    /// The order the planner actually uses for `policies` (see the type's documentation).
    public static func effectiveOrder(_ policies: [PlanningPolicy]) -> [PlanningPolicy] {
        var list: [PlanningPolicy] = []
        for p in policies where !list.contains(p) { list.append(p) }
        if list.isEmpty { list = [.maxUtilization] }
        if let i = list.firstIndex(of: .priority), i != 0 {
            list.remove(at: i)
            list.insert(.priority, at: 0)
        }
        // Work conservation: max-utilization comes before the first min-cost or max-availability
        // (a cheaper or safer plan must not leave a job idle that fits) and is appended when absent.
        if !list.contains(.fifo) {
            let firstSaving = list.firstIndex { $0 == .minCost || $0 == .maxAvailability }
            if let utilization = list.firstIndex(of: .maxUtilization) {
                if let saving = firstSaving, saving < utilization {
                    list.remove(at: utilization)
                    list.insert(.maxUtilization, at: saving)
                }
            } else if let saving = firstSaving {
                list.insert(.maxUtilization, at: saving)
            } else {
                list.append(.maxUtilization)
            }
        }
        return list
    }
}
