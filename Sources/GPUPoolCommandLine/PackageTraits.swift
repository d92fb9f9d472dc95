import ArgumentParser

/// The package traits this build of the executables was compiled with, and what to do when a
/// command needs one that is off.
public enum PackageTraits {
    /// Whether the `Service` trait is on: `gpupool serve` and `gpupool-bench serve` are built in
    /// (they link SwiftNIO, Hummingbird and the OpenAPI runtime).
    #if Service
    public static let service = true
    #else
    public static let service = false
    #endif

    /// The error of `serve` in a build without the `Service` trait.
    public static let serviceMissing = """
        this build has no HTTP service: it was built without the Service package trait (scripts/demo.sh builds \
        with --traits GLPK for a quick first build). Build with the default traits: swift build --product gpupool
        """
}

/// `serve` in a build without the `Service` trait (in `gpupool` and in `gpupool-bench`): it says how
/// to get the service instead of an "unexpected argument" error.
public struct ServeUnavailableCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The HTTP service (not in this build: built without the Service package trait)."
    )

    /// Whatever options were given: the explanation, not a parse error, is what the user sees.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var arguments: [String] = []

    public init() {}

    public func run() throws { throw InputError(PackageTraits.serviceMissing) }
}
