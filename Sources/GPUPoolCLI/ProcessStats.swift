import Foundation

/// Figures about this process for benchmarks.
enum ProcessStats {
    /// Peak resident set size in MiB (`VmHWM` from /proc/self/status; 0 where unavailable).
    static var peakResidentMiB: Double { statusField("VmHWM:") / 1024 }
    /// Current resident set size in MiB.
    static var residentMiB: Double { statusField("VmRSS:") / 1024 }

    private static func statusField(_ key: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            let digits = line.dropFirst(key.count).filter { $0.isNumber }
            return Double(String(digits)) ?? 0
        }
        return 0
    }

    /// Seconds taken by `body`, with its result.
    static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let result = try body()
        let d = ContinuousClock.now - start
        return (result, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
