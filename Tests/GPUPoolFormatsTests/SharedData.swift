import Foundation
import GPUPoolTestSupport
import Testing

/// Locations of the shared test data (`../shared/data` beside the package root).
enum SharedData {
    /// The package root, found from this file's path (Tests/GPUPoolFormatsTests/…).
    static let packageRoot: URL = TestPaths.packageRoot

    static let mpsDirectory: URL = TestPaths.sharedData.appendingPathComponent("mps")

    /// Whether the shared MPS files are there.
    static let available: Bool = FileManager.default.fileExists(atPath: mpsDirectory.appendingPathComponent("afiro.mps").path)

    /// Message for tests skipped without the data.
    static let missingMessage: Comment = "shared data ../shared/data/mps is absent"

    /// The valid MPS files (everything outside `bad/`), sorted by name.
    static var mpsFiles: [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: mpsDirectory.path) else { return [] }
        return names.filter { $0.hasSuffix(".mps") }.sorted().map { mpsDirectory.appendingPathComponent($0) }
    }

    /// The files of `bad/`.
    static var badFiles: [URL] {
        let dir = mpsDirectory.appendingPathComponent("bad")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasSuffix(".mps") }.sorted().map { dir.appendingPathComponent($0) }
    }

    static func file(_ name: String) -> URL { mpsDirectory.appendingPathComponent(name) }

    /// Reference optima from optima.json (`reference` field; nil when infeasible).
    static var optima: [String: [String: Any]] {
        guard let data = FileManager.default.contents(atPath: mpsDirectory.appendingPathComponent("optima.json").path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]]
        else { return [:] }
        return object
    }
}
