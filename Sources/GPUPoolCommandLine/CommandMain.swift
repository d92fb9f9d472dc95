import ArgumentParser
import Foundation

/// The exit-code contract shared by `gpupool` and `gpupool-bench`: every failure ends as one
/// `error: …` line per problem on stderr and exit code 2; help and `--version` exit 0.
///
/// Both roots are ``AsyncParsableCommand``s whose `static func main() async` calls ``run(_:)``:
/// argument-parser parses the arguments (running every `validate()`), then the chosen command
/// runs — `run() async` for the commands that serve or wait on async work, `run()` for the rest.
public enum CommandMain {
    /// Parses the arguments for `Root`, runs the chosen command and exits as documented.
    ///
    /// Runs on the main actor, so the synchronous commands run on the main thread (with its large
    /// stack) as they would under a synchronous root; asynchronous commands run on Swift
    /// concurrency's executors.
    @MainActor
    public static func run<Root: AsyncParsableCommand>(_ root: Root.Type) async -> Never {
        do {
            var command = try Root.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as InputError {
            fail(error.description)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            if Root.exitCode(for: error) == .success {
                print(Root.fullMessage(for: error))
                Foundation.exit(0)
            }
            // argument-parser's own message (or a ValidationError's), without its usage text.
            fail(problems(in: Root.message(for: error)))
        }
    }

    /// Prints `error: …` for each line of `message` (an input error may list several
    /// problems, one per line) and exits 2.
    public static func fail(_ message: String) -> Never {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true)
        let text = (lines.isEmpty ? ["unknown error"] : lines).map { "error: \($0)\n" }.joined()
        FileHandle.standardError.write(Data(text.utf8))
        Foundation.exit(2)
    }

    /// One line per problem of an argument-parser message. A `ValidationError` lists its problems
    /// one per line; argument-parser continues a message on indented lines (the bulleted list of
    /// valid values), which are joined to the line they continue.
    static func problems(in message: String) -> String {
        var lines: [String] = []
        for raw in message.split(whereSeparator: \.isNewline) {
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            if raw.first?.isWhitespace == true, !lines.isEmpty {
                lines[lines.count - 1] += " " + text
            } else {
                lines.append(text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text)
            }
        }
        return lines.joined(separator: "\n")
    }
}
