import Foundation
import GPUPoolDomain
import GPUPoolPlanner

/// A simulation scenario file tying a trace, a pool and the settings together.
///
/// The file is JSON (an object) or a flat YAML subset: `key: value` lines, `#` comments, lists as
/// `[a, b]` or as `- item` lines under the key. Paths are relative to the scenario file.
///
/// ```yaml
/// trace: msr_seed0_11cb48.trace          # Gavel .trace or simple .csv
/// throughputs: simulation_throughputs.json   # default: next to the trace
/// cluster: v100:36,p100:36,k80:36        # or  pool: pool.yaml
/// gpus_per_node: 4
/// policies: [max-min-fairness, max-min-fairness-agnostic]
/// method: heuristic
/// seed: 1
/// round: 360
/// restart_delay: 0
/// failures: availability                 # none | availability | scripted
/// availability: 0.99                     # P_i of the cluster's nodes
/// mean_repair: 3600
/// outages:                               # for failures: scripted
///   - v100-0,3600,7200
/// max_time: 31536000
/// ```
public struct Scenario: Sendable {
    /// Trace path (resolved).
    public var trace: String
    /// Throughput matrix path (resolved), if given.
    public var throughputs: String?
    /// Pool file path (resolved), if given.
    public var pool: String?
    /// Cluster text, if given.
    public var cluster: String?
    /// GPUs per node for `cluster`.
    public var gpusPerNode: Int
    /// Availability of the cluster's nodes, if given.
    public var availability: Double?
    /// Policies to compare.
    public var policies: [PlanningPolicy]
    /// Settings shared by all policies (``SimulationOptions/policy`` is replaced per policy).
    public var options: SimulationOptions

    /// Keys the file may use.
    public static let keys: Set<String> = [
        "trace", "throughputs", "pool", "cluster", "gpus_per_node", "policies", "policy", "method", "seed", "round",
        "restart_delay", "failures", "availability", "mean_repair", "outages", "max_time",
    ]

    /// Reads a scenario file.
    /// - Throws: ``SimulationError`` naming the file, line and key of every problem.
    public static func read(path: String) throws(SimulationError) -> Scenario {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SimulationError("\(path): cannot be read: \(error.localizedDescription)")
        }
        return try parse(text: text, fileName: path)
    }

    /// Parses scenario text; relative paths are resolved against `fileName`'s directory.
    public static func parse(text: String, fileName: String) throws(SimulationError) -> Scenario {
        let values = try text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{")
            ? jsonValues(text, fileName: fileName) : yamlValues(text, fileName: fileName)
        var problems: [String] = []
        for key in values.keys.sorted() where !keys.contains(key) {
            problems.append("\(fileName):\(values[key]?.line ?? 0): unknown key \"\(key)\"; known keys: \(keys.sorted().joined(separator: ", "))")
        }
        let directory = (fileName as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") || directory.isEmpty ? p : directory + "/" + p }
        func scalar(_ key: String) -> String? { values[key]?.items.first }
        func number(_ key: String, _ check: (Double) -> Bool, _ rule: String) -> Double? {
            guard let v = values[key] else { return nil }
            guard let text = v.items.first, v.items.count == 1, let d = Double(text), check(d) else {
                problems.append("\(fileName):\(v.line): \(key): must be \(rule), got \"\(v.items.joined(separator: ", "))\"")
                return nil
            }
            return d
        }
        guard let trace = scalar("trace") else { throw SimulationError(problems + ["\(fileName): missing key \"trace\""]) }
        let pool = scalar("pool").map(resolve)
        let cluster = scalar("cluster")
        if (pool == nil) == (cluster == nil) { problems.append("\(fileName): give exactly one of \"pool\" and \"cluster\"") }
        var options = SimulationOptions()
        var policies: [PlanningPolicy] = []
        for key in ["policies", "policy"] {
            guard let v = values[key] else { continue }
            for name in v.items {
                do { policies.append(try PlanningPolicy(name: name)) } catch { problems.append("\(fileName):\(v.line): \(key): \(error.description)") }
            }
        }
        if policies.isEmpty { policies = [.maxMinFairness] }
        if let v = values["method"] {
            if let m = v.items.first.flatMap(PlanningMethod.init(rawValue:)) { options.method = m } else {
                problems.append("\(fileName):\(v.line): method: must be auto, exact or heuristic")
            }
        }
        if let s = values["seed"] {
            if let n = s.items.first.flatMap({ UInt64($0) }) { options.seed = n } else { problems.append("\(fileName):\(s.line): seed: must be a whole number ≥ 0") }
        }
        if let r = number("round", { $0 >= 1 && $0 <= 2_592_000 }, "between 1 and 2592000 seconds") { options.roundSeconds = r }
        if let d = number("restart_delay", { $0 >= 0 && $0.isFinite }, "a number of seconds ≥ 0") { options.restartDelaySeconds = d }
        if let m = number("max_time", { $0 > 0 && $0 <= 1e10 }, "a number of seconds in (0, 1e10]") { options.maxSimulatedSeconds = m }
        let availability = number("availability", { $0 > 0 && $0 <= 1 }, "a probability in (0, 1]")
        let repair = number("mean_repair", { $0 > 0 && $0.isFinite }, "a number of seconds > 0") ?? 3600
        let gpusPerNode = number("gpus_per_node", { $0 >= 1 && $0 <= 4096 && $0.rounded() == $0 }, "a whole number between 1 and 4096").map { Int($0) } ?? 4
        switch scalar("failures") ?? "none" {
        case "none": options.failures = .none
        case "availability": options.failures = .availability(meanRepairSeconds: repair)
        case "scripted":
            var outages: [NodeOutage] = []
            let v = values["outages"]
            for item in v?.items ?? [] {
                let parts = item.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 3, let s = Double(parts[1]), let e = Double(parts[2]), s >= 0, e > s, e.isFinite {
                    outages.append(NodeOutage(node: parts[0], start: s, end: e))
                } else {
                    problems.append("\(fileName):\(v?.line ?? 0): outages: \"\(item)\" must be NODE,START,END with 0 ≤ START < END")
                }
            }
            options.failures = .scripted(outages)
        case let other: problems.append("\(fileName):\(values["failures"]?.line ?? 0): failures: \"\(other)\" must be none, availability or scripted")
        }
        if !problems.isEmpty { throw SimulationError(problems) }
        return Scenario(
            trace: resolve(trace), throughputs: scalar("throughputs").map(resolve), pool: pool, cluster: cluster,
            gpusPerNode: gpusPerNode, availability: availability, policies: policies, options: options)
    }

    private struct Value { var items: [String]; var line: Int }

    private static func yamlValues(_ text: String, fileName: String) throws(SimulationError) -> [String: Value] {
        var values: [String: Value] = [:]
        var listKey: String?
        var problems: [String] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("- ") || trimmed == "-" {
                guard let key = listKey else { problems.append("\(fileName):\(n + 1): list item outside a list key"); continue }
                values[key]?.items.append(unquote(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)))
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else {
                problems.append("\(fileName):\(n + 1): expected \"key: value\", got \"\(trimmed)\"")
                continue
            }
            let key = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if values[key] != nil { problems.append("\(fileName):\(n + 1): key \"\(key)\" appears twice") }
            if value.isEmpty {
                values[key] = Value(items: [], line: n + 1)
                listKey = key
            } else if value.hasPrefix("[") && value.hasSuffix("]") {
                values[key] = Value(items: value.dropFirst().dropLast().split(separator: ",").map { unquote($0.trimmingCharacters(in: .whitespaces)) }, line: n + 1)
                listKey = nil
            } else {
                values[key] = Value(items: [unquote(value)], line: n + 1)
                listKey = nil
            }
        }
        if !problems.isEmpty { throw SimulationError(problems) }
        return values
    }

    private static func jsonValues(_ text: String, fileName: String) throws(SimulationError) -> [String: Value] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw SimulationError("\(fileName): not a JSON object")
        }
        var values: [String: Value] = [:]
        for (key, value) in object {
            if let list = value as? [Any] { values[key] = Value(items: list.map { "\($0)" }, line: 0) }
            else { values[key] = Value(items: ["\(value)"], line: 0) }
        }
        return values
    }

    private static func unquote(_ s: String) -> String {
        if s.count >= 2, (s.hasPrefix("\"") && s.hasSuffix("\"")) || (s.hasPrefix("'") && s.hasSuffix("'")) {
            return String(s.dropFirst().dropLast())
        }
        return s
    }
}
