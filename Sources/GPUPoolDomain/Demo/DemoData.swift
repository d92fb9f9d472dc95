import Foundation

/// The demo data set shipped as package resources: a pool built from real catalog rows plus a small own
/// data center and a community share, and a demand set from Gavel's physical-cluster trace.
public enum DemoData {
    /// Tenants of the demo workload (assigned round robin).
    public static let tenants = ["research", "product", "platform"]
    /// GPU quotas of the demo tenants ("product" is unlimited).
    public static let tenantQuotas = ["research": 40, "platform": 24]

    /// URL of a shipped resource, e.g. `resource("demo/pool.yaml")`.
    public static func resource(_ relativePath: String) throws -> URL {
        let parts = relativePath.split(separator: "/").map(String.init)
        guard let fileName = parts.last else {
            throw DomainError(problems: [Problem(item: "resource \"\(relativePath)\"", message: "empty path")])
        }
        let directory = (["Resources"] + parts.dropLast()).joined(separator: "/")
        let name = (fileName as NSString).deletingPathExtension
        let ext = (fileName as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: directory) else {
            throw DomainError(problems: [Problem(file: relativePath, item: "resource", message: "missing from the GPUPoolDomain bundle")])
        }
        return url
    }

    /// The shipped SkyPilot catalog subsets: Lambda (cloud), Vast.ai (community marketplace), FluidStack (cloud).
    public static func catalogs() throws -> [SkyPilotCatalog] {
        try [("lambda", ProviderKind.cloud), ("vast", .community), ("fluidstack", .cloud)].map { id, kind in
            let url = try resource("catalogs/\(id).csv")
            return try SkyPilotCatalog.read(path: url.path, providerID: id, kind: kind)
        }
    }

    /// The own data center and community share (`demo/pool.yaml`) without catalog nodes.
    public static func basePool() throws -> Pool {
        try PoolFile.read(path: resource("demo/pool.yaml").path)
    }

    /// The full demo pool: ``basePool()`` plus one node per GPU offer of the catalog subsets (Lambda only in
    /// region us-east-1, since Lambda repeats each offer in every region).
    public static func pool() throws -> Pool {
        var pool = try basePool()
        for catalog in try catalogs() {
            pool.providers.append(catalog.provider)
            let selector: SkyPilotCatalog.NodesPerOffer = catalog.providerID == "lambda"
                ? .select { $0.region == "us-east-1" ? 1 : 0 } : .each(1)
            pool.nodes += catalog.makeNodes(nodesPerOffer: selector)
        }
        pool.origin = nil
        try pool.validate()
        return pool
    }

    /// Gavel's physical-cluster trace (96 jobs).
    public static func gavelTrace() throws -> [GavelTraceEntry] {
        try GavelTrace.read(path: resource("gavel/physical_max_min_fairness.trace").path)
    }

    /// Gavel's isolated throughputs for the trace's job types.
    public static func gavelThroughputs() throws -> GavelThroughputs {
        try GavelThroughputs.read(path: resource("gavel/simulation_throughputs_subset.json").path)
    }

    /// The demo demand: the first `jobCount` jobs (at most 96) of the physical trace, tenants ``tenants`` round
    /// robin, "product" jobs in priority tier 1, quotas ``tenantQuotas``. Validated against ``pool()``.
    public static func workload(jobCount: Int = 48) throws -> Workload {
        let entries = Array(try gavelTrace().prefix(max(0, jobCount)))
        let tenantNames = tenants
        let jobs = GavelTrace.makeJobs(
            entries, throughputs: try gavelThroughputs(), tenants: .roundRobin(tenantNames), idPrefix: "gavel-",
            priorityOf: { index, _ in tenantNames[index % tenantNames.count] == "product" ? 1 : 0 })
        let workload = Workload(jobs: jobs, tenantQuotas: tenantQuotas)
        try workload.validate(against: try pool())
        return workload
    }
}
