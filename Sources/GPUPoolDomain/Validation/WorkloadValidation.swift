import Foundation

extension Workload {
    /// Every problem in the workload, checked against `pool` when given:
    /// duplicate or empty ids, non-positive or huge gang sizes, empty or unknown accelerator lists, throughput
    /// for unknown models or non-finite values, NaN/negative numbers, unknown providers in allow/deny lists,
    /// negative quotas, and — with a pool — jobs none of whose shapes can fit under their locality on the
    /// nodes they are eligible for.
    ///
    /// An accelerator is unknown when neither the pool (if given) nor `throughputTable` knows it.
    /// Node health is ignored (a cordoned node may return); the planner reports jobs it cannot place now.
    ///
    /// With `requireFit: false` a job that can never fit is not a problem of the file: planners report
    /// it unplaced with its reason instead (as `gpupool plan`, `gpupool monitor` and the service do).
    ///
    /// `knownModels` are accelerators to accept besides the pool's and the table's: the planner passes its
    /// pool's models without checking provider lists against that pool (providers may leave between re-plans).
    public func problems(against pool: Pool? = nil, throughputTable: ThroughputTable = .standard,
                         requireFit: Bool = true, knownModels: Set<String> = []) -> [Problem] {
        var collector = ProblemCollector(origin: origin)
        let poolModels = Set(pool?.nodes.map(\.accelerator) ?? []).union(knownModels)
        let providerIDs = pool.map { Set($0.providers.map(\.id)) }
        let isKnownModel: (String) -> Bool = { model in
            poolModels.contains(model) || throughputTable.knows(model)
                || (pool == nil && AcceleratorName.isKnown(model))
        }
        let capacity = requireFit ? pool.map(PoolCapacitySummary.init) : nil
        var jobIDs = Set<String>()
        for (index, job) in jobs.enumerated() {
            let item = ProblemCollector.itemName("job", id: job.id, index: index)
            let path = "jobs[\(index)]"
            if job.id.trimmingCharacters(in: .whitespaces).isEmpty {
                collector.add(item, at: "\(path).id", "id is empty")
            } else if !jobIDs.insert(job.id).inserted {
                collector.add(item, at: "\(path).id", "duplicate job id")
            }
            if job.tenant.trimmingCharacters(in: .whitespaces).isEmpty {
                collector.add(item, at: "\(path).tenant", "tenant is empty")
            }
            var shapesValid = true
            for (shapeIndex, shape) in job.shapes.enumerated() {
                let shapePath = shapeIndex == 0 ? "\(path).shape" : "\(path).alternatives[\(shapeIndex - 1)]"
                let shapeName = shapeIndex == 0 ? "shape" : "alternative \(shapeIndex)"
                shapesValid = checkShape(shape, name: shapeName, item: item, path: shapePath, isKnownModel: isKnownModel,
                                         into: &collector) && shapesValid
            }
            for (model, value) in job.throughput.sorted(by: { $0.key < $1.key }) {
                if !isKnownModel(model) {
                    collector.add(item, at: "\(path).throughput.\(model)",
                                  "throughput for unknown accelerator \"\(model)\" (not in the pool nor in the throughput table)")
                }
                if !value.isFinite || value < 0 {
                    collector.add(item, at: "\(path).throughput.\(model)",
                                  "throughput for \(model) must be a finite number ≥ 0, got \(ProblemCollector.show(value))")
                }
            }
            collector.checkNumber(job.minGPUMemoryGiB, in: 0...DomainLimits.maxGPUMemoryGiB, item: item, path: path,
                                  field: "minGPUMemoryGiB", expectation: "a number ≥ 0")
            collector.checkNumber(job.weight, in: Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude,
                                  item: item, path: path, field: "weight", expectation: "a finite number > 0")
            checkOptional(job.budgetPerHour, field: "budgetPerHour", positive: false, item: item, path: path, into: &collector)
            checkOptional(job.expectedDurationHours, field: "expectedDurationHours", positive: true, item: item, path: path,
                          into: &collector)
            checkOptional(job.arrivalSeconds, field: "arrivalSeconds", positive: false, item: item, path: path, into: &collector)
            checkOptional(job.totalSteps, field: "totalSteps", positive: false, item: item, path: path, into: &collector)
            checkProviders(job, item: item, path: path, providerIDs: providerIDs, into: &collector)
            if let capacity, shapesValid, let reason = Self.infeasibility(of: job, capacity: capacity) {
                collector.add(item, at: "\(path).shape", reason)
            }
        }
        for (tenant, quota) in tenantQuotas.sorted(by: { $0.key < $1.key }) where quota < 0 {
            collector.add("tenantQuotas \"\(tenant)\"", at: "tenantQuotas.\(tenant)", "quota must be ≥ 0 GPUs, got \(quota)")
        }
        return collector.problems
    }

    /// Throws one ``DomainError`` listing every problem (see ``problems(against:throughputTable:)``).
    public func validate(against pool: Pool? = nil, throughputTable: ThroughputTable = .standard,
                         requireFit: Bool = true) throws {
        let found = problems(against: pool, throughputTable: throughputTable, requireFit: requireFit)
        if !found.isEmpty { throw DomainError(problems: found) }
    }

    private func checkShape(_ shape: JobShape, name: String, item: String, path: String,
                            isKnownModel: (String) -> Bool, into collector: inout ProblemCollector) -> Bool
    {
        var valid = true
        if shape.workers < 1 || shape.workers > DomainLimits.maxWorkers {
            collector.add(item, at: "\(path).workers", "\(name): workers must be between 1 and \(DomainLimits.maxWorkers), got \(shape.workers)")
            valid = false
        }
        if shape.gpusPerWorker < 1 || shape.gpusPerWorker > DomainLimits.maxGPUsPerNode {
            collector.add(item, at: "\(path).gpusPerWorker",
                          "\(name): gpusPerWorker must be between 1 and \(DomainLimits.maxGPUsPerNode), got \(shape.gpusPerWorker)")
            valid = false
        }
        if valid, (shape.totalGPUs ?? Int.max) > DomainLimits.maxGangGPUs {
            collector.add(item, at: path, "\(name): gang of \(shape.workers)×\(shape.gpusPerWorker) GPUs exceeds \(DomainLimits.maxGangGPUs)")
            valid = false
        }
        if let accelerators = shape.accelerators {
            if accelerators.isEmpty {
                collector.add(item, at: "\(path).accelerators", "\(name): accelerators is an empty list (omit it to allow any model)")
                valid = false
            }
            for model in accelerators where !isKnownModel(model) {
                collector.add(item, at: "\(path).accelerators",
                              "\(name): unknown accelerator \"\(model)\" (not in the pool nor in the throughput table)")
                valid = false
            }
        }
        return valid
    }

    private func checkOptional(_ value: Double?, field: String, positive: Bool, item: String, path: String,
                               into collector: inout ProblemCollector)
    {
        guard let value else { return }
        let lower = positive ? Double.leastNonzeroMagnitude : 0
        collector.checkNumber(value, in: lower...Double.greatestFiniteMagnitude, item: item, path: path, field: field,
                              expectation: positive ? "a finite number > 0" : "a finite number ≥ 0")
    }

    private func checkProviders(_ job: Job, item: String, path: String, providerIDs: Set<String>?,
                                into collector: inout ProblemCollector)
    {
        if let allowed = job.allowedProviders, allowed.isEmpty {
            collector.add(item, at: "\(path).allowedProviders", "allowedProviders is an empty list (omit it to allow any provider)")
        }
        guard let providerIDs else { return }
        for provider in job.allowedProviders ?? [] where !providerIDs.contains(provider) {
            collector.add(item, at: "\(path).allowedProviders", "unknown provider \"\(provider)\" in allowedProviders")
        }
        for provider in job.deniedProviders where !providerIDs.contains(provider) {
            collector.add(item, at: "\(path).deniedProviders", "unknown provider \"\(provider)\" in deniedProviders")
        }
    }

    /// Why no shape of `job` can ever fit in `pool` (ignoring node health and other jobs), or `nil` if one can.
    ///
    /// A shape fits when some locality group (one node, one provider's region, one provider, or the whole
    /// pool) has enough eligible nodes to hold `workers` workers of `gpusPerWorker` GPUs each.
    public static func infeasibility(of job: Job, in pool: Pool) -> String? {
        infeasibility(of: job, capacity: PoolCapacitySummary(pool))
    }

    static func infeasibility(of job: Job, capacity: PoolCapacitySummary) -> String? {
        var reasons: [String] = []
        for (shapeIndex, shape) in job.shapes.enumerated() {
            let label = shapeIndex == 0 ? "shape" : "alternative \(shapeIndex)"
            guard shape.workers > 0, shape.gpusPerWorker > 0 else { return nil }
            var workersPerGroup: [String: Int] = [:]
            for nodeClass in capacity.classes where job.isEligible(nodeClass.representative, for: shape) {
                let fit = max(0, nodeClass.representative.gpuCount / shape.gpusPerWorker)
                if job.locality == .node {
                    workersPerGroup["node", default: 0] = max(workersPerGroup["node", default: 0], fit)
                } else {
                    let (total, overflow) = fit.multipliedReportingOverflow(by: nodeClass.count)
                    let key = nodeClass.representative.localityKey(job.locality)
                    let (sum, overflow2) = workersPerGroup[key, default: 0].addingReportingOverflow(overflow ? Int.max : total)
                    workersPerGroup[key] = overflow2 ? Int.max : sum
                }
            }
            let largest = workersPerGroup.values.max() ?? 0
            if largest >= shape.workers { return nil }
            let gang = "\(shape.workers) worker(s) × \(shape.gpusPerWorker) GPU(s)"
            if workersPerGroup.isEmpty {
                var needs = ["≥ \(shape.gpusPerWorker) GPUs per node"]
                if let models = shape.accelerators { needs.append("model \(models.joined(separator: "/"))") }
                if job.minGPUMemoryGiB > 0 { needs.append("≥ \(ProblemCollector.show(job.minGPUMemoryGiB)) GiB per GPU") }
                if job.allowedProviders != nil || !job.deniedProviders.isEmpty { needs.append("an allowed provider") }
                reasons.append("no eligible node for \(label) (\(gang)): needs \(needs.joined(separator: ", "))")
            } else {
                let scope = switch job.locality {
                case .node: "one node"
                case .region: "one region of one provider"
                case .provider: "one provider"
                case .any: "the whole pool"
                }
                reasons.append("gang larger than any feasible locality: \(label) (\(gang)) with locality \(job.locality.rawValue): \(scope) holds at most \(largest) such worker(s)")
            }
        }
        return reasons.joined(separator: "; ")
    }
}
