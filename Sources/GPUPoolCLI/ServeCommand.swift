import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
#if Service
import GPUPoolService
import Logging

/// `gpupool serve`: the HTTP solve service (solve, plan, validate, telemetry), see Docs/Service.md.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve solving, planning, validation and telemetry over HTTP (see Docs/Service.md).",
        discussion: """
            Binds 127.0.0.1 unless --host says otherwise. With a token (--token-file, or the environment \
            variable GPUPOOL_TOKEN; never on the command line) every /v1 request needs `Authorization: Bearer \
            TOKEN`. SIGTERM or SIGINT shuts down gracefully: /readyz and new /v1 requests (on open connections too) \
            answer 503 with Retry-After; queued and running work gets --shutdown-grace seconds to finish, then \
            queued work is refused and running solves are interrupted, each answering with its best point so far \
            (status interrupted); the server closes and the process exits 0. Long solves and plans can run as jobs \
            (POST /v1/jobs, then GET /v1/jobs/ID or its /events stream); jobs live in this process only.
            """
    )

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(parsing: .unconditional, help: "TCP port (0 picks a free one).")
    var port: Int = 8080

    @Option(name: .customLong("token-file"), help: "File whose first line is the bearer token (else $GPUPOOL_TOKEN; else no auth).")
    var tokenFile: String?

    @Option(parsing: .unconditional, help: "Solves running at once, each on its own thread (default: CPU count).")
    var workers: Int?

    @Option(name: .customLong("io-threads"), parsing: .unconditional, help: "Event-loop threads for the network I/O (solves never run there).")
    var ioThreads: Int = 1

    @Option(parsing: .unconditional, help: "Requests that may wait for a worker before the server answers 429.")
    var queue: Int = 64

    @Option(name: .customLong("max-body"), parsing: .unconditional, help: "Largest request body in bytes (413 above).")
    var maxBody: Int = 16 << 20

    @Option(name: .customLong("max-time-limit"), parsing: .unconditional, help: "Cap on any requested time limit, seconds (also the default).")
    var maxTimeLimit: Double = 60

    @Option(name: .customLong("shutdown-grace"), parsing: .unconditional, help: "Seconds a shutdown lets queued and running work finish before it interrupts the solves.")
    var shutdownGrace: Double = 30

    @Option(name: .customLong("job-retention"), parsing: .unconditional, help: "Seconds an ended job of /v1/jobs stays readable.")
    var jobRetention: Double = 3600

    @Option(name: .customLong("max-ended-jobs"), parsing: .unconditional, help: "Most ended jobs kept (the oldest are dropped first).")
    var maxEndedJobs: Int = 1000

    @Flag(name: .customLong("protect-probes"), help: "Require the token on /healthz, /readyz, /metrics and /openapi.yaml too.")
    var protectProbes = false

    @Option(name: .customLong("log-level"), help: "Log level.")
    var logLevel: Logger.Level = .info

    /// The service's settings from the options, with `token`.
    private func serviceConfiguration(token: String?) -> ServiceConfiguration {
        ServiceConfiguration(
            host: host, port: port, token: token, openProbes: !protectProbes,
            workers: workers ?? max(1, ProcessInfo.processInfo.activeProcessorCount), ioThreads: ioThreads, queueLimit: queue,
            maxBodyBytes: maxBody, maxTimeLimit: maxTimeLimit, shutdownGracePeriod: shutdownGrace,
            jobRetention: jobRetention, maxEndedJobs: maxEndedJobs
        )
    }

    func validate() throws {
        let problems = serviceConfiguration(token: nil).problems
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() async throws {
        let token: String?
        do {
            if let tokenFile {
                token = try ServiceConfiguration.readToken(file: tokenFile)
            } else if let value = ProcessInfo.processInfo.environment["GPUPOOL_TOKEN"] {
                guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw InputError("GPUPOOL_TOKEN is set but empty") }
                token = value.trimmingCharacters(in: .whitespaces)
            } else {
                token = nil
            }
        } catch let error as ServiceSetupError {
            throw InputError(error.description)
        }
        // Large bodies must not leave the memory of their buffers behind (AllocatorTuning).
        AllocatorTuning.returnLargeBlocksToTheSystem()
        var logger = Logger(label: "gpupool.serve") { LineLogHandler(label: $0) }
        logger.logLevel = logLevel
        let service: SolveService
        do { service = try SolveService(configuration: serviceConfiguration(token: token), logger: logger) } catch {
            throw InputError(error.description)
        }
        if token == nil { logger.warning("no token configured: /v1 endpoints are open to anyone who can reach \(host):\(port)") }
        do { try await service.runUntilTerminated() } catch { throw InputError("serve: \(error)") }
    }
}
#else
/// Without the `Service` trait: `serve` explains how to build it.
typealias ServeCommand = ServeUnavailableCommand
#endif
