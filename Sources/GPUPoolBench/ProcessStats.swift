import GPUPoolCommandLine
import GPUPoolSupport
import Foundation
import GPUPoolModel

/// Figures about this process for benchmarks.
enum ProcessStats {
    /// Peak resident set size in MiB (`VmHWM` from /proc/self/status; 0 where unavailable).
    static var peakResidentMiB: Double { statusField("VmHWM:") / 1024 }
    /// Current resident set size in MiB.
    static var residentMiB: Double { statusField("VmRSS:") / 1024 }

    /// User plus system CPU seconds used by this process so far (all threads).
    static var cpuSeconds: Double {
        var usage = rusage()
        #if canImport(Glibc)
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        #else
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

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
        return (result, (ContinuousClock.now - start).seconds)
    }
}
