import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolModel
import GPUPoolService
import Logging

/// `gpupool bench serve`: throughput and latency of the HTTP service on loopback.
struct BenchServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the service on 127.0.0.1 and measure requests/s and p50/p99 latency of /v1/solve.",
        discussion: """
            Workloads: a tiny LP (2 variables, 3 rows, GLPK simplex) and a generalized-assignment MIP \
            (5 agents × 15 jobs, heuristic + GLPK). Each client is one keep-alive connection with one request \
            outstanding, sending the next as soon as the answer is complete (closed loop), for --seconds (whole \
            seconds, at least 1; at most --max-requests per client). The load comes from wrk (apt-get install wrk), \
            one wrk thread for all connections, after a one-second warm-up with the same load.
            """
    )

    @Option(help: "Concurrent clients, comma-separated.")
    var clients: String = "1,8,64"

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 10

    @Option(help: "Server worker threads (default: CPU count).")
    var workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    @Option(name: .customLong("io-threads"), help: "Server event-loop (network I/O) threads.")
    var ioThreads: Int = 1

    @Option(name: .customLong("max-requests"), help: "Upper bound on requests per client per measurement.")
    var maxRequests: Int = 1_000_000

    @Option(help: "Workloads, comma-separated: lp, gap.")
    var workloads: String = "lp,gap"

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let counts = try clients.split(separator: ",").map { part -> Int in
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), (1...1024).contains(n) else {
                throw InputError("--clients \(clients): each count must be an integer between 1 and 1024")
            }
            return n
        }
        guard !counts.isEmpty else { throw InputError("--clients: give at least one count") }
        guard seconds > 0, seconds <= 3600, seconds.isFinite else { throw InputError("--seconds \(seconds): must be between 0 and 3600") }
        guard maxRequests >= 1 else { throw InputError("--max-requests \(maxRequests): must be at least 1") }
        let chosen = try workloads.split(separator: ",").map { name -> BenchWorkload in
            guard let w = BenchWorkload.all.first(where: { $0.name == name.trimmingCharacters(in: .whitespaces) }) else {
                throw InputError("--workloads \(workloads): unknown \(name) (known: lp, gap)")
            }
            return w
        }
        let wrk = try WrkLoad.find()
        let configuration = ServiceConfiguration(host: "127.0.0.1", port: 0, workers: workers, ioThreads: ioThreads,
                                                 queueLimit: (counts.max() ?? 1) * 2, maxTimeLimit: 10)
        var logger = Logger(label: "gpupool.bench.serve") { LineLogHandler(label: $0) }
        logger.logLevel = .error
        let service: SolveService
        do { service = try SolveService(configuration: configuration, logger: logger) } catch { throw InputError(error.description) }
        let portBox = PortBox()
        let serverDone = DispatchSemaphore(value: 0)
        Task {
            do { try await service.run { port in portBox.set(port) } } catch { portBox.fail("\(error)") }
            serverDone.signal()
        }
        guard let port = portBox.wait() else { throw InputError("bench serve: the server did not start: \(portBox.failure ?? "?")") }

        var results: [BenchServeResult] = []
        for workload in chosen {
            for count in counts {
                let result = try measure(workload: workload, clients: count, port: port, wrk: wrk)
                results.append(result)
                if !json { print(result.line) }
            }
        }
        _ = BlockingRun.wait { await service.shutdown() }
        serverDone.wait()
        if json {
            let items: [JSONText] = results.map { r in
                .object([
                    ("workload", .string(r.workload)), ("clients", .integer(r.clients)), ("requests", .integer(r.requests)),
                    ("errors", .integer(r.errors)), ("seconds", .number(r.seconds)), ("requests_per_second", .number(r.throughput)),
                    ("p50_ms", .number(r.p50 * 1000)), ("p99_ms", .number(r.p99 * 1000)),
                    ("cpu_us_per_request", .number(r.cpuPerRequest * 1e6)), ("cores_busy", .number(r.coresBusy)),
                ])
            }
            print(JSONText.object([
                ("machine", .string("\(ProcessInfo.processInfo.activeProcessorCount) cores")),
                ("workers", .integer(workers)),
                ("io_threads", .integer(ioThreads)),
                ("results", .array(items)),
            ]).serialized)
        }
    }

    private func measure(workload: BenchWorkload, clients count: Int, port: Int, wrk: URL) throws -> BenchServeResult {
        let load = WrkLoad(executable: wrk, port: port, path: workload.path, body: workload.body)
        let limit = maxRequests < 1_000_000 ? maxRequests : nil
        // Warm up with the same load, not measured: first GLPK calls, thread start-up, caches and
        // the per-connection set-up of fresh connections belong to start-up, not to steady state.
        let warmUp = try load.run(clients: count, seconds: 1, maxRequests: limit)
        if warmUp.requests == 0 { throw InputError("bench serve: no request was answered during the warm-up") }
        let cpuBefore = ProcessStats.cpuSeconds
        let outcome = try load.run(clients: count, seconds: Int(seconds.rounded(.up)), maxRequests: limit)
        // The server's CPU only: wrk is another process.
        let cpu = ProcessStats.cpuSeconds - cpuBefore
        let total = outcome.seconds
        return BenchServeResult(workload: workload.name, clients: count, requests: outcome.requests, errors: outcome.errors,
                                seconds: total, throughput: Double(outcome.requests) / total, p50: outcome.p50, p99: outcome.p99,
                                cpuPerRequest: outcome.requests == 0 ? .nan : cpu / Double(outcome.requests), coresBusy: cpu / total)
    }
}

/// One measurement.
struct BenchServeResult {
    var workload: String
    var clients: Int
    var requests: Int
    var errors: Int
    var seconds: Double
    var throughput: Double
    var p50: Double
    var p99: Double
    /// CPU seconds of the server process per answered request (wrk runs apart): less sensitive
    /// than latency to other load on the machine.
    var cpuPerRequest: Double
    /// Average number of cores the process kept busy.
    var coresBusy: Double

    var line: String {
        String(format: "%-4@ clients %3d: %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms  cpu %5.0f µs/req on %.2f cores  (%d requests, %d errors, %.1f s)",
               workload, clients, throughput, p50 * 1000, p99 * 1000, cpuPerRequest * 1e6, coresBusy, requests, errors, seconds)
    }
}

/// A request body of the benchmark.
struct BenchWorkload {
    var name: String
    var path: String
    var body: String

    static let all = [
        BenchWorkload(name: "lp", path: "/v1/solve", body: tinyLP),
        BenchWorkload(name: "gap", path: "/v1/solve", body: gapModel(agents: 5, jobs: 15)),
    ]

    static let tinyLP = """
        {"format": "gpupool-model", "version": 1, "name": "tiny", "sense": "maximize",
         "objective": {"terms": [{"variable": "x", "coefficient": 3}, {"variable": "y", "coefficient": 2}]},
         "variables": [{"name": "x", "lower": 0}, {"name": "y", "lower": 0}],
         "constraints": [
           {"name": "c1", "terms": [{"variable": "x", "coefficient": 1}, {"variable": "y", "coefficient": 1}], "upper": 4},
           {"name": "c2", "terms": [{"variable": "x", "coefficient": 1}, {"variable": "y", "coefficient": 3}], "upper": 6},
           {"name": "c3", "terms": [{"variable": "x", "coefficient": 1}], "upper": 3}
         ]}
        """

    /// A generalized-assignment MIP (minimise cost; each job on one agent; agent capacities) with
    /// deterministic pseudo-random data in the style of OR-Library's gap1.
    static func gapModel(agents m: Int, jobs n: Int) -> String {
        var rng = SeededGenerator(seed: 12345)
        func next(_ range: ClosedRange<Int>) -> Int { rng.nextInt(in: range) }
        let cost = (0..<m).map { _ in (0..<n).map { _ in next(15...25) } }
        let weight = (0..<m).map { _ in (0..<n).map { _ in next(5...25) } }
        let capacity = weight.map { Int(Double($0.reduce(0, +)) * 0.8 / Double(m)) }
        func x(_ i: Int, _ j: Int) -> String { "x_\(i)_\(j)" }
        var variables: [String] = []
        var objective: [String] = []
        for i in 0..<m {
            for j in 0..<n {
                variables.append(#"{"name": "\#(x(i, j))", "kind": "binary"}"#)
                objective.append(#"{"variable": "\#(x(i, j))", "coefficient": \#(cost[i][j])}"#)
            }
        }
        var constraints: [String] = []
        for j in 0..<n {
            let terms = (0..<m).map { #"{"variable": "\#(x($0, j))", "coefficient": 1}"# }.joined(separator: ", ")
            constraints.append(#"{"name": "job\#(j)", "terms": [\#(terms)], "lower": 1, "upper": 1}"#)
        }
        for i in 0..<m {
            let terms = (0..<n).map { #"{"variable": "\#(x(i, $0))", "coefficient": \#(weight[i][$0])}"# }.joined(separator: ", ")
            constraints.append(#"{"name": "agent\#(i)", "terms": [\#(terms)], "upper": \#(capacity[i])}"#)
        }
        return #"{"format": "gpupool-model", "version": 1, "name": "gap-\#(m)x\#(n)", "objective": {"terms": [\#(objective.joined(separator: ", "))]}, "variables": [\#(variables.joined(separator: ", "))], "constraints": [\#(constraints.joined(separator: ", "))]}"#
    }
}

/// The port the in-process server bound, handed from its task to the command's thread.
final class PortBox: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var port: Int?
    private(set) var failure: String?

    func set(_ port: Int) {
        lock.withLock { self.port = port }
        ready.signal()
    }

    func fail(_ message: String) {
        lock.withLock { failure = message }
        ready.signal()
    }

    /// Waits up to 30 s for the port.
    func wait() -> Int? {
        _ = ready.wait(timeout: .now() + 30)
        return lock.withLock { port }
    }
}
