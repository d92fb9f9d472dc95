import ArgumentParser
import Foundation

/// The exit-code contract shared by `gpupool` and `gpupool-bench`: every failure ends as one
/// `error: …` line per problem on stderr and exit code 2; help and `--version` exit 0.
public enum CommandMain {
    /// Parses the arguments for `Root`, runs the chosen command and exits as documented.
    public static func run<Root: ParsableCommand>(_ root: Root.Type) -> Never {
        do {
            var command = try Root.parseAsRoot()
            try command.run()
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
            // One line: argument-parser's messages may span several.
            let text = Root.message(for: error).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            fail(text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text)
        }
    }

    /// Prints `error: …` for each line of `message` (a validation error may list several
    /// problems, one per line) and exits 2.
    public static func fail(_ message: String) -> Never {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true)
        let text = (lines.isEmpty ? ["unknown error"] : lines).map { "error: \($0)\n" }.joined()
        FileHandle.standardError.write(Data(text.utf8))
        Foundation.exit(2)
    }
}
