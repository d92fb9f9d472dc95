import Foundation
import GPUPoolTestSupport
import Testing

/// How both executables read their arguments: negative numbers reach the range checks, closed
/// sets are enums whose help lists the values and shows the default as a word, every list option
/// takes repeated options and comma-separated values alike, and every bad argument is one
/// `error:` line with exit code 2.
@Suite("command-line arguments")
struct ArgumentParsingTests {
    /// The one `error:` line of a failed run, checked to be the only output.
    private func singleError(_ out: CLIRunner.Output, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(out.status == 2, "\(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stdout.isEmpty, "\(out.stdout)", sourceLocation: sourceLocation)
        let lines = out.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 1, "\(out.stderr)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("error: ") == true, "\(out.stderr)", sourceLocation: sourceLocation)
        #expect(!out.stderr.contains("Usage:") && !out.stderr.contains("USAGE:") && !out.stderr.contains("See '"),
                "usage text leaked: \(out.stderr)", sourceLocation: sourceLocation)
        return lines.first ?? ""
    }

    /// The Docs/PoolFormat.md example pool and workload (README's pointer for the file formats), as files.
    private func docsExample() throws -> (pool: String, jobs: String) {
        let text = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("Docs/PoolFormat.md"), encoding: .utf8)
        func block(_ kind: String) throws -> String {
            let start = try #require(text.range(of: "```yaml \(kind)\n")).upperBound
            return String(text[start..<(try #require(text.range(of: "```", range: start..<text.endIndex))).lowerBound])
        }
        return (try CLIRunner.temporaryFile("pool.yaml", contents: try block("pool")),
                try CLIRunner.temporaryFile("jobs.yaml", contents: try block("workload")))
    }

    // MARK: Negative numbers

    @Test("a negative --time-limit names the value instead of 'Missing value'", arguments: [
        ["plan", "--pool", "pool.yaml", "--jobs", "jobs.yaml", "--time-limit", "-1"],
        ["plan", "--pool", "pool.yaml", "--jobs", "jobs.yaml", "--time-limit=-1"],
        ["validate", "gap1.txt", "--time-limit", "-1"],
    ])
    func negativeTimeLimit(arguments: [String]) throws {
        let line = singleError(try CLIRunner.run(arguments))
        #expect(line == "error: --time-limit -1: must be a positive number of seconds")
    }

    @Test("gpupool-bench: a negative --time-limit names the value", arguments: [
        ["plan", "--time-limit", "-1"], ["gap", "gap1.txt", "--time-limit", "-1"],
    ])
    func benchNegativeTimeLimit(arguments: [String]) throws {
        let line = singleError(try CLIRunner.bench(arguments))
        #expect(line == "error: --time-limit -1: must be a positive number of seconds")
    }

    @Test("negative numbers reach the range checks", arguments: [
        (["solve", "Examples/factory.lp", "--time-limit", "-3"], "time limit -3"),
        (["demo", "--jobs", "-5"], "--jobs -5: must be between 1 and 96"),
        (["plan", "--pool", "p", "--jobs", "j", "--partitions", "-2"], "--partitions -2: must be between 1 and 1024"),
        (["validate", "f", "--exact-time-limit", "-0.5"], "--exact-time-limit -0.5: must be a positive number of seconds"),
        (["monitor", "--pool", "p", "--plan", "q", "--telemetry", "t", "--interval", "-2"], "--interval -2:"),
        (["history", "--db", "h", "events", "--prior-hours", "-24"], "--prior-hours -24: must be positive"),
    ])
    func negativeNumbers(arguments: [String], message: String) throws {
        let line = singleError(try CLIRunner.run(arguments))
        #expect(line.contains(message), "\(line)")
        #expect(!line.contains("Missing value"))
    }

    // MARK: Help

    /// Every command's help, both executables.
    static let helpCommands: [[String]] = [
        [], ["demo"], ["plan"], ["solve"], ["validate"], ["monitor"], ["telemetry"], ["telemetry", "parse"],
        ["history"], ["simulate"], ["serve"],
    ]
    static let benchHelpCommands: [[String]] = [
        [], ["build"], ["gap"], ["plan"], ["allocation"], ["telemetry"], ["replan"], ["serve"], ["memory"],
    ]

    /// Problems with a help screen: a Swift type printed as a default, or two defaults on one option.
    private func helpProblems(_ text: String) -> [String] {
        var problems: [String] = []
        for marker in ["Option(", "(value:"] where text.contains(marker) {
            problems.append("contains \(marker)")
        }
        // Options wrap over several lines; join each option's entry into one line.
        var entries: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("  -") || line.hasPrefix("  <") || entries.isEmpty || trimmed.isEmpty {
                entries.append(trimmed)
            } else {
                entries[entries.count - 1] += " " + trimmed
            }
        }
        for entry in entries where entry.components(separatedBy: "(default:").count > 2 {
            problems.append("two defaults: \(entry)")
        }
        return problems
    }

    @Test("help shows defaults as words, once", arguments: helpCommands)
    func helpDefaults(command: [String]) throws {
        let out = try CLIRunner.run(command + ["--help"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("USAGE: gpupool"))
        #expect(helpProblems(out.stdout).isEmpty, "\(helpProblems(out.stdout))\n\(out.stdout)")
    }

    @Test("gpupool-bench help shows defaults as words, once", arguments: benchHelpCommands)
    func benchHelpDefaults(command: [String]) throws {
        let out = try CLIRunner.bench(command + ["--help"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("USAGE: gpupool-bench"))
        #expect(helpProblems(out.stdout).isEmpty, "\(helpProblems(out.stdout))\n\(out.stdout)")
    }

    @Test func telemetryParseHelpListsTheFormats() throws {
        let out = try CLIRunner.run(["telemetry", "parse", "--help"])
        #expect(out.status == 0)
        #expect(!out.stdout.contains("TelemetryFormatOption("), "\(out.stdout)")
        let flat = out.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("(values: auto, nvidia-smi-csv, dmon, dcgm; default: auto)"), "\(out.stdout)")
        #expect(flat.contains("Repeat the option or separate values with commas."), "\(out.stdout)")
    }

    @Test(.enabled(if: BuildTraits.service, BuildTraits.needsService))
    func serveHelpNamesTheWorkerDefaultOnce() throws {
        let out = try CLIRunner.run(["serve", "--help"])
        #expect(out.status == 0)
        let flat = out.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("(default: CPU count)"), "\(out.stdout)")
        #expect(!flat.contains("(default: CPU count). (default:"), "\(out.stdout)")
        #expect(flat.contains("(values: trace, debug, info, notice, warning, error, critical; default: info)"), "\(out.stdout)")
    }

    // MARK: Version

    @Test func versionPrintsTheVersion() throws {
        let source = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("Sources/GPUPoolCommandLine/GPUPoolVersion.swift"), encoding: .utf8)
        let version = try #require(source.firstMatch(of: /string = "([0-9][^"]*)"/)?.1).description
        for out in [try CLIRunner.run(["--version"]), try CLIRunner.bench(["--version"])] {
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout == version + "\n", "\(out.stdout)")
            #expect(out.stderr.isEmpty)
        }
    }

    // MARK: Lists

    /// The plan's JSON without its timing.
    private func planJSON(_ arguments: [String]) throws -> NSDictionary {
        let out = try CLIRunner.run(arguments + ["--method", "heuristic", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        var plan = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        var metrics = try #require(plan["metrics"] as? [String: Any])
        metrics["solveSeconds"] = nil
        plan["metrics"] = metrics
        return plan as NSDictionary
    }

    @Test func planPolicyRepeatedEqualsCommaSeparated() throws {
        let (pool, jobs) = try docsExample()
        let base = ["plan", "--pool", pool, "--jobs", jobs]
        let comma = try planJSON(base + ["--policy", "priority,max-throughput"])
        let repeated = try planJSON(base + ["--policy", "priority", "--policy", "max-throughput"])
        #expect(comma == repeated)
        // Both policies are in force (the planner appends max-utilization to keep plans work-conserving).
        #expect((comma["policies"] as? [String])?.starts(with: ["priority", "max-throughput"]) == true, "\(comma)")
        // Mixed, and the README's spelling.
        let mixed = try planJSON(base + ["--policy", "priority", "--policy", "max-throughput,min-cost"])
        let readme = try planJSON(base + ["--policy", "priority,max-throughput,min-cost"])
        #expect(mixed == readme)
        #expect((readme["policies"] as? [String])?.first == "priority")
    }

    @Test func demoPoliciesRepeatedEqualsCommaSeparated() throws {
        func policies(_ arguments: [String]) throws -> [String] {
            let out = try CLIRunner.run(["demo", "--json", "--method", "heuristic", "--jobs", "6"] + arguments)
            #expect(out.status == 0, "\(out.stderr)")
            return out.stdout.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["policy"] as? String
            }
        }
        let comma = try policies(["--policies", "min-cost,fifo"])
        #expect(comma == ["min-cost", "fifo"])
        #expect(try policies(["--policies", "min-cost", "--policies", "fifo"]) == comma)
    }

    @Test func benchPlanPolicyRepeatedEqualsCommaSeparated() throws {
        func policy(_ arguments: [String]) throws -> String? {
            let out = try CLIRunner.bench(["plan", "--jobs", "20", "--gpus", "64", "--json"] + arguments)
            #expect(out.status == 0, "\(out.stderr)")
            return (try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])?["policy"] as? String
        }
        #expect(try policy([]) == "max-utilization")
        #expect(try policy(["--policy", "priority,min-cost"]) == "priority,min-cost")
        #expect(try policy(["--policy", "priority", "--policy", "min-cost"]) == "priority,min-cost")
    }

    @Test func telemetryFieldsRepeatedEqualsCommaSeparated() throws {
        let csv = try CLIRunner.temporaryFile("headerless.csv", contents: "0, 45, 71.5\n1, 50, 80.25\n")
        func parse(_ arguments: [String]) throws -> String {
            let out = try CLIRunner.run(["telemetry", "parse", csv, "--format", "nvidia-smi-csv", "--json"] + arguments)
            #expect(out.status == 0, "\(out.stderr)")
            return out.stdout
        }
        let comma = try parse(["--fields", "index,temperature.gpu,power.draw"])
        #expect(comma.contains("\"temperature_c\":45") && comma.contains("\"power_w\":80.25"), "\(comma)")
        #expect(try parse(["--fields", "index", "--fields", "temperature.gpu", "--fields", "power.draw"]) == comma)
        #expect(try parse(["--fields", "index,temperature.gpu", "--fields", "power.draw"]) == comma)
    }

    @Test("a repeated policy is named", arguments: [
        (["plan", "--pool", "p", "--jobs", "j", "--policy", "min-cost", "--policy", "min-cost"], "--policy: policy 'min-cost' is listed twice"),
        (["demo", "--policies", "fifo,fifo"], "--policies: policy 'fifo' is listed twice"),
    ])
    func repeatedPolicy(arguments: [String], message: String) throws {
        #expect(singleError(try CLIRunner.run(arguments)) == "error: \(message)")
    }

    // MARK: Bad values

    @Test("a bad enum value is one error line naming the option and the value", arguments: [
        (["telemetry", "parse", "f.csv", "--format", "xml"], "--format", "xml"),
        (["plan", "--pool", "p", "--jobs", "j", "--method", "magic"], "--method", "magic"),
        (["plan", "--pool", "p", "--jobs", "j", "--policy", "priority,cheapest"], "--policy", "cheapest"),
        (["solve", "Examples/factory.lp", "--format", "docx"], "--format", "docx"),
        (["validate", "f", "--heuristic", "genetic"], "--heuristic", "genetic"),
        (["validate", "f", "--sense", "sideways"], "--sense", "sideways"),
        (["history", "--db", "h", "utilization", "--by", "country"], "--by", "country"),
        (["history", "--db", "h", "events", "--since", "yesterday"], "--since", "yesterday"),
        (["simulate", "--trace", "t", "--cluster", "v100:4", "--method", "exact"], "--method", "exact"),
        (["simulate", "--trace", "t", "--cluster", "v100:4", "--failures", "scripted"], "--failures", "scripted"),
        (["monitor", "--pool", "p", "--plan", "q", "--telemetry", "t", "--format", "csv"], "--format", "csv"),
    ])
    func badEnumValue(arguments: [String], option: String, value: String) throws {
        let line = singleError(try CLIRunner.run(arguments))
        #expect(line.contains(option) && line.contains(value), "\(line)")
    }

    @Test("gpupool-bench: a bad enum value is one error line naming the option and the value", arguments: [
        (["build", "--model", "lp"], "--model", "lp"),
        (["plan", "--method", "magic"], "--method", "magic"),
        (["allocation", "--policy", "cheapest"], "--policy", "cheapest"),
    ])
    func benchBadEnumValue(arguments: [String], option: String, value: String) throws {
        let line = singleError(try CLIRunner.bench(arguments))
        #expect(line.contains(option) && line.contains(value), "\(line)")
    }

    @Test func mutuallyExclusiveOptionsAreOneErrorLine() throws {
        let both = singleError(try CLIRunner.run(["simulate", "--trace", "t", "--pool", "p", "--cluster", "v100:4"]))
        #expect(both == "error: give exactly one of --pool and --cluster")
        let scenario = singleError(try CLIRunner.run(["simulate", "--scenario", "s.yaml", "--trace", "t"]))
        #expect(scenario == "error: --scenario cannot be combined with --trace, --pool or --cluster")
    }

    @Test("serve: a bad enum value is one error line naming the option and the value", .enabled(if: BuildTraits.service, BuildTraits.needsService))
    func serveBadEnumValue() throws {
        let line = singleError(try CLIRunner.run(["serve", "--log-level", "loud"]))
        #expect(line.contains("--log-level") && line.contains("loud"), "\(line)")
        let bench = singleError(try CLIRunner.bench(["serve", "--workloads", "lp,nope"]))
        #expect(bench.contains("--workloads") && bench.contains("nope"), "\(bench)")
    }

    @Test("without the Service trait, serve says how to build it", .enabled(if: !BuildTraits.service, "the executables have the service (Service trait on)"))
    func serveWithoutTheTrait() throws {
        for out in [try CLIRunner.run(["serve", "--port", "0"]), try CLIRunner.bench(["serve"])] {
            #expect(out.status == 2)
            #expect(out.stderr.hasPrefix("error: this build has no HTTP service: it was built without the Service package trait"), "\(out.stderr)")
        }
    }

    @Test(.enabled(if: BuildTraits.service, BuildTraits.needsService))
    func everyProblemOfTheOptionsIsOneLine() throws {
        let out = try CLIRunner.run(["serve", "--workers", "0", "--io-threads", "0"])
        #expect(out.status == 2)
        #expect(out.stderr == "error: workers 0: must be between 1 and 1024\nerror: io-threads 0: must be between 1 and 256\n", "\(out.stderr)")
    }
}
