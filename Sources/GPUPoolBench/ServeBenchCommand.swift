import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolModel
#if Service
import GPUPoolService
import Logging

/// `gpupool bench serve`: throughput and latency of the HTTP service on loopback.
struct BenchServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the service on 127.0.0.1 and measure requests/s and p50/p99 latency of /v1/solve.",
        discussion: """
            Workloads: a tiny LP (2 variables, 3 rows, GLPK simplex) and a generalized-assignment MIP \
            (5 agents × 15 jobs, heuristic + GLPK). Each client is one keep-alive connection with one request \
            outstanding, sending the next as soon as the answer is complete (closed loop), for --seconds (whole \
            seconds, at least 1; at most --max-requests per client). The load comes from wrk (apt-get install wrk), \
            one wrk thread for all connections, after a one-second warm-up with the same load. --json prints one \
            JSON object with one result per workload and client count.
            """
    )

    /// The request bodies `--workloads` can choose.
    enum Workload: String, CaseIterable, ExpressibleByArgument {
        case lp, gap

        var request: BenchWorkload {
            switch self {
            case .lp: .lp
            case .gap: .gap
            }
        }
    }

    @Option(help: CommaList<Int>.help("Concurrent clients (1–1024 each).", default: [1, 8, 64]), transform: CommaList.parse)
    var clients: [CommaList<Int>] = [CommaList([1, 8, 64])]

    @Option(parsing: .unconditional, help: "Seconds per measurement.")
    var seconds: Double = 10

    @Option(parsing: .unconditional, help: "Server worker threads (default: CPU count).")
    var workers: Int?

    @Option(name: .customLong("io-threads"), parsing: .unconditional, help: "Server event-loop (network I/O) threads.")
    var ioThreads: Int = 1

    @Option(name: .customLong("max-requests"), parsing: .unconditional, help: "Upper bound on requests per client per measurement.")
    var maxRequests: Int = 1_000_000

    @Option(help: CommaList<Workload>.help("Workloads.", default: Workload.allCases), transform: CommaList.parse)
    var workloads: [CommaList<Workload>] = [CommaList(Workload.allCases)]

    @OptionGroup var outputOptions: OutputOptions

    /// The client counts, in the order given.
    private var counts: [Int] { clients.flattened() }

    /// The server's settings.
    private var serviceConfiguration: ServiceConfiguration {
        ServiceConfiguration(host: "127.0.0.1", port: 0, workers: workers ?? max(1, ProcessInfo.processInfo.activeProcessorCount),
                             ioThreads: ioThreads, queueLimit: (counts.max() ?? 1) * 2, maxTimeLimit: 10)
    }

    func validate() throws {
        for count in counts where !(1...1024).contains(count) {
            throw ValidationError("--clients \(count): each count must be an integer between 1 and 1024")
        }
        guard !counts.isEmpty else { throw ValidationError("--clients: give at least one count") }
        guard seconds > 0, seconds <= 3600, seconds.isFinite else {
            throw ValidationError("--seconds \(ArgumentCheck.text(seconds)): must be between 0 and 3600")
        }
        guard maxRequests >= 1 else { throw ValidationError("--max-requests \(maxRequests): must be at least 1") }
        let problems = serviceConfiguration.problems
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() async throws {
        let json = outputOptions.json
        let chosen = workloads.flattened().map(\.request)
        let wrk = try WrkLoad.find()
        AllocatorTuning.returnLargeBlocksToTheSystem()  // as gpupool serve does
        var logger = Logger(label: "gpupool.bench.serve") { LineLogHandler(label: $0) }
        logger.logLevel = .error
        let service: SolveService
        do { service = try SolveService(configuration: serviceConfiguration, logger: logger) } catch { throw InputError(error.description) }
        let (listening, port) = AsyncStream.makeStream(of: Int.self)
        let server = Task {
            defer { port.finish() }
            try await service.run { port.yield($0) }
        }
        guard let port = await listening.first(where: { _ in true }) else {
            let failure: String
            switch await server.result {
            case let .failure(error): failure = "\(error)"
            case .success: failure = "it stopped"
            }
            throw InputError("bench serve: the server did not start: \(failure)")
        }

        var results: [BenchServeResult] = []
        let (seconds, maxRequests) = (seconds, maxRequests)
        for workload in chosen {
            for count in counts {
                // wrk runs as a child process; waiting for it blocks a thread, so not one of Swift
                // concurrency's few cooperative threads, which the server's handlers need.
                let result = try await Self.onOwnThread {
                    try Self.measure(workload: workload, clients: count, seconds: seconds, maxRequests: maxRequests, port: port, wrk: wrk)
                }
                results.append(result)
                if !json { print(result.line) }
            }
        }
        await service.shutdown()
        _ = await server.result
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
                ("workers", .integer(serviceConfiguration.workers)),
                ("io_threads", .integer(ioThreads)),
                ("results", .array(items)),
            ]).serialized)
        }
    }

    /// Runs blocking `work` on a thread of its own and returns its result.
    private static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private static func measure(
        workload: BenchWorkload, clients count: Int, seconds: Double, maxRequests: Int, port: Int, wrk: URL
    ) throws -> BenchServeResult {
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

    static let lp = BenchWorkload(name: "lp", path: "/v1/solve", body: tinyLP)
    static let gap = BenchWorkload(name: "gap", path: "/v1/solve", body: gapModel(agents: 5, jobs: 15))

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
#else
/// Without the `Service` trait: `serve` explains how to build it.
typealias BenchServeCommand = ServeUnavailableCommand
#endif
