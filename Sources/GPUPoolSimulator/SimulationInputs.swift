import Foundation
import GPUPoolDomain

/// The pool and jobs of a simulation, loaded from files.
public struct SimulationInputs: Sendable {
    /// The pool.
    public var pool: Pool
    /// The jobs, with arrival times and total steps.
    public var jobs: [Job]

    /// Creates inputs.
    public init(pool: Pool, jobs: [Job]) {
        self.pool = pool
        self.jobs = jobs
    }

    /// Loads a trace and a pool.
    ///
    /// - Parameters:
    ///   - trace: Gavel `.trace` (7 or 10 columns) or simple `.csv`.
    ///   - throughputs: Gavel's `simulation_throughputs.json`; default: the file of that name next to
    ///     the trace, else the subset shipped with GPUPoolDomain.
    ///   - pool: pool file (planner format), or
    ///   - cluster: `v100:36,p100:36,k80:36` with `gpusPerNode` GPUs per node and node availability
    ///     `availability` (default: own data center, 0.995).
    /// - Throws: ``SimulationError`` naming every problem with its file and line.
    public static func load(
        trace: String, throughputs: String? = nil, pool poolPath: String? = nil, cluster: String? = nil,
        gpusPerNode: Int = 4, availability: Double? = nil
    ) throws(SimulationError) -> SimulationInputs {
        let pool: Pool
        switch (poolPath, cluster) {
        case let (path?, nil):
            do { pool = try PoolFile.read(path: path) } catch { throw SimulationError("\(error)") }
        case let (nil, text?):
            pool = try ClusterSpec(parsing: text, gpusPerNode: gpusPerNode).pool(availability: availability)
        default:
            throw SimulationError("give exactly one of a pool file and a cluster (e.g. v100:36,p100:36,k80:36)")
        }
        if let a = availability, !(a > 0 && a <= 1) { throw SimulationError("availability \(a) must be in (0, 1]") }
        let matrix = try loadThroughputs(explicit: throughputs, trace: trace)
        let largestNode = pool.nodes.map(\.gpuCount).max() ?? 1
        let jobs = try TraceLoader.read(path: trace, throughputs: matrix, consolidateUpTo: max(1, largestNode))
        if jobs.isEmpty { throw SimulationError("\(trace): no jobs") }
        return SimulationInputs(pool: pool, jobs: jobs)
    }

    private static func loadThroughputs(explicit: String?, trace: String) throws(SimulationError) -> GavelThroughputs? {
        let candidate = explicit ?? ((trace as NSString).deletingLastPathComponent as NSString).appendingPathComponent("simulation_throughputs.json")
        if explicit != nil || FileManager.default.fileExists(atPath: candidate) {
            do { return try GavelThroughputs.read(path: candidate) } catch { throw SimulationError("\(error)") }
        }
        return try? DemoData.gavelThroughputs()
    }
}
