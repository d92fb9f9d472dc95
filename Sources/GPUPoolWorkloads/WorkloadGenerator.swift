import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSupport

/// Seeded pool and workload generators: the same seed gives the same instance on every platform.
///
/// `generate` draws a compact instance, `generateRealistic` a feature-rich one that exercises every
/// documented pool and job field, `gavelAllocationInstance` the allocation instance of the Gavel
/// paper. The planner's tests, `gpupool-bench` and researchers comparing policies use them.
public enum WorkloadGenerator {
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

}

// MARK: - Feature-rich generator

extension WorkloadGenerator {
    /// Jobs requested ÷ GPUs of the realistic generator: requested GPUs (preferred shapes) ≈ this
    /// share of the pool's GPUs.
    public static let realisticLoad = 0.8

    /// One supplier of the realistic pool: GPU share, regions, models with node sizes and price.
    private struct Supplier {
        var provider: Provider
        var share: Double
        var regions: [String]
        /// Model, GiB per GPU, node sizes (drawn uniformly), base $/GPU-hour, draw weight.
        var models: [(name: String, memory: Double, sizes: [Int], price: Double, weight: Double)]
        /// Relative price spread per node (community hosts set their own prices) or per region (clouds).
        var perNodePrice: Bool
        /// Per-node availability drawn in this range (community hosts), else the provider's default.
        var availability: ClosedRange<Double>?
        var spot: Bool
    }

    private static func realisticSuppliers() -> [Supplier] {
        [
            Supplier(provider: Provider(id: "dc-fra", kind: .ownDataCenter, name: "Own data center"), share: 0.30,
                     regions: ["eu-central", "us-east"],
                     models: [("H100", 80, [8], 1.10, 0.40), ("A100-80GB", 80, [8], 0.80, 0.40), ("MI250X", 128, [8], 0.70, 0.20)],
                     perNodePrice: false, availability: nil, spot: false),
            Supplier(provider: Provider(id: "cloud-a", kind: .cloud, name: "Cloud A"), share: 0.25,
                     regions: ["us-east", "us-west", "eu-central"],
                     models: [("H100", 80, [8], 2.99, 0.35), ("A100", 40, [8], 1.29, 0.30), ("L40S", 48, [8, 4], 1.10, 0.20),
                              ("V100", 32, [8], 0.55, 0.15)],
                     perNodePrice: false, availability: nil, spot: true),
            Supplier(provider: Provider(id: "cloud-b", kind: .cloud, name: "Cloud B", availability: 0.97), share: 0.20,
                     regions: ["us-central", "europe-west", "asia-east"],
                     models: [("A100", 40, [16], 1.35, 0.40), ("MI300X", 192, [8], 2.10, 0.35), ("H100", 80, [8], 3.20, 0.25)],
                     perNodePrice: false, availability: nil, spot: true),
            Supplier(provider: Provider(id: "vast", kind: .community, name: "Community marketplace"), share: 0.15,
                     regions: ["US", "EU", "Asia"],
                     models: [("RTX4090", 24, [1, 2, 4, 8, 8, 8], 0.40, 0.45), ("RTX3090", 24, [1, 2, 4, 8, 8, 8], 0.22, 0.30),
                              ("A6000", 48, [2, 4, 8, 8], 0.49, 0.15), ("RTX5090", 32, [1, 2, 4, 8], 0.65, 0.10)],
                     perNodePrice: true, availability: 0.80...0.98, spot: false),
            Supplier(provider: Provider(id: "fluid", kind: .community, name: "Community cloud", availability: 0.93), share: 0.10,
                     regions: ["eu-central", "us-east"],
                     models: [("A6000", 48, [4, 8, 8], 0.55, 0.30), ("A100", 40, [4, 8, 8], 1.10, 0.30),
                              ("L40S", 48, [4, 8, 8], 0.95, 0.20), ("RTX4090", 24, [4, 8, 8], 0.45, 0.20)],
                     perNodePrice: true, availability: nil, spot: false),
        ]
    }

    /// A feature-rich generated instance exercising every documented pool and job field.
    ///
    /// - Pool: `gpus` GPUs at five providers of all three kinds (an own data center, two clouds,
    ///   two community shares), 2–3 regions each (with zones), NVIDIA and AMD models (H100,
    ///   A100-80GB, A100, L40S, V100, MI300X, MI250X, A6000, RTX5090/4090/3090), 1–16 GPUs per node
    ///   (about `gpus / 8` nodes unless `nodes` is given, which scales the node sizes), per-region
    ///   cloud prices with spot prices, per-host community prices and availabilities, provider
    ///   availability overrides, explicit vendors, 3 % suspect and 2 % cordoned, draining or failed nodes.
    /// - Workload: `jobs` jobs whose preferred shapes request about ``realisticLoad`` × `gpus` GPUs:
    ///   single GPUs, node-local gangs of 2–8 GPUs, multi-node gangs of 16–128 GPUs (localities
    ///   node, region, provider and any), alternative shapes, accelerator lists (CUDA-only,
    ///   ROCm-only, large-memory, consumer), memory minimums, measured throughputs (some 0 =
    ///   cannot run), allowed and denied providers, budgets, preferred regions, four priority tiers,
    ///   twelve tenants (four with quotas), weights, arrival times, durations, steps and job types.
    /// - Throws: ``PlannerError/invalidInput(_:)`` for counts out of range.
    public static func generateRealistic(jobs: Int, gpus: Int, nodes: Int? = nil, seed: UInt64 = 1) throws(PlannerError) -> (pool: Pool, workload: Workload) {
        var problems: [String] = []
        if jobs < 0 || jobs > 1_000_000 { problems.append("jobs \(jobs) must be in 0...1000000") }
        if gpus < 1 || gpus > 10_000_000 { problems.append("gpus \(gpus) must be in 1...10000000") }
        if let nodes, nodes < 1 || nodes > gpus { problems.append("nodes \(nodes) must be in 1...\(gpus) (the GPU count)") }
        if !problems.isEmpty { throw .invalidInput(problems) }
        var rng = SeededGenerator(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func chance(_ p: Double) -> Bool { uniform() < p }
        func pick<T>(_ values: [T]) -> T { values[rng.nextInt(below: values.count)] }
        func weighted(_ weights: [Double]) -> Int {
            var u = uniform() * weights.reduce(0, +)
            for (i, w) in weights.enumerated() {
                if u < w { return i }
                u -= w
            }
            return weights.count - 1
        }
        func cents(_ value: Double, _ digits: Double = 100) -> Double { (value * digits).rounded() / digits }

        // Pool.
        let suppliers = realisticSuppliers()
        // Node sizes scale so that the node count comes out near `nodes` when given.
        var expectedNodes = 0.0
        for s in suppliers {
            let total = s.models.reduce(0) { $0 + $1.weight }
            let meanSize = s.models.reduce(0.0) { sum, m in
                sum + m.weight / total * Double(m.sizes.reduce(0, +)) / Double(m.sizes.count)
            }
            expectedNodes += s.share * Double(gpus) / meanSize
        }
        let sizeScale = nodes.map { expectedNodes / Double($0) } ?? 1
        var poolNodes: [Node] = []
        var remaining = gpus
        for (i, s) in suppliers.enumerated() {
            var budget = i == suppliers.count - 1 ? remaining : min(remaining, Int((Double(gpus) * s.share).rounded()))
            remaining -= budget
            // Cloud prices differ per region and model.
            var regionFactor: [String: Double] = [:]
            for region in s.regions { for m in s.models { regionFactor[region + m.name] = 0.92 + 0.16 * uniform() } }
            var index = 0
            while budget > 0 {
                let m = s.models[weighted(s.models.map(\.weight))]
                let size = min(budget, max(1, Int((Double(pick(m.sizes)) * sizeScale).rounded())))
                let region = pick(s.regions)
                let factor = s.perNodePrice ? 0.75 + 0.6 * uniform() : regionFactor[region + m.name] ?? 1
                let price = s.perNodePrice ? cents(m.price * factor, 1000) : cents(m.price * factor)
                let u = uniform()
                let health: HealthState = u < 0.03 ? .suspect : u < 0.04 ? .cordoned : u < 0.045 ? .draining : u < 0.05 ? .failed : .healthy
                var availability: Double?
                if let range = s.availability { availability = cents(range.lowerBound + (range.upperBound - range.lowerBound) * uniform()) }
                else if s.provider.kind == .ownDataCenter && chance(0.05) { availability = 0.99 }   // learned from uptime history
                poolNodes.append(Node(
                    id: "\(s.provider.id)-\(m.name.lowercased())-\(index)", provider: s.provider.id, accelerator: m.name,
                    vendor: chance(0.5) ? AcceleratorName.inferredVendor(m.name) : nil, gpuCount: size, gpuMemoryGiB: m.memory,
                    interconnect: size == 1 ? .none : size >= 8 && s.provider.kind != .community ? .nvlink : .pcie,
                    region: region, zone: s.provider.kind == .community ? nil : "\(region)-\(["a", "b", "c"][index % 3])",
                    pricePerGPUHour: price, spotPricePerGPUHour: s.spot ? cents(price * 0.4) : nil,
                    availability: availability, health: health))
                budget -= size
                index += 1
            }
        }
        let pool = Pool(providers: suppliers.map(\.provider), nodes: poolNodes)

        // Workload.
        let tenants = ["research", "product", "platform", "vision", "nlp", "speech", "recsys", "ads", "search",
                       "robotics", "bio", "interns"]
        let tenantWeights = [0.20, 0.14, 0.10, 0.10, 0.10, 0.07, 0.07, 0.06, 0.05, 0.04, 0.04, 0.03]
        let quotas = ["research": max(1, gpus * 12 / 100), "ads": max(1, gpus * 4 / 100),
                      "robotics": max(1, gpus * 3 / 100), "interns": max(1, gpus / 100)]
        let nvidia = ["H100", "A100-80GB", "A100", "L40S", "V100", "A6000", "RTX5090", "RTX4090", "RTX3090"]
        let lists: [(models: [String], weight: Double)] = [
            (nvidia, 0.20),                                          // CUDA-only
            (["MI300X", "MI250X"], 0.04),                            // ROCm-only
            (["H100", "A100-80GB", "MI300X", "MI250X"], 0.06),       // large memory
            (["H100", "A100-80GB", "A100"], 0.06),                   // data-center NVIDIA
            (["RTX4090", "RTX3090", "A6000", "RTX5090"], 0.04),      // consumer cards
        ]
        let jobTypes: [(name: String, speed: Double)] = [
            ("ResNet-50 (batch size 64)", 180), ("Transformer (batch size 32)", 40), ("LM (batch size 20)", 25),
            ("Recommendation (batch size 8192)", 900), ("CycleGAN", 12), ("A3C", 300), ("LLM fine-tune (7B)", 3),
        ]
        // Preferred-shape size classes: single GPU, node-local gangs, multi-node gangs.
        let small: [(workers: Int, gpw: Int, weight: Double)] = [(1, 2, 0.25), (1, 4, 0.30), (1, 8, 0.30), (2, 4, 0.10), (4, 2, 0.05)]
        let largeGPUs = [16, 32, 64, 128]
        let largeWeights = [0.40, 0.30, 0.20, 0.10]
        let smallMean = small.reduce(0.0) { $0 + Double($1.workers * $1.gpw) * $1.weight }
        var largeScale = 1
        func largeMean() -> Double { zip(largeGPUs, largeWeights).reduce(0.0) { $0 + Double($1.0 * largeScale) * $1.1 } }
        // Shares so that the expected requested GPUs per job is load × gpus / jobs.
        let target = realisticLoad * Double(gpus) / Double(max(1, jobs))
        var pSingle = 0.5
        var pLarge = (target - pSingle - (1 - pSingle) * smallMean) / (largeMean() - smallMean)
        if pLarge < 0 {
            pLarge = 0
            pSingle = min(1, max(0, (smallMean - target) / (smallMean - 1)))
        }
        while pLarge > 1 - pSingle && largeScale < 64 {
            largeScale *= 2
            pLarge = (target - pSingle - (1 - pSingle) * smallMean) / (largeMean() - smallMean)
        }
        pLarge = min(pLarge, 1 - pSingle)
        let pSmall = 1 - pSingle - pLarge
        let speed = { (model: String) in ThroughputTable.standard.relativeSpeed(of: model) ?? 1 }
        let poolModels = Set(poolNodes.map(\.accelerator))
        let price: [String: Double] = Dictionary(poolNodes.map { ($0.accelerator, $0.pricePerGPUHour) }, uniquingKeysWith: min)

        let capacity = CapacityClasses(pool: pool)
        var jobsOut: [Job] = []
        jobsOut.reserveCapacity(jobs)
        var arrival = 0.0
        for i in 0..<jobs {
            let u = uniform()
            var workers = 1
            var gpw = 1
            var locality: Locality = .any
            if u < pSingle {
                locality = chance(0.5) ? .node : .any
            } else if u < pSingle + pSmall {
                let c = small[weighted(small.map(\.weight))]
                workers = c.workers
                gpw = c.gpw
                locality = chance(0.85) ? .node : .any
            } else {
                let total = largeGPUs[weighted(largeWeights)] * largeScale
                gpw = chance(0.8) ? 8 : 4
                workers = max(1, total / gpw)
                let l = uniform()
                locality = l < 0.5 ? .region : l < 0.8 ? .provider : .any
            }
            let size = workers * gpw
            var allowed: [String]?
            if chance(lists.reduce(0) { $0 + $1.weight }) {
                allowed = lists[weighted(lists.map(\.weight))].models.filter { poolModels.contains($0) }
                if allowed?.isEmpty ?? false { allowed = nil }
            }
            let shape = JobShape(workers: workers, gpusPerWorker: gpw, accelerators: allowed)
            var alternatives: [JobShape] = []
            if size > 1 && chance(0.25) {
                // A slower, more available variant: more, smaller workers on other models.
                let altGPW = max(1, gpw / 2)
                let altModels = chance(0.5) ? ["A6000", "L40S", "RTX4090", "A100"] : ["A100", "MI250X", "V100"]
                alternatives.append(JobShape(workers: max(1, size * 2 / altGPW / (locality == .node ? 2 : 1)),
                                             gpusPerWorker: altGPW, accelerators: altModels))
            } else if size == 1 && chance(0.1) {
                alternatives.append(JobShape(workers: 2, gpusPerWorker: 1, accelerators: ["RTX3090", "V100", "RTX4090"]))
            }
            let type = pick(jobTypes)
            let usable = (allowed ?? Array(poolModels).sorted()).filter { poolModels.contains($0) }
            var throughput: [String: Double] = [:]
            var measured = usable
            for k in stride(from: measured.count - 1, to: 0, by: -1) { measured.swapAt(k, rng.nextInt(below: k + 1)) }
            for model in measured.prefix(1 + rng.nextInt(below: 3)) {
                throughput[model] = cents(type.speed * Double(size) * speed(model) * (0.75 + 0.5 * uniform()))
            }
            if chance(0.04), usable.count > 1, let model = ["RTX3090", "RTX4090", "V100"].first(where: { usable.contains($0) }) {
                throughput[model] = 0   // out of memory on this model
            }
            let memory: Double = chance(0.05) ? 80 : chance(0.18) ? 40 : chance(0.1) ? 24 : 0
            var allowedProviders: [String]?
            var denied: [String] = []
            if chance(0.08) { allowedProviders = chance(0.5) ? ["dc-fra", "cloud-a"] : ["dc-fra", "cloud-b", "fluid"] }
            if chance(0.12) { denied = chance(0.6) ? ["vast"] : ["vast", "fluid"] }
            var budget: Double?
            if chance(0.15) {
                let cheapest = usable.compactMap { price[$0] }.min() ?? 1
                budget = cents(cheapest * Double(size) * (1.1 + 0.9 * uniform()))
            }
            arrival += 12 * uniform()
            let tier = weighted([0.60, 0.25, 0.10, 0.05])
            var job = Job(
                id: "job-\(i)", tenant: tenants[weighted(tenantWeights)], priority: tier, shape: shape,
                alternatives: alternatives, minGPUMemoryGiB: memory, throughput: throughput, locality: locality,
                preferredRegion: chance(0.2) ? pick(["us-east", "eu-central"]) : nil, allowedProviders: allowedProviders,
                deniedProviders: denied, budgetPerHour: budget, expectedDurationHours: cents(0.5 + 47.5 * uniform() * uniform()),
                weight: chance(0.15) ? 2 : chance(0.1) ? 0.5 : 1, arrivalSeconds: cents(arrival),
                totalSteps: chance(0.3) ? (1000 * (1 + 99 * uniform())).rounded() : nil, jobType: type.name)
            // Keep the workload valid against the pool (as `Workload.validate(against:)` checks):
            // relax combinations of restrictions that no node satisfies.
            if !capacity.fits(job) {
                job.allowedProviders = nil
                job.deniedProviders = []
                if !capacity.fits(job) { job.minGPUMemoryGiB = 0 }
                if !capacity.fits(job) { job.locality = .any }
                if !capacity.fits(job) {
                    job.shape.accelerators = nil
                    job.alternatives = []
                    job.throughput = job.throughput.filter { $0.value > 0 }
                }
            }
            jobsOut.append(job)
        }
        return (pool, Workload(jobs: jobsOut, tenantQuotas: quotas))
    }
}

/// Nodes grouped by (provider, region, model, memory, GPU count) for a quick "can this job ever
/// fit" check in the generator (the same rule as the domain's workload validation).
private struct CapacityClasses {
    var classes: [String: [(node: Node, count: Int)]] = [:]

    init(pool: Pool) {
        struct Key: Hashable { var provider: String, region: String, model: String, memory: Double, gpus: Int }
        var index: [Key: (model: String, position: Int)] = [:]
        for node in pool.nodes {
            let key = Key(provider: node.provider, region: node.region, model: node.accelerator, memory: node.gpuMemoryGiB, gpus: node.gpuCount)
            if let found = index[key] {
                classes[found.model]?[found.position].count += 1
            } else {
                index[key] = (node.accelerator, classes[node.accelerator, default: []].count)
                classes[node.accelerator, default: []].append((node, 1))
            }
        }
    }

    func fits(_ job: Job) -> Bool {
        for shape in job.shapes {
            var workers: [String: Int] = [:]
            for (model, list) in classes where shape.allows(accelerator: model) {
                for (node, count) in list where job.isEligible(node, for: shape) {
                    let fit = node.gpuCount / shape.gpusPerWorker
                    if job.locality == .node {
                        if fit >= shape.workers { return true }
                    } else {
                        workers[node.localityKey(job.locality), default: 0] += fit * count
                    }
                }
            }
            if (workers.values.max() ?? 0) >= shape.workers { return true }
        }
        return false
    }
}
