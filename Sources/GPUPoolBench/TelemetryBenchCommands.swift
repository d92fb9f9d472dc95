import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolDomain
import GPUPoolMonitoring
import GPUPoolTelemetry
import GPUPoolPlanner
import GPUPoolWorkloads
import GPUPoolHistory

/// `gpupool bench telemetry`: parse and store speed.
struct BenchTelemetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry",
        abstract: "Parse generated DCGM and nvidia-smi telemetry, then store the samples in SQLite (WAL).",
        discussion: "--json prints one JSON object: lines and samples, their rates and seconds."
    )

    @Option(parsing: .unconditional, help: "GPUs in the generated fleet.")
    var gpus: Int = 1000

    @Option(parsing: .unconditional, help: "Scrapes per GPU.")
    var scrapes: Int = 60

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard (1...100_000).contains(gpus), (1...10_000).contains(scrapes), gpus * scrapes <= 5_000_000 else {
            throw ValidationError("--gpus \(gpus) --scrapes \(scrapes): need --gpus 1...100000 and --scrapes 1...10000 with at most 5,000,000 GPU-scrapes")
        }
    }

    func run() throws {
        let json = outputOptions.json
        let text = Self.generate(gpus: gpus, scrapes: scrapes)
        let data = Data(text.utf8)
        let parser = TelemetryParser()
        let (result, parseSeconds) = ProcessStats.time { parser.parse(data) }
        guard result.issues.isEmpty else { throw InputError("generated telemetry has \(result.issues.count) malformed lines") }
        let samples = result.records.compactMap { r in r.hostname.flatMap { r.sample(node: $0, fallbackTimestamp: 0) } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-bench-\(getpid()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store: HistoryStore
        do { store = try HistoryStore(path: path) } catch { throw InputError("\(error)") }
        let (stored, storeSeconds) = try ProcessStats.time { () throws -> Int in
            do { return try store.record(samples: samples) } catch { throw InputError("\(error)") }
        }
        let linesPerSecond = Double(result.lineCount) / max(parseSeconds, 1e-9)
        let samplesPerSecond = Double(stored) / max(storeSeconds, 1e-9)
        let out: JSONText = .object([
            ("lines", .integer(result.lineCount)),
            ("lines_per_s", .number(linesPerSecond.rounded())),
            ("samples_per_s", .number(samplesPerSecond.rounded())),
            ("samples", .integer(stored)),
            ("parse_seconds", .number(parseSeconds)),
            ("store_seconds", .number(storeSeconds)),
            ("bytes", .integer(data.count)),
        ])
        if json {
            print(out.serialized)
        } else {
            print("\(result.lineCount) lines (\(data.count / 1_048_576) MiB) parsed in \(String(format: "%.3f", parseSeconds)) s: \(Int(linesPerSecond)) lines/s")
            print("\(stored) samples stored in \(String(format: "%.3f", storeSeconds)) s: \(Int(samplesPerSecond)) samples/s (SQLite WAL, one transaction)")
        }
    }

    /// DCGM exporter scrapes (8 series per GPU, 8 GPUs per host) followed by nvidia-smi CSV rows.
    static func generate(gpus: Int, scrapes: Int) -> String {
        var out = ""
        out.reserveCapacity(gpus * scrapes * 8 * 190)
        let metrics = ["DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED",
                       "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_XID_ERRORS", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "DCGM_FI_DEV_SM_CLOCK"]
        let base = 1_780_000_000_000
        for s in 0..<scrapes {
            for (m, metric) in metrics.enumerated() {
                for g in 0..<gpus {
                    let value: String
                    switch m {
                    case 0: value = String(40 + (g + s) % 40)
                    case 1: value = "\(200 + (g * 7 + s) % 400).\((g + s) % 1000)"
                    case 2: value = String((g * 3 + s) % 101)
                    case 3: value = String(1000 + g % 70_000)
                    case 4: value = String(80_000 - g % 70_000)
                    case 6: value = s % 7 == 0 ? "9223372036854775794" : "0"
                    case 7: value = "1980"
                    default: value = "0"
                    }
                    out += "\(metric){gpu=\"\(g % 8)\",UUID=\"GPU-\(g)\",device=\"nvidia\(g % 8)\",modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"node-\(g / 8)\"} \(value) \(base + s * 15_000)\n"
                }
            }
        }
        out += "# $ nvidia-smi --query-gpu=timestamp,index,uuid,name,temperature.gpu,power.draw,utilization.gpu,memory.used,memory.total,hostname --format=csv\n"
        out += "timestamp, index, uuid, name, temperature.gpu, power.draw [W], utilization.gpu [%], memory.used [MiB], memory.total [MiB], hostname\n"
        for s in 0..<scrapes {
            for g in 0..<min(gpus, 1000) {
                out += "2026/07/14 08:\(String(format: "%02d", s % 60)):00.000, \(g % 8), GPU-\(g), NVIDIA H100 80GB HBM3, \(40 + g % 40), \(300 + g % 300).25 W, \(g % 101) %, \(g * 10) MiB, 81559 MiB, node-\(g / 8)\n"
            }
        }
        return out
    }
}

/// `gpupool bench replan`: failover re-plan after one 8-GPU node fails in a busy pool.
struct BenchReplanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replan",
        abstract: "Fail the busiest 8-GPU node of a busy generated pool and time the failover re-plan.",
        discussion: "--json prints one JSON object: the failed node, affected, moved, queued and lost jobs, seconds."
    )

    @Option(parsing: .unconditional, help: "GPUs in the generated pool.")
    var gpus: Int = 10_000

    @Option(parsing: .unconditional, help: "Jobs (default: enough to keep the pool busy, 0.3 per GPU).")
    var jobs: Int?

    @Option(parsing: .unconditional, help: "Seed of the generator.")
    var seed: UInt64 = 1

    @OptionGroup var outputOptions: OutputOptions

    /// `--jobs`, or 0.3 per GPU.
    private var jobCount: Int { jobs ?? max(1, gpus * 3 / 10) }

    func validate() throws {
        guard (16...1_000_000).contains(gpus) else { throw ValidationError("--gpus \(gpus): must be between 16 and 1000000") }
        guard (1...1_000_000).contains(jobCount) else { throw ValidationError("--jobs \(jobCount): must be between 1 and 1000000") }
    }

    func run() throws {
        let json = outputOptions.json
        let failover = FailoverPlanner()
        let (pool, workload): (Pool, Workload)
        let initial: Plan
        do {
            (pool, workload) = try WorkloadGenerator.generate(jobs: jobCount, gpus: gpus, seed: seed)
            initial = try failover.planner.plan(pool: pool, workload: workload)
        } catch { throw InputError("\(error)") }
        var load: [String: Int] = [:]
        for entry in initial.placed { for w in entry.workers { load[w.node, default: 0] += 1 } }
        guard let victim = pool.nodes.filter({ $0.gpuCount == 8 }).max(by: { (load[$0.id] ?? 0, $1.id) < (load[$1.id] ?? 0, $0.id) }) else {
            throw InputError("the generated pool has no 8-GPU node")
        }
        var degraded = pool
        for k in degraded.nodes.indices where degraded.nodes[k].id == victim.id { degraded.nodes[k].health = .failed }
        let (outcome, seconds) = ProcessStats.time { Result { try failover.replan(current: initial, pool: degraded, workload: workload) } }
        let result: FailoverResult
        do { result = try outcome.get() } catch { throw InputError("\(error)") }
        let out: JSONText = .object([
            ("gpus", .integer(pool.totalGPUs)), ("jobs", .integer(workload.jobs.count)), ("affected", .integer(result.affected)),
            ("moved", .integer(result.moved)), ("queued", .integer(result.queued)), ("lost", .integer(result.lost)),
            ("seconds", .number(seconds)), ("failed_node", .string(victim.id)), ("placed_before", .integer(initial.metrics.placedJobs)),
            ("violations", .integer(result.violations.count)),
        ])
        if json {
            print(out.serialized)
        } else {
            print("\(pool.totalGPUs) GPUs, \(workload.jobs.count) jobs (\(initial.metrics.placedJobs) placed); node \(victim.id) failed")
            print("re-plan in \(String(format: "%.3f", seconds)) s: \(result.affected) affected, \(result.moved) moved, \(result.queued) queued, \(result.lost) lost, \(result.violations.count) violations")
        }
    }
}
