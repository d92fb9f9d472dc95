extension Duration {
    /// The duration in seconds, for timings and time limits. `package`: shared by GPUPool's modules,
    /// not part of the public API (a public extension on a standard-library type could clash with
    /// a client's own).
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

extension Duration {
    /// A duration of `seconds`, clamped to [0, 100 years] so that no time limit — however large,
    /// negative or non-finite — traps in the conversion. The one place where GPUPool turns a time
    /// limit given in seconds into a `Duration`.
    package static func clamped(seconds: Double) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return seconds == .infinity ? .seconds(3_153_600_000) : .zero }
        return .nanoseconds(Int64(min(seconds, 3_153_600_000) * 1e9))
    }
}
