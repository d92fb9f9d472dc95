import Testing

/// What this build of the package contains, for tests that need an optional part: they are
/// marked `.enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK)` and show as skipped, with the
/// reason, in a build without it.
public enum BuildTraits {
    /// Whether the `GLPK` package trait is on (exact LP/MIP solving linked in).
    #if GLPK
    public static let glpk = true
    #else
    public static let glpk = false
    #endif

    /// Whether the `Service` package trait is on (`gpupool serve`, `gpupool-bench serve`).
    #if Service
    public static let service = true
    #else
    public static let service = false
    #endif

    /// The skip reason for tests that need the service in the executables.
    public static let needsService: Comment = "needs the Service trait: the executables were built without `serve` (--traits without Service)"

    /// The skip reason for tests that need GLPK.
    public static let needsGLPK: Comment = "needs GLPK: built without the GLPK package trait (--disable-default-traits, or --traits without GLPK)"
}
