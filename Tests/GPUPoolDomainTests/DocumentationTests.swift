import Foundation
import Testing
@testable import GPUPoolDomain

/// The examples in Docs/PoolFormat.md must stay valid documents.
@Suite("Documentation examples")
struct DocumentationTests {
    static let docPath = SharedData.packageRoot.appendingPathComponent("Docs/PoolFormat.md").path

    /// Fenced blocks whose info string is `<language> <kind>`, e.g. "yaml pool".
    static func blocks(_ info: String) throws -> [String] {
        let text = try String(contentsOfFile: docPath, encoding: .utf8)
        var result: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(info)" {
                current = []
            } else if current != nil, line == "```" {
                result.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return result
    }

    @Test("pool and workload examples parse and validate",
          .enabled(if: FileManager.default.fileExists(atPath: DocumentationTests.docPath), "Docs/PoolFormat.md is absent"))
    func examples() throws {
        let yamlPools = try Self.blocks("yaml pool")
        let jsonPools = try Self.blocks("json pool")
        let yamlWorkloads = try Self.blocks("yaml workload")
        let jsonWorkloads = try Self.blocks("json workload")
        #expect(yamlPools.count == 1 && jsonPools.count == 1 && yamlWorkloads.count == 1 && jsonWorkloads.count == 1)
        for text in yamlPools {
            let pool = try PoolFile.parse(text: text, fileName: "PoolFormat.md", format: .yaml)
            #expect(pool.nodes.count == 3)
            #expect(pool.nodes[2].accelerator == "RTX4090")
        }
        for text in jsonPools { _ = try PoolFile.parse(text: text, fileName: "PoolFormat.md", format: .json) }
        for text in yamlWorkloads {
            let workload = try WorkloadFile.parse(text: text, fileName: "PoolFormat.md", format: .yaml)
            #expect(workload.jobs.count == 2)
        }
        for text in jsonWorkloads { _ = try WorkloadFile.parse(text: text, fileName: "PoolFormat.md", format: .json) }
    }
}
