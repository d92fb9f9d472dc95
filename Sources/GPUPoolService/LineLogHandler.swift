import Foundation
import Logging

/// A swift-log handler that writes one line per message to standard error, in the layout of
/// swift-log's `StreamLogHandler` (`2026-11-27T07:30:00+0000 info gpupool.serve: key=value message`).
///
/// The difference is when metadata is turned into text: `StreamLogHandler` formats all metadata
/// every time a key is set, and Hummingbird sets the request id on a fresh logger for every
/// request, so with it every request paid for formatting even when nothing was logged. This
/// handler formats metadata only for messages at or above ``logLevel``.
///
/// ```swift
/// let logger = Logger(label: "gpupool.serve") { LineLogHandler(label: $0) }
/// ```
public struct LineLogHandler: LogHandler {
    /// Messages below this level are dropped.
    public var logLevel: Logger.Level = .info
    /// Metadata attached to every message of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Provides metadata from the task context (e.g. tracing ids), if any.
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: @Sendable (String) -> Void

    /// A handler for the logger named `label`.
    /// - Parameter output: receives each finished line (with its newline); standard error by default.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
                output: @escaping @Sendable (String) -> Void = LineLogHandler.standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        var line = "\(Self.timestamp()) \(event.level) \(label):"
        for (key, value) in all.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " \(event.message)\n"
        output(line)
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `line` to standard error with one `write(2)` (more only if the system writes part of
    /// it), so lines of concurrent requests do not interleave.
    public static func standardError(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { if errno == EINTR { continue } else { return } }
                offset += n
            }
        }
    }
}
