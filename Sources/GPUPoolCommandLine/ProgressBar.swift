import Foundation

/// A one-line progress bar on standard error, shown only when stderr is a terminal (so logs and
/// pipes stay clean).
public final class ProgressBar {
    private let total: Int
    private let label: String
    private var done = 0
    private let enabled: Bool

    /// A bar for `total` steps, labelled `label`.
    public init(total: Int, label: String) {
        self.total = total
        self.label = label
        enabled = isatty(STDERR_FILENO) != 0 && total > 1
    }

    /// Marks one step done and shows `item` beside the bar.
    public func step(_ item: String) {
        defer { done += 1 }
        guard enabled else { return }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total) \(item.prefix(24))\u{1B}[K".utf8))
    }

    /// Clears the bar.
    public func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// A short description of this machine for benchmark output and reports.
public enum MachineInfo {
    /// CPU model, core count and memory, e.g. `AMD EPYC 7B13, 2 cores, 24 GiB`.
    public static var summary: String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        var cpu = "unknown CPU"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let name = line.split(separator: ":", maxSplits: 1).last
        {
            cpu = name.trimmingCharacters(in: .whitespaces)
        }
        return "\(cpu), \(cores) cores, \(String(format: "%.0f", memory)) GiB"
    }
}
