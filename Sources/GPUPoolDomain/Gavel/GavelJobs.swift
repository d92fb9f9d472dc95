extension GavelTrace {
    /// How trace jobs are assigned to tenants (Gavel traces have none).
    public enum TenantAssignment: Sendable {
        /// Every job to one tenant.
        case single(String)
        /// Job i to `tenants[i % tenants.count]`.
        case roundRobin([String])
        /// Tenant = model family (`"ResNet-50"`, `"Transformer"`, …).
        case byFamily
        /// A custom rule given the job's index and entry.
        case custom(@Sendable (Int, GavelTraceEntry) -> String)

        func tenant(index: Int, entry: GavelTraceEntry) -> String {
            switch self {
            case .single(let name): return name
            case .roundRobin(let names): return names.isEmpty ? "default" : names[index % names.count]
            case .byFamily: return entry.family
            case .custom(let rule): return rule(index, entry)
            }
        }
    }

    /// Jobs for trace entries.
    ///
    /// - Each job is a gang of `scaleFactor` workers × 1 GPU (Gavel's model) with any accelerator allowed.
    /// - `throughput["V100"/"P100"/"K80"]` come from the matrix's isolated (`"null"`) entries for the
    ///   consolidated worker types `v100`/`p100`/`k80` (a 0 means the job cannot run there, e.g. out of memory);
    ///   other models are estimated by ``ThroughputTable``.
    /// - Locality: Gavel's consolidated throughputs assume all GPUs of a job in one server, so jobs of up to
    ///   `consolidateUpTo` GPUs get locality `.node`; larger ones `.region` (one provider's region).
    /// - `weight` = priority weight, `arrivalSeconds`, `totalSteps`, `jobType` copied; `expectedDurationHours` =
    ///   total steps / V100 throughput when known.
    ///
    /// - Parameters:
    ///   - idPrefix: job ids are `<idPrefix><index>` with the index zero-padded to the count's width.
    ///   - priority: priority tier for every job, or per job via `priorityOf`.
    public static func makeJobs(
        _ entries: [GavelTraceEntry], throughputs: GavelThroughputs, tenants: TenantAssignment = .single("default"),
        idPrefix: String = "job", consolidateUpTo: Int = 8, priorityOf: (@Sendable (Int, GavelTraceEntry) -> Int)? = nil
    ) -> [Job] {
        let width = String(max(entries.count - 1, 0)).count
        return entries.enumerated().map { index, entry in
            var measured: [String: Double] = [:]
            for (workerType, model) in GavelThroughputs.workerTypeModels {
                if let value = throughputs.throughput(jobType: entry.jobType, scaleFactor: entry.scaleFactor, workerType: workerType) {
                    measured[model] = value
                }
            }
            let number = String(index)
            let id = idPrefix + String(repeating: "0", count: max(0, width - number.count)) + number
            var duration: Double?
            if let v100 = measured["V100"], v100 > 0 { duration = entry.totalSteps / v100 / 3600 }
            return Job(
                id: id, tenant: tenants.tenant(index: index, entry: entry), priority: priorityOf?(index, entry) ?? 0,
                shape: JobShape(workers: entry.scaleFactor, gpusPerWorker: 1),
                throughput: measured, locality: entry.scaleFactor <= consolidateUpTo ? .node : .region,
                expectedDurationHours: duration, weight: entry.priorityWeight, arrivalSeconds: entry.arrivalSeconds,
                totalSteps: entry.totalSteps, jobType: entry.jobType)
        }
    }
}
