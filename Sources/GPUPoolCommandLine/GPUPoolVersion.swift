/// The package version printed by `gpupool --version` and `gpupool-bench --version` (the HTTP
/// API has its own version, in openapi.yaml). Bumped with each tagged release.
public enum GPUPoolVersion {
    /// Semantic version of this source tree.
    public static let string = "0.9.0"
}
