import Foundation

/// A fresh temporary directory, removed when the value is released.
public final class TemporaryDirectory {
    /// The directory.
    public let url: URL

    /// Creates `…/tmp/gpupool-<label>-<uuid>`.
    public init(label: String = "test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
