import Foundation
import GPUPoolTestSupport
import Testing
@testable import GPUPoolDomain

/// Paths to the shared data set next to the package (`../shared/data`), found from this file's location.
enum SharedData {
    static let packageRoot = TestPaths.packageRoot
    static let root = TestPaths.sharedData

    static func path(_ relative: String) -> String { TestPaths.shared(relative) }

    static var supplyAvailable: Bool {
        FileManager.default.fileExists(atPath: path("supply/lambda.csv"))
    }

    static var gavelAvailable: Bool {
        FileManager.default.fileExists(atPath: path("traces/gavel/simulation_throughputs.json"))
    }
}

/// Runs `body`, expecting a `DomainError`, and returns it (fails the test otherwise).
func expectDomainError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> DomainError? {
    do {
        try body()
        Issue.record("expected a DomainError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as DomainError {
        return error
    } catch {
        Issue.record("expected a DomainError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A small valid pool used by several tests.
func samplePool() -> Pool {
    Pool(
        providers: [
            Provider(id: "dc", kind: .ownDataCenter),
            Provider(id: "cloud", kind: .cloud, availability: 0.97),
            Provider(id: "crowd", kind: .community),
        ],
        nodes: [
            Node(id: "a1", provider: "dc", accelerator: "A100-80GB", gpuCount: 8, gpuMemoryGiB: 80, interconnect: .nvlink,
                 region: "eu", pricePerGPUHour: 1.1),
            Node(id: "a2", provider: "dc", accelerator: "A100-80GB", gpuCount: 8, gpuMemoryGiB: 80, interconnect: .nvlink,
                 region: "eu", pricePerGPUHour: 1.1, availability: 0.999),
            Node(id: "h1", provider: "cloud", accelerator: "H100", gpuCount: 8, gpuMemoryGiB: 80, interconnect: .nvlink,
                 region: "us-east-1", pricePerGPUHour: 2.5, spotPricePerGPUHour: 1.2),
            Node(id: "r1", provider: "crowd", accelerator: "RTX4090", gpuCount: 2, gpuMemoryGiB: 24, region: "eu",
                 pricePerGPUHour: 0.35, health: .cordoned),
        ])
}
