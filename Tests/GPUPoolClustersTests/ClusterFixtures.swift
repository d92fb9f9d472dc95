import Foundation
import GPUPoolTestSupport

/// Paths of the real listings in Fixtures/ (sources in Fixtures/README.md) and the shipped demo inventories.
enum ClusterFixtures {
    static func path(_ name: String) -> String { TestPaths.package("Tests/GPUPoolClustersTests/Fixtures/\(name)") }
    static func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
    static func demo(_ name: String) -> String { TestPaths.package("Sources/GPUPoolClusters/Resources/demo/\(name)") }
}
