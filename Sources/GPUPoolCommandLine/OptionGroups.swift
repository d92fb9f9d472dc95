import ArgumentParser
import GPUPoolPlanner

/// `--json`, shared by every command that can print JSON.
public struct OutputOptions: ParsableArguments {
    /// Print JSON instead of text; each command's description says which objects.
    @Flag(help: "Print JSON instead of text, one object per line.")
    public var json = false

    public init() {}
}

/// The default and the help of a command's `--time-limit`.
public protocol TimeLimitDefault {
    /// Seconds when the option is not given.
    static var seconds: Double { get }
    /// What the limit applies to, e.g. `Wall-clock limit in seconds.`
    static var help: String { get }
}

/// `--time-limit S`, a positive number of seconds; `Default` gives each command its own default.
public struct TimeLimitOptions<Default: TimeLimitDefault>: ParsableArguments {
    /// The limit in seconds.
    @Option(name: .customLong("time-limit"), parsing: .unconditional, help: ArgumentHelp(Default.help))
    public var timeLimit: Double = Default.seconds

    public init() {}

    public func validate() throws {
        try ArgumentCheck.positiveSeconds(timeLimit, option: "--time-limit")
    }
}

/// The defaults and help of a command's planner options.
public protocol PlannerDefaults {
    /// `--method` when not given.
    static var method: PlanningMethod { get }
    /// `--policy` when not given.
    static var policies: [PlanningPolicy] { get }
    /// What `--policy` means for the command (the values and the default are added).
    static var policyHelp: String { get }
}

/// The planner's options: `--policy`, `--method`, `--partitions`, `--seed` (a command that plans
/// adds ``TimeLimitOptions`` for `--time-limit`); `Defaults` gives each command its own defaults.
public struct PlannerOptionGroup<Defaults: PlannerDefaults>: ParsableArguments {
    @Option(help: CommaList.help(Defaults.policyHelp, default: Defaults.policies), transform: CommaList.parse)
    public var policy: [CommaList<PlanningPolicy>] = [CommaList(Defaults.policies)]

    @Option(help: "Placement method.")
    public var method: PlanningMethod = Defaults.method

    @Option(parsing: .unconditional, help: "POP decomposition: number of random partitions (1 = none).")
    public var partitions: Int = 1

    @Option(parsing: .unconditional, help: "Seed for random choices.")
    public var seed: UInt64 = 1

    public init() {}

    /// The policies in the order given (`--policy a --policy b,c`: a, b, c).
    public var policies: [PlanningPolicy] { policy.flattened() }

    public func validate() throws {
        guard (1...1024).contains(partitions) else { throw ValidationError("--partitions \(partitions): must be between 1 and 1024") }
        try PlanningPolicy.checkUnique(policies, option: "--policy")
    }

    /// Planner options with these settings and `timeLimit`.
    public func options(timeLimit: Double?) -> PlannerOptions {
        PlannerOptions(policies: policies, method: method, timeLimit: timeLimit, partitions: partitions, seed: seed)
    }
}
