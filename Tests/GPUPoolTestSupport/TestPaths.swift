import Foundation

/// Where the package and the shared data set (`../shared/data` beside the package root) are,
/// found from this file's location. Tests that need shared data skip with a message when absent.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/data` from the package root.
    public static let sharedData = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    /// The path of `relative` inside the shared data set.
    public static func shared(_ relative: String) -> String { sharedData.appendingPathComponent(relative).path }

    /// Whether `relative` exists inside the shared data set.
    public static func hasShared(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: shared(relative)) }

    /// The path of `relative` inside the package.
    public static func package(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }
}
