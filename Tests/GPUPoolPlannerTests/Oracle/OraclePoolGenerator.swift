import GPUPoolDomain

/// SplitMix64: a tiny, well-known seeded generator (own copy, so the oracle shares no code with the planner).
struct OracleRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next() % width)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// A random non-empty subset (order kept), of at most `maxCount` items.
    mutating func subset<T>(_ items: [T], maxCount: Int) -> [T] {
        var chosen = items.filter { _ in chance(0.5) }
        if chosen.isEmpty { chosen = [pick(items)] }
        while chosen.count > maxCount { chosen.remove(at: int(0...(chosen.count - 1))) }
        return chosen
    }
}

/// Instance sizes of the oracle.
enum OracleSize: String, Sendable, CaseIterable {
    /// ≤ 3 nodes of ≤ 4 GPUs, ≤ 4 jobs: every feasible plan can be enumerated.
    case tiny
    /// 5–8 nodes, 6–12 jobs: an exact MIP solves it in well under a second.
    case small
}

/// One generated pool + workload.
struct OracleInstance: Sendable {
    var seed: UInt64
    var size: OracleSize
    var pool: Pool
    var workload: Workload
    /// Jobs the generator drew but dropped because the domain validation rejected them.
    var droppedJobs: Int

    var label: String { "\(size.rawValue)#\(seed)" }
}

/// Seeded generator of feature-rich pools and workloads for the differential tests. It covers every
/// documented input feature (Docs/PoolFormat.md): provider kinds and availability defaults, both vendors,
/// memory, prices, node availability, every health state, equal region names at different providers,
/// gangs, alternative shapes, accelerator lists, memory minimums, measured throughputs (including 0),
/// every locality, allow/deny lists, budgets, priorities, tenants and quotas.
enum OraclePoolGenerator {
    /// Models with their memory per GPU and a base price per GPU-hour. Prices are multiples of 1/8 so that
    /// every sum of prices is exact in binary floating point (budgets compare exactly).
    static let models: [(name: String, memory: [Double], price: Double)] = [
        ("A100-80GB", [80], 1.625),
        ("H100", [80], 2.5),
        ("RTX4090", [24], 0.375),
        ("MI300X", [192], 2.25),
        ("V100", [16, 32], 0.5),
    ]

    /// A model the throughput table knows but no node has (jobs may list it).
    static let absentModel = "L40S"

    /// The instance for `seed`, or `nil` when no generated job passes validation.
    static func make(seed: UInt64, size: OracleSize) -> OracleInstance? {
        var rng = OracleRandom(seed: seed &+ (size == .tiny ? 0 : 0xABCD_0000))
        let pool = makePool(&rng, size: size)
        var jobs: [Job] = []
        var dropped = 0
        let jobCount = size == .tiny ? rng.int(1...4) : rng.int(6...12)
        let tenants = ["alpha", "beta", "gamma"]
        let samePriority = rng.chance(0.3)
        var attempts = 0
        while jobs.count < jobCount && attempts < jobCount * 4 {
            attempts += 1
            let job = makeJob(&rng, id: "j\(attempts)", pool: pool, size: size, tenants: tenants, samePriority: samePriority)
            if Workload(jobs: [job]).problems(against: pool).isEmpty {
                jobs.append(job)
            } else {
                dropped += 1
            }
        }
        guard !jobs.isEmpty else { return nil }
        var quotas: [String: Int] = [:]
        for tenant in tenants where rng.chance(size == .tiny ? 0.35 : 0.45) {
            quotas[tenant] = size == .tiny ? rng.int(1...6) : rng.int(2...16)
        }
        let workload = Workload(jobs: jobs, tenantQuotas: quotas)
        guard pool.problems().isEmpty, workload.problems(against: pool).isEmpty else { return nil }
        return OracleInstance(seed: seed, size: size, pool: pool, workload: workload, droppedJobs: dropped)
    }

    private static func makePool(_ rng: inout OracleRandom, size: OracleSize) -> Pool {
        var providers: [Provider] = []
        let kinds: [ProviderKind] = [.ownDataCenter, .cloud, .community]
        let providerCount = size == .tiny ? rng.int(1...3) : rng.int(3...4)
        let firstKind = rng.int(0...2)
        for index in 0..<providerCount {
            let kind = index < 3 ? kinds[(firstKind + index) % 3] : rng.pick(kinds)
            let availability: Double? = rng.chance(0.3) ? rng.pick([0.85, 0.97, 0.999]) : nil
            providers.append(Provider(id: "p\(index)-\(kind.rawValue)", kind: kind, availability: availability))
        }
        // Tiny pools mostly use two models so that gangs can meet; small pools use three or more.
        let modelCount = size == .tiny ? rng.int(1...2) : rng.int(3...5)
        let chosenModels = Array(models.indices.shuffled(using: &rng).prefix(modelCount))
        let nodeCount = size == .tiny ? rng.int(1...3) : rng.int(5...8)
        var nodes: [Node] = []
        for index in 0..<nodeCount {
            let provider = rng.pick(providers)
            let model = models[rng.pick(chosenModels)]
            let gpus = size == .tiny ? rng.int(1...4) : rng.pick([1, 2, 4, 4, 8])
            let factor = rng.pick([0.75, 1.0, 1.0, 1.25])
            let price = (model.price * factor * 8).rounded() / 8
            let health: HealthState
            switch rng.int(0...19) {
            case 0, 1: health = .suspect
            case 2: health = .cordoned
            case 3: health = .failed
            case 4: health = .draining
            default: health = .healthy
            }
            let availability: Double? = rng.chance(0.4) ? rng.pick([0.8, 0.9, 0.95, 0.99, 0.999, 1.0]) : nil
            // Running work outside the plan (Kubernetes pods, Slurm jobs) on some nodes, up to all GPUs.
            let inUse = rng.chance(0.2) ? rng.int(1...gpus) : 0
            nodes.append(Node(
                id: "n\(index)", provider: provider.id, accelerator: model.name, gpuCount: gpus,
                gpuMemoryGiB: rng.pick(model.memory), interconnect: rng.pick([.nvlink, .pcie, .none]),
                region: rng.pick(["eu", "us", "eu"]), pricePerGPUHour: price, availability: availability, health: health,
                gpusInUse: inUse))
        }
        return Pool(providers: providers, nodes: nodes)
    }

    private static func makeShape(_ rng: inout OracleRandom, size: OracleSize, poolModels: [String]) -> JobShape {
        let workers = size == .tiny ? rng.pick([1, 1, 2, 2, 3]) : rng.pick([1, 1, 2, 2, 3, 4])
        let gpusPerWorker = size == .tiny ? rng.pick([1, 1, 2]) : rng.pick([1, 1, 2, 4])
        var accelerators: [String]?
        if rng.chance(0.4) {
            accelerators = rng.subset(poolModels, maxCount: 2)
            if rng.chance(0.2) { accelerators?.append(absentModel) }
        }
        return JobShape(workers: workers, gpusPerWorker: gpusPerWorker, accelerators: accelerators)
    }

    private static func makeJob(
        _ rng: inout OracleRandom, id: String, pool: Pool, size: OracleSize, tenants: [String], samePriority: Bool
    ) -> Job {
        let poolModels = pool.acceleratorModels
        let shape = makeShape(&rng, size: size, poolModels: poolModels)
        var alternatives: [JobShape] = []
        if rng.chance(0.35) { alternatives.append(makeShape(&rng, size: size, poolModels: poolModels)) }
        var throughput: [String: Double] = [:]
        if rng.chance(0.55) {
            for model in rng.subset(poolModels, maxCount: 3) { throughput[model] = Double(rng.int(1...40)) / 2 }
            if rng.chance(0.2) { throughput[rng.pick(poolModels)] = 0 }
        }
        let providerIDs = pool.providers.map(\.id)
        let allowed: [String]? = rng.chance(0.15) ? rng.subset(providerIDs, maxCount: 2) : nil
        let denied: [String] = rng.chance(0.15) ? [rng.pick(providerIDs)] : []
        let budget: Double? = rng.chance(0.25) ? Double(rng.int(1...(size == .tiny ? 48 : 96))) / 8 : nil
        return Job(
            id: id, tenant: rng.pick(tenants), priority: samePriority ? 0 : rng.pick([0, 0, 1, 2]),
            shape: shape, alternatives: alternatives,
            minGPUMemoryGiB: rng.chance(0.2) ? rng.pick([24, 40, 80]) : 0,
            throughput: throughput, locality: rng.pick([.node, .region, .provider, .any]),
            preferredRegion: rng.chance(0.2) ? rng.pick(["eu", "us"]) : nil,
            allowedProviders: allowed, deniedProviders: denied, budgetPerHour: budget,
            weight: rng.pick([1, 1, 2]), arrivalSeconds: rng.chance(0.8) ? Double(rng.int(0...1000)) : nil)
    }
}

extension OracleRandom: RandomNumberGenerator {}
