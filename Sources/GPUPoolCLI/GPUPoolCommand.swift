import ArgumentParser
import Foundation

/// `gpupool`: plan GPU pools and solve the optimization models behind them.
@main
struct GPUPoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpupool",
        abstract: "Plan GPU pools and solve LP/MIP models (GLPK + pure-Swift heuristics).",
        subcommands: [
            DemoCommand.self, PlanCommand.self, SolveCommand.self, ValidateCommand.self,
            MonitorCommand.self, TelemetryCommand.self, HistoryCommand.self, SimulateCommand.self, ServeCommand.self,
            BenchCommand.self,
        ]
    )

    /// Every failure ends as one `error: …` line on stderr and exit code 2; help exits 0.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            fail(error.description)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // One line: argument-parser's messages may span several.
            let text = message(for: error).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            fail(text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text)
        }
    }

    /// Prints `error: …` for each line of `message` (a validation error may list several
    /// problems, one per line) and exits 2.
    static func fail(_ message: String) -> Never {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true)
        let text = (lines.isEmpty ? ["unknown error"] : lines).map { "error: \($0)\n" }.joined()
        FileHandle.standardError.write(Data(text.utf8))
        Foundation.exit(2)
    }
}
