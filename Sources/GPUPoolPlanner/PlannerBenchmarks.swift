import Foundation
import GPUPoolDomain
import GPUPoolHeuristics
import GPUPoolSolver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Generated instances and runners for `gpupool bench plan` and `gpupool bench allocation`.
public enum PlannerBenchmarks {
    /// Result of a placement benchmark (the `bench plan` JSON fields).
    public struct PlacementResult: Sendable, Hashable, Codable {
        /// Jobs generated.
        public var jobs: Int
        /// GPUs in the generated pool.
        public var gpus: Int
        /// Jobs placed.
        public var placed: Int
        /// Primary objective value (GPUs placed for max-utilization).
        public var objective: Double?
        /// Bound on the primary objective, when known.
        public var bound: Double?
        /// Planning seconds (instance generation excluded).
        public var seconds: Double
        /// Peak resident memory of the process in MiB.
        public var peak_rss_mb: Double
        /// How the plan was computed.
        public var method: String
        /// Relative gap between objective and bound.
        public var gap: Double?
        /// Independent checker violations (0 for a valid plan).
        public var violations: Int
    }

    /// Result of an allocation benchmark (the `bench allocation` JSON fields).
    public struct AllocationResult: Sendable, Hashable, Codable {
        /// Jobs in the instance.
        public var jobs: Int
        /// GPUs in the pool (all types).
        public var gpus: Int
        /// Allocation policy, e.g. `"max-min-fairness"`.
        public var policy: String
        /// LP objective (fairness level `t`, or total normalised throughput).
        public var objective: Double
        /// Proven upper bound, when known.
        public var bound: Double?
        /// Seconds spent in the allocation (instance generation excluded).
        public var seconds: Double
        /// How it was solved.
        public var method: String
        /// POP partitions (1: whole).
        public var partitions: Int
    }

    /// Accelerator models the generator draws from: name, GiB, relative speed, $/GPU-hour (cloud).
    static let catalog: [(name: String, memory: Double, speed: Double, price: Double)] = [
        ("H100", 80, 3.3, 2.49), ("A100-80GB", 80, 2.2, 1.79), ("A100", 40, 2.0, 1.29), ("L40S", 48, 1.6, 1.10),
        ("A6000", 48, 1.0, 0.80), ("RTX4090", 24, 1.1, 0.45), ("V100", 16, 1.0, 0.55), ("MI300X", 192, 2.8, 2.10),
    ]

    /// A realistic generated pool and workload.
    ///
    /// - Pool: `gpus` GPUs of `types` (1–8) accelerator models, from an own data center (8-GPU
    ///   nodes, availability 0.995), two clouds (8- and 4-GPU nodes, 0.98) and a community share
    ///   (1–4 GPU hosts, 0.90), two regions each; prices per (provider, model).
    /// - Workload: `jobs` jobs; 60–80 % single-GPU, the rest gangs of 2–64 GPUs (8 GPUs per
    ///   worker above 8); mixed localities (small gangs on one node, large ones in one region or
    ///   provider), 30 % restricted to 2–3 models, some memory minimums, provider denials, budgets,
    ///   three priority tiers, eight tenants (two with quotas), per-job speed variations.
    /// - Throws: ``PlannerError/invalidInput(_:)`` for counts out of range.
    public static func generate(jobs: Int, gpus: Int, types: Int = 4, seed: UInt64 = 1) throws(PlannerError) -> (pool: Pool, workload: Workload) {
        var problems: [String] = []
        if jobs < 0 || jobs > 1_000_000 { problems.append("jobs \(jobs) must be in 0...1000000") }
        if gpus < 1 || gpus > 10_000_000 { problems.append("gpus \(gpus) must be in 1...10000000") }
        if types < 1 || types > catalog.count { problems.append("types \(types) must be in 1...\(catalog.count)") }
        if !problems.isEmpty { throw .invalidInput(problems) }
        var rng = SeededGenerator(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func pick<T>(_ values: [T]) -> T { values[rng.nextInt(below: values.count)] }
        let models = Array(catalog.prefix(types))

        let providers = [
            Provider(id: "own-dc", kind: .ownDataCenter, name: "Own data center"),
            Provider(id: "cloud-a", kind: .cloud, name: "Cloud A"),
            Provider(id: "cloud-b", kind: .cloud, name: "Cloud B"),
            Provider(id: "community", kind: .community, name: "Community share"),
        ]
        // Share of GPUs, node sizes and price factor per provider.
        let supply: [(provider: String, share: Double, sizes: [Int], priceFactor: Double, regions: [String])] = [
            ("own-dc", 0.30, [8], 0.6, ["eu-west", "us-east"]),
            ("cloud-a", 0.30, [8, 8, 4], 1.0, ["us-east", "us-west"]),
            ("cloud-b", 0.25, [8, 4], 1.1, ["eu-west", "ap-south"]),
            ("community", 0.15, [1, 2, 4, 4], 0.5, ["us-east", "eu-west"]),
        ]
        var nodes: [Node] = []
        var remaining = gpus
        for (s, source) in supply.enumerated() {
            var budget = s == supply.count - 1 ? remaining : Int((Double(gpus) * source.share).rounded())
            budget = min(budget, remaining)
            remaining -= budget
            var index = 0
            while budget > 0 {
                let model = models[index % models.count]
                let size = min(budget, pick(source.sizes))
                let region = source.regions[(index / models.count) % source.regions.count]
                let price = (model.price * source.priceFactor * 100).rounded() / 100
                nodes.append(Node(
                    id: "\(source.provider)-\(index)", provider: source.provider, accelerator: model.name,
                    gpuCount: size, gpuMemoryGiB: model.memory, interconnect: size >= 4 ? .nvlink : .pcie,
                    region: region, pricePerGPUHour: price))
                budget -= size
                index += 1
            }
        }
        let pool = Pool(providers: providers, nodes: nodes)

        let singleShare = 0.6 + 0.2 * uniform()
        let gangSizes = [2, 4, 8, 16, 32, 64]
        let gangWeights = [0.30, 0.25, 0.25, 0.10, 0.06, 0.04]
        let tenants = (0..<8).map { "tenant-\($0)" }
        var jobsOut: [Job] = []
        jobsOut.reserveCapacity(jobs)
        var arrival = 0.0
        for i in 0..<jobs {
            var size = 1
            if uniform() >= singleShare {
                var u = uniform()
                size = gangSizes.last ?? 1
                for (g, w) in zip(gangSizes, gangWeights) {
                    if u < w { size = g; break }
                    u -= w
                }
            }
            let gpw = min(size, 8)
            let shape: JobShape
            var allowed: [String]?
            if uniform() < 0.3 && models.count > 2 {
                var names = models.map(\.name)
                for k in stride(from: names.count - 1, to: 0, by: -1) { names.swapAt(k, rng.nextInt(below: k + 1)) }
                allowed = Array(names.prefix(2 + rng.nextInt(below: 2)))
            }
            shape = JobShape(workers: size / gpw, gpusPerWorker: gpw, accelerators: allowed)
            let locality: Locality
            if size == 1 { locality = .any } else if size <= 8 { locality = uniform() < 0.8 ? .node : .any } else {
                let u = uniform()
                locality = u < 0.5 ? .region : u < 0.7 ? .provider : .any
            }
            var throughput: [String: Double] = [:]
            for model in models where allowed?.contains(model.name) ?? true {
                throughput[model.name] = Double(size) * model.speed * (0.7 + 0.6 * uniform())
            }
            let cheapest = models.filter { allowed?.contains($0.name) ?? true }.map(\.price).min() ?? 1
            arrival += 30 * uniform()
            jobsOut.append(Job(
                id: "job-\(i)", tenant: tenants[rng.nextInt(below: tenants.count)],
                priority: uniform() < 0.7 ? 0 : uniform() < 0.67 ? 1 : 2, shape: shape,
                minGPUMemoryGiB: uniform() < 0.15 ? 40 : 0, throughput: throughput, locality: locality,
                preferredRegion: uniform() < 0.2 ? pick(["us-east", "eu-west"]) : nil,
                deniedProviders: uniform() < 0.05 ? ["community"] : [],
                budgetPerHour: uniform() < 0.1 ? (cheapest * Double(size) * 1.2 * 100).rounded() / 100 : nil,
                expectedDurationHours: 1 + 23 * uniform(), weight: uniform() < 0.2 ? 2 : 1, arrivalSeconds: arrival))
        }
        let quotas = ["tenant-0": max(1, gpus / 10), "tenant-1": max(1, gpus / 20)]
        return (pool, Workload(jobs: jobsOut, tenantQuotas: quotas))
    }

    /// The Gavel-shape allocation instance: `gpusPerType` GPUs each of V100, P100 and K80 (8-GPU
    /// nodes, one provider) and `jobs` jobs whose types and scale factors are drawn from Gavel's
    /// throughput matrix (scale factors 1, 2, 4, 8 with Gavel's trace frequencies 70/10/15/5 %),
    /// weight 1, throughputs from `throughputs`.
    public static func gavelAllocationInstance(
        jobs: Int = 1024, gpusPerType: Int = 256, throughputs: GavelThroughputs, seed: UInt64 = 1
    ) throws(PlannerError) -> (pool: Pool, workload: Workload) {
        guard jobs >= 1, jobs <= 1_000_000, gpusPerType >= 1, gpusPerType <= 1_000_000 else {
            throw .invalidInput(["jobs \(jobs) and gpusPerType \(gpusPerType) must be in 1...1000000"])
        }
        let types = throughputs.jobTypes(workerType: "v100")
        guard !types.isEmpty else { throw .invalidInput(["the Gavel throughput table has no v100 job types"]) }
        var rng = SeededGenerator(seed: seed)
        var nodes: [Node] = []
        for (worker, model) in [("v100", "V100"), ("p100", "P100"), ("k80", "K80")] {
            var left = gpusPerType
            var i = 0
            while left > 0 {
                let size = min(8, left)
                nodes.append(Node(id: "\(worker)-\(i)", provider: "gavel", accelerator: model, gpuCount: size,
                                  gpuMemoryGiB: model == "K80" ? 12 : 16, region: "local", pricePerGPUHour: 0))
                left -= size
                i += 1
            }
        }
        let pool = Pool(providers: [Provider(id: "gavel", kind: .ownDataCenter)], nodes: nodes)
        var out: [Job] = []
        for i in 0..<jobs {
            let u = rng.nextInt(below: 100)
            let scale = u < 70 ? 1 : u < 80 ? 2 : u < 95 ? 4 : 8
            let type = types[rng.nextInt(below: types.count)]
            var measured: [String: Double] = [:]
            for (worker, model) in GavelThroughputs.workerTypeModels {
                if let value = throughputs.throughput(jobType: type, scaleFactor: scale, workerType: worker) { measured[model] = value }
            }
            out.append(Job(id: "job-\(i)", tenant: "default", shape: JobShape(workers: scale, gpusPerWorker: 1),
                           throughput: measured, locality: .any, jobType: type))
        }
        return (pool, Workload(jobs: out))
    }

    /// Generates an instance and plans it; `policies` default to max-utilization alone so that the
    /// objective is "GPUs placed" and its bound is meaningful.
    public static func runPlacement(
        jobs: Int, gpus: Int, types: Int = 4, method: PlanningMethod = .heuristic, seed: UInt64 = 1,
        policies: [PlanningPolicy] = [.maxUtilization], timeLimit: Double? = 30, partitions: Int = 1
    ) throws(PlannerError) -> PlacementResult {
        let (pool, workload) = try generate(jobs: jobs, gpus: gpus, types: types, seed: seed)
        let planner = Planner(options: PlannerOptions(
            policies: policies, method: method, timeLimit: timeLimit, partitions: partitions, seed: seed))
        let plan = try planner.plan(pool: pool, workload: workload)
        return PlacementResult(
            jobs: jobs, gpus: gpus, placed: plan.metrics.placedJobs, objective: plan.metrics.objective,
            bound: plan.metrics.bound, seconds: plan.metrics.solveSeconds, peak_rss_mb: peakResidentMiB(),
            method: plan.method, gap: plan.metrics.gap, violations: PlanChecker.check(plan, pool: pool, workload: workload).count)
    }

    /// Builds the Gavel-shape instance and solves its allocation LP under `policy`.
    public static func runAllocation(
        jobs: Int = 1024, gpusPerType: Int = 256, policy: PlanningPolicy = .maxMinFairness, throughputs: GavelThroughputs,
        method: PlanningMethod = .auto, partitions: Int = 1, seed: UInt64 = 1
    ) throws(PlannerError) -> AllocationResult {
        let (pool, workload) = try gavelAllocationInstance(jobs: jobs, gpusPerType: gpusPerType, throughputs: throughputs, seed: seed)
        let planner = Planner(options: PlannerOptions(method: method, timeLimit: nil, partitions: partitions, seed: seed))
        let allocation = try planner.allocate(pool: pool, workload: workload, policy: policy)
        return AllocationResult(
            jobs: jobs, gpus: 3 * gpusPerType, policy: policy.rawValue, objective: allocation.objective,
            bound: allocation.bound, seconds: allocation.seconds, method: allocation.method, partitions: allocation.partitions)
    }

    /// Peak resident set size of this process in MiB (0 when the platform does not say).
    public static func peakResidentMiB() -> Double {
        var usage = rusage()
        #if canImport(Darwin)
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1024
        #endif
    }
}
