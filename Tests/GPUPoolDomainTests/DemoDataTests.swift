import Foundation
import Testing
@testable import GPUPoolDomain

@Suite("Demo data")
struct DemoDataTests {
    @Test("the demo pool loads from resources and validates")
    func demoPool() throws {
        let base = try DemoData.basePool()
        #expect(base.nodes.filter { $0.provider == "own-dc" }.count == 4)
        #expect(base.nodes.filter { $0.provider == "own-dc" }.allSatisfy { $0.gpuCount == 8 && $0.accelerator == "A100-80GB" && $0.interconnect == .nvlink })
        #expect(base.nodes.filter { $0.provider == "community" }.count == 12)
        let pool = try DemoData.pool()
        try pool.validate()
        #expect(Set(pool.providers.map(\.id)) == ["own-dc", "community", "lambda", "vast", "fluidstack"])
        #expect(pool.provider(id: "vast")?.kind == .community)
        #expect(pool.nodes.filter { $0.provider == "lambda" }.count == 18)
        #expect(pool.nodes.filter { $0.provider == "vast" }.count == 38)
        #expect(pool.nodes.filter { $0.provider == "fluidstack" }.count == 23)
        #expect(pool.acceleratorModels.count >= 12)
        let table = try ThroughputTable.builtIn()
        for model in pool.acceleratorModels { #expect(table.knows(model), "\(model)") }
    }

    @Test("the demo workload comes from the Gavel trace and validates against the demo pool")
    func demoWorkload() throws {
        let workload = try DemoData.workload()
        #expect(workload.jobs.count == 48)
        #expect(Set(workload.jobs.map(\.tenant)) == Set(DemoData.tenants))
        #expect(workload.jobs.allSatisfy { $0.throughput["V100"] != nil && $0.jobType != nil })
        #expect(workload.jobs.filter { $0.priority == 1 }.allSatisfy { $0.tenant == "product" })
        #expect(workload.tenantQuotas == DemoData.tenantQuotas)
        #expect(try DemoData.workload(jobCount: 500).jobs.count == 96)
        #expect(try DemoData.gavelTrace().count == 96)
        #expect(try DemoData.gavelThroughputs().jobTypes().count == 8)
    }

    @Test("the shipped catalog subsets parse without warnings")
    func catalogs() throws {
        for catalog in try DemoData.catalogs() {
            #expect(catalog.warnings.isEmpty, "\(catalog.providerID): \(catalog.warnings)")
            #expect(catalog.offers.count >= 23)
        }
    }

    @Test("resources stay small (< 300 KB)")
    func resourceSize() throws {
        let root = SharedData.packageRoot.appendingPathComponent("Sources/GPUPoolDomain/Resources")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey])
        var total = 0
        while let url = files?.nextObject() as? URL {
            total += (try url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        #expect(total > 0)
        #expect(total < 300_000)
    }
}
