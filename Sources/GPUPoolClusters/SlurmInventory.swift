import Foundation
import GPUPoolDomain

/// Reads Slurm node listings into a ``ClusterInventory``: the text of `scontrol show node` (multi-line or
/// `-o` one line per node; `-d` adds `GresUsed`), or the JSON of `scontrol show node --json` (Slurm ≥ 23.02)
/// and `sinfo --json` (Slurm 21.08–22.05). Running jobs from `squeue --json` fill in GPU use where the
/// node listing does not state it.
///
/// - GPUs: the `gpu` entries of `Gres` (`gpu:a100:8(S:0-1)`); a node with several GPU types becomes one
///   pool node per type, named `NODE:TYPE`. Nodes without GPU GRES are left out with a warning.
/// - Model: the GRES type through ``AcceleratorMapping``; typeless GRES (`gpu:4`) need a node mapping.
/// - Memory: Slurm does not report GPU memory; the mapping or the shipped accelerator table gives it.
/// - In use: `GresUsed` (`gpu:a100:2(IDX:0-1)`), else `AllocTRES` `gres/gpu=N`, else the running jobs.
/// - Health: DOWN, FAIL, ERROR, NOT_RESPONDING (`*`) → failed; DRAIN (running jobs go on, no new ones) →
///   cordoned; MAINT, RESERVED, FUTURE and similar → cordoned with a warning. Powered-down nodes of power
///   saving (`IDLE+CLOUD+POWERED_DOWN`) take work: Slurm powers them up on demand.
public enum SlurmInventory {
    /// Reads a node listing (text or JSON, told apart by its first character) and, if given, `squeue --json`.
    public static func read(nodesFile: String, jobsFile: String? = nil, mapping: AcceleratorMapping = AcceleratorMapping(),
                            options: InventoryOptions = InventoryOptions()) throws -> ClusterInventory {
        let text = try KubernetesInventory.readText(nodesFile)
        let jobs = try jobsFile.map(KubernetesInventory.readText)
        return try parse(nodes: text, nodesFile: nodesFile, jobs: jobs, jobsFile: jobsFile ?? "squeue.json", mapping: mapping, options: options)
    }

    /// One node as either listing gives it.
    struct Record {
        var name: String
        var line: Int?
        var gres: String
        var gresUsed: String?
        var allocTRES: String?
        var states: [String]
        var partitions: [String]
        var features: [String]
    }

    /// Parses listing texts (file names are used in messages only).
    public static func parse(nodes text: String, nodesFile: String, jobs jobsText: String? = nil, jobsFile: String = "squeue.json",
                             mapping: AcceleratorMapping = AcceleratorMapping(),
                             options: InventoryOptions = InventoryOptions()) throws -> ClusterInventory {
        let trimmed = text.drop { $0.isWhitespace }
        let records = trimmed.first == "{" ? try jsonRecords(text, file: nodesFile) : try textRecords(text, file: nodesFile)
        var problems: [Problem] = []
        var warnings: [Problem] = []
        var nodes: [ClusterNode] = []
        var withoutGPUs: [String] = []
        var seen = Set<String>()
        for record in records {
            let item = "node \"\(record.name)\""
            func problem(_ message: String) -> Problem { Problem(file: nodesFile, line: record.line, item: item, message: message) }
            // sinfo lists a node once per partition: the same node again is not an error.
            guard seen.insert(record.name).inserted else { continue }
            guard let gres = SlurmGPUGres.parse(record.gres) else {
                problems.append(problem("cannot read Gres \"\(record.gres)\""))
                continue
            }
            let gpus = gres.filter { $0.count > 0 }
            if gpus.isEmpty { withoutGPUs.append(record.name); continue }
            let used = record.gresUsed.flatMap(SlurmGPUGres.parse)
            let tres = record.allocTRES.map(SlurmGPUGres.tres) ?? [:]
            let (health, note) = health(record.states)
            if let note { warnings.append(problem(note)) }
            if gpus.count > 1 {
                warnings.append(problem("has \(gpus.count) GPU types (\(gpus.map { $0.type ?? "untyped" }.joined(separator: ", "))); imported as one pool node per type, named NODE:TYPE"))
            }
            for entry in gpus {
                let name = gpus.count > 1 ? "\(record.name):\(entry.type ?? "gpu")" : record.name
                let entryItem = gpus.count > 1 ? "node \"\(name)\"" : item
                func entryProblem(_ message: String) -> Problem { Problem(file: nodesFile, line: record.line, item: entryItem, message: message) }
                if entry.type == nil && mapping.nodes[name] == nil && mapping.nodes[record.name] == nil {
                    problems.append(entryProblem("GRES gpu:\(entry.count) has no type, so the model is unknown; name it in a mapping file (nodes: {\(record.name): MODEL})"))
                    continue
                }
                // A node mapping names the model of the whole node, or of its typeless entry when it has several.
                var resolution = mapping.resolve(product: entry.type ?? "", node: name)
                if resolution.source != "node mapping", mapping.nodes[record.name] != nil, gpus.count == 1 || entry.type == nil {
                    resolution = mapping.resolve(product: entry.type ?? "", node: record.name)
                }
                // GRES types are site-chosen, usually lower case: an unknown one is kept upper case, so `a10g`
                // here and `A10G` from a Kubernetes label are one model.
                if !resolution.known { resolution.accelerator = resolution.accelerator.uppercased() }
                if !resolution.known {
                    warnings.append(entryProblem("unknown accelerator \"\(entry.type ?? "")\", kept as \"\(resolution.accelerator)\" (give jobs throughputs for it, or map it in a mapping file)"))
                }
                guard let memory = mapping.memory(of: resolution.accelerator) else {
                    problems.append(entryProblem("memory per GPU of \"\(resolution.accelerator)\" is unknown (Slurm does not report it); add it to a mapping file (memoryGiB: {\(resolution.accelerator): N})"))
                    continue
                }
                var inUse: Int?
                if let used {
                    inUse = used.filter { $0.type == entry.type || (gpus.count == 1) }.reduce(0) { $0 + $1.count }
                } else if record.allocTRES != nil {
                    // AllocTRES lists what is allocated: no gres/gpu there means none.
                    inUse = tres[entry.type] ?? (gpus.count == 1 ? tres[nil] : nil) ?? 0
                }
                let features = record.features.filter { !$0.isEmpty }
                let interconnect: Interconnect = entry.count == 1 ? .none
                    : (features.contains { $0.lowercased().contains("nvlink") || $0.lowercased().contains("sxm") } ? .nvlink : .pcie)
                var node = ClusterNode(
                    name: name, hostname: record.name, product: entry.type ?? "gpu",
                    accelerator: resolution.accelerator, vendor: AcceleratorName.inferredVendor(resolution.accelerator),
                    gpuCount: entry.count, gpusInUse: inUse ?? 0, gpuMemoryGiB: memory, interconnect: interconnect,
                    region: options.defaultRegion, health: health, gresType: entry.type,
                    partitions: record.partitions.filter { !$0.isEmpty }, features: features)
                if inUse == nil { node.gpusInUse = -1 }  // unknown: filled from the jobs, else 0 below
                nodes.append(node)
            }
        }
        if !withoutGPUs.isEmpty {
            let list = withoutGPUs.prefix(5).joined(separator: ", ") + (withoutGPUs.count > 5 ? ", …" : "")
            warnings.append(Problem(file: nodesFile, item: "\(withoutGPUs.count) node(s)", message: "without GPU GRES, not imported (\(list))"))
        }
        if let jobsText {
            applyJobs(jobsText, file: jobsFile, to: &nodes, problems: &problems, warnings: &warnings)
        }
        var unknownUse: [String] = []
        for n in nodes.indices where nodes[n].gpusInUse < 0 {
            nodes[n].gpusInUse = 0
            unknownUse.append(nodes[n].name)
        }
        if !unknownUse.isEmpty {
            let list = unknownUse.prefix(5).joined(separator: ", ") + (unknownUse.count > 5 ? ", …" : "")
            warnings.append(Problem(file: nodesFile, item: "\(unknownUse.count) node(s)",
                                    message: "state no GPU use (no GresUsed or AllocTRES: list them with `scontrol -d show node`, or give squeue --json); counted as 0 in use (\(list))"))
        }
        for n in nodes.indices where nodes[n].gpusInUse > nodes[n].gpuCount {
            warnings.append(Problem(file: nodesFile, item: "node \"\(nodes[n].name)\"", message: "\(nodes[n].gpusInUse) GPUs in use of \(nodes[n].gpuCount); counted as all in use"))
            nodes[n].gpusInUse = nodes[n].gpuCount
        }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return ClusterInventory(kind: .slurm, nodes: nodes, warnings: warnings)
    }

    /// Health from Slurm's state words (`IDLE+DRAIN`, `DOWN*`, `MIXED`), and a note when it was a judgement call.
    static func health(_ states: [String]) -> (HealthState, String?) {
        var words = Set<String>()
        var notResponding = false
        for state in states {
            for part in state.uppercased().split(separator: "+") {
                var word = String(part)
                while let last = word.last, "*~#!%$@^-".contains(last) {
                    if last == "*" { notResponding = true }
                    word.removeLast()
                }
                words.insert(word)
            }
        }
        let failed: Set<String> = ["DOWN", "FAIL", "FAILING", "ERROR", "NOT_RESPONDING", "UNKNOWN"]
        let drained: Set<String> = ["DRAIN", "DRAINING", "DRAINED"]
        let held: Set<String> = ["MAINT", "RESERVED", "FUTURE", "POWERING_DOWN", "REBOOT_REQUESTED", "REBOOT_ISSUED",
                                 "INVALID", "INVALID_REG", "BLOCKED"]
        let label = states.joined(separator: "+")
        if notResponding || !words.isDisjoint(with: failed) { return (.failed, "state \(label): imported as failed") }
        if !words.isDisjoint(with: drained) { return (.cordoned, nil) }
        if !words.isDisjoint(with: held) { return (.cordoned, "state \(label): no new work, imported as cordoned") }
        // Power saving: Slurm powers a POWERED_DOWN node up when it schedules work there, so it takes work.
        let fine: Set<String> = ["IDLE", "MIXED", "MIX", "ALLOCATED", "ALLOC", "COMPLETING", "COMP", "CLOUD", "PLANNED",
                                 "POWERED_DOWN", "POWER_DOWN", "POWERING_UP", "POWER_UP", "IDLE_POWER"]
        if words.isEmpty || !words.isSubset(of: fine) {
            return (.cordoned, "unknown state \(label): imported as cordoned")
        }
        return (.healthy, nil)
    }

    // MARK: Text

    /// `Key=Value` records of `scontrol show node`, one per `NodeName=` (multi-line or one-line format).
    static func textRecords(_ text: String, file: String) throws -> [Record] {
        var records: [Record] = []
        var current: [String: String] = [:]
        var currentLine = 0
        var problems: [Problem] = []
        func finish() {
            guard let name = current["NodeName"] else { return }
            records.append(Record(
                name: name, line: currentLine, gres: current["Gres"] ?? "",
                gresUsed: current["GresUsed"], allocTRES: current["AllocTRES"],
                states: [current["State"] ?? ""].filter { !$0.isEmpty },
                partitions: (current["Partitions"] ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) },
                features: (current["AvailableFeatures"] ?? "").split(separator: ",").map(String.init).filter { $0 != "(null)" }))
            current = [:]
        }
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let pairs = keyValues(line)
            if pairs.isEmpty {
                problems.append(Problem(file: file, line: index + 1, item: "line", message: "not `Key=Value` fields of `scontrol show node`: \"\(line.prefix(60))\""))
                continue
            }
            for (key, value) in pairs {
                if key == "NodeName" {
                    finish()
                    currentLine = index + 1
                } else if current.isEmpty && records.isEmpty && currentLine == 0 {
                    problems.append(Problem(file: file, line: index + 1, item: key, message: "comes before any NodeName="))
                    break
                }
                current[key] = value
            }
        }
        finish()
        if !problems.isEmpty { throw DomainError(problems: problems) }
        if records.isEmpty {
            throw DomainError(problems: [Problem(file: file, item: "node listing", message: "no NodeName= records (expected `scontrol show node` output)")])
        }
        return records
    }

    /// `Key=Value` pairs of one line; a value runs until the next ` Key=` (values such as `OS=` and
    /// `Reason=` hold spaces).
    static func keyValues(_ line: String) -> [(String, String)] {
        var result: [(String, String)] = []
        let characters = Array(line)
        var starts: [(key: Int, equals: Int)] = []
        var i = 0
        while i < characters.count {
            if i == 0 || characters[i - 1] == " " {
                var j = i
                while j < characters.count, characters[j].isLetter || characters[j].isNumber || characters[j] == "_" { j += 1 }
                if j > i, j < characters.count, characters[j] == "=", characters[i].isUppercase {
                    starts.append((i, j))
                    i = j + 1
                    continue
                }
            }
            i += 1
        }
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1].key : characters.count
            let key = String(characters[start.key..<start.equals])
            let value = String(characters[(start.equals + 1)..<end]).trimmingCharacters(in: .whitespaces)
            result.append((key, value))
        }
        return result
    }

    // MARK: JSON

    /// A JSON value that may be a string, a list of strings, or absent.
    enum StringOrList: Decodable {
        case one(String)
        case many([String])
        var values: [String] {
            switch self {
            case let .one(text): text.split(separator: ",").map(String.init)
            case let .many(list): list
            }
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let text = try? c.decode(String.self) { self = .one(text) } else { self = .many(try c.decode([String].self)) }
        }
    }

    struct JSONNode: Decodable {
        var name: String?
        var hostname: String?
        var gres: String?
        var gres_used: String?
        var state: StringOrList?
        var state_flags: [String]?
        var partitions: StringOrList?
        var features: StringOrList?
    }

    struct JSONNodes: Decodable { var nodes: [JSONNode]? }

    static func jsonRecords(_ text: String, file: String) throws -> [Record] {
        let lines: [String: Int]
        do { lines = try JSONLineMap.scan(text) } catch {
            throw DomainError(problems: [Problem(file: file, line: error.line, item: "JSON", message: error.message)])
        }
        let document: JSONNodes
        do { document = try JSONDecoder().decode(JSONNodes.self, from: Data(text.utf8)) } catch {
            throw DomainError(problems: [Problem(file: file, item: "node listing", message: "not `scontrol show node --json` or `sinfo --json` output: \(ListingDocument<JSONNode>.describe(error))")])
        }
        guard let nodes = document.nodes else {
            throw DomainError(problems: [Problem(file: file, item: "node listing", message: "has no \"nodes\" list (expected `scontrol show node --json` or `sinfo --json` output)")])
        }
        var problems: [Problem] = []
        var records: [Record] = []
        for (index, node) in nodes.enumerated() {
            guard let name = node.name, !name.isEmpty else {
                problems.append(Problem(file: file, line: lines["nodes[\(index)]"], item: "node #\(index + 1)", message: "has no name"))
                continue
            }
            records.append(Record(
                name: name, line: lines["nodes[\(index)]"], gres: node.gres ?? "", gresUsed: node.gres_used,
                allocTRES: nil, states: (node.state?.values ?? []) + (node.state_flags ?? []),
                partitions: node.partitions?.values ?? [], features: node.features?.values ?? []))
        }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return records
    }

    // MARK: Jobs

    struct SqueueJob: Decodable {
        var job_id: Int?
        var job_state: StringOrList?
        var nodes: String?
        var tres_alloc_str: String?
        var gres_detail: [String]?
    }
    struct Squeue: Decodable { var jobs: [SqueueJob]? }

    /// GPUs of running jobs per node, for nodes whose listing did not state their use.
    static func applyJobs(_ text: String, file: String, to nodes: inout [ClusterNode], problems: inout [Problem], warnings: inout [Problem]) {
        let squeue: Squeue
        do { squeue = try JSONDecoder().decode(Squeue.self, from: Data(text.utf8)) } catch {
            problems.append(Problem(file: file, item: "job listing", message: "not `squeue --json` output: \(ListingDocument<SqueueJob>.describe(error))"))
            return
        }
        guard let jobs = squeue.jobs else {
            problems.append(Problem(file: file, item: "job listing", message: "has no \"jobs\" list (expected `squeue --json` output)"))
            return
        }
        var byHost: [String: [Int]] = [:]
        for (n, node) in nodes.enumerated() { byHost[node.hostname, default: []].append(n) }
        var fromJobs: [Int: Int] = [:]
        for job in jobs {
            let item = "job \(job.job_id.map(String.init) ?? "?")"
            guard (job.job_state?.values ?? []).contains(where: { $0.uppercased() == "RUNNING" || $0.uppercased() == "SUSPENDED" }) else { continue }
            guard let list = job.nodes, !list.isEmpty else { continue }
            let hosts: [String]
            switch SlurmHostlist.expand(list) {
            case let .success(values): hosts = values
            case let .failure(error): problems.append(Problem(file: file, item: item, message: error.description)); continue
            }
            // gres_detail has one entry per allocated node, in host list order.
            let details = job.gres_detail ?? []
            if details.count == hosts.count, !details.isEmpty {
                for (host, detail) in zip(hosts, details) {
                    for entry in SlurmGPUGres.parse(detail) ?? [] {
                        guard let n = byHost[host]?.first(where: { nodes[$0].gresType == entry.type || byHost[host]!.count == 1 }) else { continue }
                        fromJobs[n, default: 0] += entry.count
                    }
                }
            } else if let total = job.tres_alloc_str.map(SlurmGPUGres.tres)?[nil], total > 0 {
                guard hosts.count == 1 else {
                    warnings.append(Problem(file: file, item: item, message: "holds \(total) GPUs on \(hosts.count) nodes without per-node detail; not counted"))
                    continue
                }
                if let n = byHost[hosts[0]]?.first { fromJobs[n, default: 0] += total }
            }
        }
        for (n, count) in fromJobs where nodes[n].gpusInUse < 0 { nodes[n].gpusInUse = count }
        for (n, count) in fromJobs where nodes[n].gpusInUse >= 0 && nodes[n].gpusInUse != count {
            warnings.append(Problem(file: file, item: "node \"\(nodes[n].name)\"", message: "running jobs hold \(count) GPUs, the node listing says \(nodes[n].gpusInUse); the node listing is used"))
        }
    }
}
