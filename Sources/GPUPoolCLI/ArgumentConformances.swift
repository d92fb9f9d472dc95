import ArgumentParser
import GPUPoolClusters
import GPUPoolDomain
import GPUPoolFormats
import GPUPoolHeuristics
import GPUPoolHistory
import GPUPoolModel
import GPUPoolTelemetry
import Logging

// The libraries' closed sets as option values of `gpupool`. The libraries know nothing of
// argument-parser, so the conformances live here (the planner's and SolveMethod's, which gpupool-bench also takes, are in GPUPoolCommandLine).

/// `solve --format mps|fixed-mps|lp|json` (case ignored; `free-mps` is `mps`).
extension ModelFormat: ExpressibleByArgument {
    public init?(argument: String) {
        let name = argument.lowercased()
        self.init(rawValue: name == "free-mps" ? "mps" : name)
    }
}

/// `telemetry parse --format` and `monitor --format`: `auto|nvidia-smi-csv|dmon|dcgm`.
extension TelemetryFormat: ExpressibleByArgument {}

/// `history --by node|provider|tenant`.
extension UsageGrouping: ExpressibleByArgument {}

/// `validate --heuristic regret|ratio|bestFit|localSearch|tabu`.
extension AssignmentHeuristic.Method: ExpressibleByArgument {}

/// `validate --sense max|min` (also `maximize`, `minimize`; case ignored).
extension AssignmentSense: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "max", "maximize": self = .maximize
        case "min", "minimize": self = .minimize
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["max", "min"] }
}

/// `serve --log-level trace|debug|info|notice|warning|error|critical` (case ignored).
extension Logger.Level: @retroactive ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `pool import --provider-kind own|cloud|community`.
extension ProviderKind: ExpressibleByArgument {}

/// `plan --emit kubernetes|slurm DIR`, `demo --cluster kubernetes|slurm`.
extension ClusterKind: ExpressibleByArgument {}
