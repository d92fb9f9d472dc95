import Foundation
import GPUPoolDomain

/// Reads job traces for the simulator.
///
/// Two formats:
/// - Gavel traces (`.trace`, tab-separated, 7 or 10 columns; see ``GavelTrace``), with throughputs
///   from Gavel's `simulation_throughputs.json`.
/// - A simple CSV (documented in Docs/PolicyComparison.md) with a header row naming the columns
///   `arrival` (s), `job` (a Gavel job type, or per-model throughputs of the whole gang in steps/s
///   such as `V100=3.2;P100=1.9;K80=0.6`), `gpus`, `work` (total steps), and optionally `priority`
///   (integer tier, default 0) and `tenant` (default `default`).
public enum TraceLoader {
    /// Jobs from a Gavel trace. Gangs of up to `consolidateUpTo` GPUs must sit on one node.
    public static func gavel(path: String, throughputs: GavelThroughputs, consolidateUpTo: Int = 4) throws(SimulationError) -> [Job] {
        let entries: [GavelTraceEntry]
        do { entries = try GavelTrace.read(path: path) } catch { throw SimulationError("\(error)") }
        return try gavel(entries: entries, throughputs: throughputs, consolidateUpTo: consolidateUpTo, fileName: path)
    }

    /// Jobs from parsed Gavel entries; every entry's job type must be in the throughput matrix.
    public static func gavel(entries: [GavelTraceEntry], throughputs: GavelThroughputs, consolidateUpTo: Int = 4,
                             fileName: String = "trace") throws(SimulationError) -> [Job] {
        let known = Set(throughputs.jobTypes())
        let unknown = entries.filter { !known.contains($0.jobType) }
        if !unknown.isEmpty {
            throw SimulationError(unknown.prefix(20).map { "\(fileName):\($0.line): job type \"\($0.jobType)\" is not in the throughput matrix" })
        }
        var jobs = GavelTrace.makeJobs(entries, throughputs: throughputs, tenants: .byFamily, consolidateUpTo: consolidateUpTo)
        for i in jobs.indices where jobs[i].throughput.values.allSatisfy({ $0 <= 0 }) {
            jobs[i].throughput = [:]  // no measurement: leave it to the estimate rather than "cannot run anywhere"
        }
        return jobs
    }

    /// Jobs from the simple CSV format. `throughputs` resolves job-type names.
    /// - Throws: ``SimulationError`` naming every bad row and column.
    public static func csv(text: String, fileName: String, throughputs: GavelThroughputs?, consolidateUpTo: Int = 4) throws(SimulationError) -> [Job] {
        let records: [CSVRecord]
        do { records = try CSVParser.parse(text) } catch { throw SimulationError("\(fileName):\(error.line): \(error.message)") }
        guard let header = records.first else { throw SimulationError("\(fileName): empty file; expected a header row arrival,job,gpus,work[,priority,tenant]") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var column: [String: Int] = [:]
        for (i, name) in names.enumerated() { column[name] = i }
        let required = ["arrival", "job", "gpus", "work"]
        let missing = required.filter { column[$0] == nil }
        if !missing.isEmpty {
            throw SimulationError("\(fileName):\(header.line): header lacks column(s) \(missing.joined(separator: ", ")); expected arrival,job,gpus,work[,priority,tenant]")
        }
        var problems: [String] = []
        var jobs: [Job] = []
        let body = records.dropFirst().filter { !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        let width = String(max(body.count - 1, 0)).count
        for (index, record) in body.enumerated() {
            func field(_ name: String) -> String? {
                guard let c = column[name], c < record.fields.count else { return nil }
                return record.fields[c].trimmingCharacters(in: .whitespaces)
            }
            let at = "\(fileName):\(record.line)"
            var bad = false
            func fail(_ name: String, _ message: String) { problems.append("\(at): column \(name): \(message)"); bad = true }
            let arrival = field("arrival").flatMap(Double.init)
            if !(arrival.map { $0 >= 0 && $0.isFinite } ?? false) { fail("arrival", "must be a number of seconds ≥ 0, got \"\(field("arrival") ?? "")\"") }
            let gpus = field("gpus").flatMap { Int($0) }
            if !(gpus.map { (1...DomainLimits.maxGangGPUs).contains($0) } ?? false) { fail("gpus", "must be a whole number between 1 and \(DomainLimits.maxGangGPUs), got \"\(field("gpus") ?? "")\"") }
            let work = field("work").flatMap(Double.init)
            if !(work.map { $0 > 0 && $0.isFinite } ?? false) { fail("work", "must be a number of steps > 0, got \"\(field("work") ?? "")\"") }
            var priority = 0
            if let text = field("priority"), !text.isEmpty {
                if let p = Int(text), abs(p) <= 1_000_000 { priority = p } else { fail("priority", "must be a whole number, got \"\(text)\"") }
            }
            let tenantText = field("tenant") ?? ""
            let tenant = tenantText.isEmpty ? "default" : tenantText
            let jobText = field("job") ?? ""
            var throughput: [String: Double] = [:]
            var jobType: String?
            if jobText.contains("=") {
                for pair in jobText.split(separator: ";") {
                    let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard kv.count == 2, !kv[0].isEmpty, let v = Double(kv[1]), v >= 0, v.isFinite else {
                        fail("job", "throughput \"\(pair)\" must be MODEL=steps/s with a number ≥ 0"); continue
                    }
                    throughput[AcceleratorName.canonical(kv[0])] = v
                }
                if !bad && !throughput.values.contains(where: { $0 > 0 }) { fail("job", "needs a throughput > 0 on at least one model") }
            } else if jobText.isEmpty {
                fail("job", "is empty; give a Gavel job type or MODEL=steps/s pairs")
            } else if let matrix = throughputs, let g = gpus {
                guard matrix.jobTypes().contains(jobText) else { fail("job", "job type \"\(jobText)\" is not in the throughput matrix"); continue }
                for (workerType, model) in GavelThroughputs.workerTypeModels {
                    if let v = matrix.throughput(jobType: jobText, scaleFactor: g, workerType: workerType) { throughput[model] = v }
                }
                jobType = jobText
            } else if throughputs == nil {
                fail("job", "job type \"\(jobText)\" needs a throughput matrix (simulation_throughputs.json)")
            }
            guard !bad, let arrival, let gpus, let work else { continue }
            let number = String(index)
            jobs.append(Job(
                id: "job" + String(repeating: "0", count: max(0, width - number.count)) + number, tenant: tenant, priority: priority,
                shape: JobShape(workers: gpus, gpusPerWorker: 1), throughput: throughput,
                locality: gpus <= consolidateUpTo ? .node : .region, arrivalSeconds: arrival, totalSteps: work, jobType: jobType))
            if problems.count >= 1000 { break }
        }
        if !problems.isEmpty { throw SimulationError(problems) }
        return jobs
    }

    /// Reads a trace by extension: `.csv` → CSV, anything else → Gavel.
    public static func read(path: String, throughputs: GavelThroughputs?, consolidateUpTo: Int = 4) throws(SimulationError) -> [Job] {
        if path.lowercased().hasSuffix(".csv") {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw SimulationError("\(path): cannot be read: \(error.localizedDescription)")
            }
            return try csv(text: text, fileName: path, throughputs: throughputs, consolidateUpTo: consolidateUpTo)
        }
        guard let throughputs else { throw SimulationError("\(path): a Gavel trace needs a throughput matrix (simulation_throughputs.json)") }
        return try gavel(path: path, throughputs: throughputs, consolidateUpTo: consolidateUpTo)
    }
}
