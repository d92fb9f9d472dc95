extension Duration {
    /// The duration in seconds, for timings and time limits. `package`: shared by GPUPool's modules,
    /// not part of the public API (a public extension on a standard-library type could clash with
    /// a client's own).
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
