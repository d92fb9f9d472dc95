import GPUPoolDomain
import GPUPoolTelemetry

/// Something the health policy decided, with when and why.
public struct HealthEvent: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of event.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The node changed state (``from`` → ``to``).
        case transition
        /// A job-level fault (e.g. XID 13/31/43) on a GPU: blamed on the job, the node is unchanged.
        case jobFault = "job-fault"
    }

    /// Seconds since 1970, from the sample that caused it (never the wall clock).
    public var timestamp: Double
    /// The node.
    public var node: String
    /// The GPU, when one GPU caused it.
    public var gpu: Int?
    /// The kind.
    public var kind: Kind
    /// State before (transitions).
    public var from: HealthState
    /// State after (transitions; equal to ``from`` for job faults).
    public var to: HealthState
    /// Why, e.g. `"GPU 3 temperature 93 °C ≥ critical 92 °C"`.
    public var reason: String
    /// Jobs running on the GPU (job faults), when allocations are known.
    public var jobs: [String]

    /// Creates an event.
    public init(timestamp: Double, node: String, gpu: Int? = nil, kind: Kind, from: HealthState, to: HealthState,
                reason: String, jobs: [String] = [])
    {
        self.timestamp = timestamp
        self.node = node
        self.gpu = gpu
        self.kind = kind
        self.from = from
        self.to = to
        self.reason = reason
        self.jobs = jobs
    }

    /// `t=… node: from → to (reason)`.
    public var description: String {
        switch kind {
        case .transition: "t=\(timestamp) \(node): \(from.rawValue) → \(to.rawValue) (\(reason))"
        case .jobFault: "t=\(timestamp) \(node): job fault (\(reason))\(jobs.isEmpty ? "" : " jobs \(jobs.joined(separator: ","))")"
        }
    }
}

extension HealthState {
    /// Order of severity: healthy 0 < suspect 1 < cordoned 2 < draining 3 < failed 4.
    public var severity: Int {
        switch self {
        case .healthy: 0
        case .suspect: 1
        case .cordoned: 2
        case .draining: 3
        case .failed: 4
        }
    }

    /// The next state in suspect → cordoned → draining → failed.
    var escalated: HealthState {
        switch self {
        case .healthy: .suspect
        case .suspect: .cordoned
        case .cordoned: .draining
        case .draining, .failed: .failed
        }
    }
}
