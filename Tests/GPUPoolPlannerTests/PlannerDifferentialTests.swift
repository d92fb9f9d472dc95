import GPUPoolSupport
import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSolver
import Testing

/// The planner's promises (Docs/Planning.md) against an independent oracle written from the docs
/// (Tests/GPUPoolPlannerTests/Oracle): a brute force over every feasible plan on tiny pools and an exact
/// MIP of its own on small ones, for every policy, several policy lists and every method.
///
/// All planner runs happen once (shared by the tests below, spread over the cores); each test then
/// reports every case of one kind of broken promise in a single message. `GPUPOOL_ORACLE_SEEDS=k`
/// multiplies the default 150 tiny and 40 small seeds by `k`.
@Suite("Planner against the independent oracle")
struct PlannerDifferentialTests {
    static let report: DifferentialReport = {
        let report = OracleDifferentialRunner.run()
        print("PlannerDifferential: \(String(format: "%.1f", report.seconds)) s; \(report.countersText)")
        for claim in OracleClaim.allCases {
            print("PlannerDifferential: \(claim.rawValue): \(report.failures[claim]?.count ?? 0) case(s)")
        }
        return report
    }()

    private func expectNone(_ claim: OracleClaim) {
        let report = Self.report
        #expect(report.counters["planner runs", default: 0] > 0, "no planner run happened: \(report.countersText)")
        #expect(report.failures[claim, default: []].isEmpty, "\(report.summary(claim))")
    }

    @Test func oracleAgreesWithItself() { expectNone(.oracleSelfCheck) }

    @Test func generatorCoversEveryFeature() {
        var features: Set<String> = []
        for size in OracleSize.allCases {
            for seed in UInt64(1)...40 {
                guard let instance = OraclePoolGenerator.make(seed: seed, size: size) else { continue }
                let pool = instance.pool, workload = instance.workload
                for provider in pool.providers {
                    features.insert("kind \(provider.kind.rawValue)")
                    if provider.availability != nil { features.insert("provider availability") }
                }
                for node in pool.nodes {
                    features.insert("health \(node.health.rawValue)")
                    features.insert("vendor \(node.vendor)")
                    if node.availability != nil { features.insert("node availability") }
                    if node.gpusInUse > 0 { features.insert("gpusInUse") }
                    if node.gpusInUse > 0 && node.gpusInUse == node.gpuCount { features.insert("every GPU in use") }
                }
                let regions = Dictionary(grouping: pool.nodes, by: \.region).values
                if regions.contains(where: { Set($0.map(\.provider)).count > 1 }) { features.insert("region name at two providers") }
                for job in workload.jobs {
                    features.insert("locality \(job.locality.rawValue)")
                    if job.shape.workers > 1 { features.insert("gang") }
                    if job.shapes.contains(where: { $0.gpusPerWorker > 1 }) { features.insert("gpusPerWorker > 1") }
                    if !job.alternatives.isEmpty { features.insert("alternatives") }
                    if job.shapes.contains(where: { $0.accelerators != nil }) { features.insert("accelerator list") }
                    if job.minGPUMemoryGiB > 0 { features.insert("minGPUMemoryGiB") }
                    if job.throughput.values.contains(0) { features.insert("throughput 0") }
                    if job.throughput.values.contains(where: { $0 > 0 }) { features.insert("throughput measured") }
                    if job.allowedProviders != nil { features.insert("allowedProviders") }
                    if !job.deniedProviders.isEmpty { features.insert("deniedProviders") }
                    if job.budgetPerHour != nil { features.insert("budget") }
                    if job.priority > 0 { features.insert("priority > 0") }
                }
                if !workload.tenantQuotas.isEmpty { features.insert("quota") }
                if Set(workload.jobs.map(\.tenant)).count > 1 { features.insert("several tenants") }
            }
        }
        let wanted = [
            "kind own", "kind cloud", "kind community", "provider availability", "node availability",
            "health healthy", "health suspect", "health cordoned", "health failed", "health draining",
            "vendor NVIDIA", "vendor AMD", "region name at two providers", "locality node", "locality region",
            "locality provider", "locality any", "gang", "gpusPerWorker > 1", "alternatives", "accelerator list",
            "minGPUMemoryGiB", "throughput 0", "throughput measured", "allowedProviders", "deniedProviders", "budget",
            "priority > 0", "quota", "several tenants", "gpusInUse", "every GPU in use",
        ]
        #expect(wanted.filter { !features.contains($0) }.isEmpty, "features never generated: \(wanted.filter { !features.contains($0) })")
    }

    @Test func plannerDoesNotThrow() { expectNone(.plannerError) }
    @Test func plansKeepEveryHardRule() { expectNone(.feasibility) }
    @Test func stagesFollowTheDocumentedOrder() { expectNone(.stageOrder) }
    @Test func boundsAreNotBeaten() { expectNone(.boundBeaten) }
    @Test func optimalStagesAreOptimal() { expectNone(.falseOptimal) }
    @Test func optimalStatusMatchesGap() { expectNone(.statusGap) }
    @Test func stageValuesMatchTheEntries() { expectNone(.stageValue) }
    @Test func noIdleJobFits() { expectNone(.idleFits) }
    @Test func prioritiesAreStrict() { expectNone(.strictPriority) }
    @Test func reasonsAgreeWithTheirDefinitions() { expectNone(.reason) }
    @Test func effectiveGPUsMatchTheEntries() { expectNone(.effectiveGPUs) }
}
