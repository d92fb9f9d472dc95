import ArgumentParser
import GPUPoolCommandLine

/// `gpupool`: plan GPU pools and solve the optimization models behind them.
@main
struct GPUPoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpupool",
        abstract: "Plan GPU pools and solve LP/MIP models (GLPK + pure-Swift heuristics).",
        discussion: "Benchmarks are a separate executable: gpupool-bench (swift build -c release --product gpupool-bench).",
        version: GPUPoolVersion.string,
        subcommands: [
            DemoCommand.self, PlanCommand.self, PoolCommand.self, SolveCommand.self, ValidateCommand.self,
            MonitorCommand.self, TelemetryCommand.self, HistoryCommand.self, SimulateCommand.self, ServeCommand.self,
        ]
    )

    /// Every failure ends as one `error: …` line on stderr and exit code 2; help and `--version` exit 0.
    static func main() async { await CommandMain.run(Self.self) }
}
