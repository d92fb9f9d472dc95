import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolService
import Logging

/// `gpupool serve`: the HTTP solve service (solve, plan, validate, telemetry), see Docs/Service.md.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve solving, planning, validation and telemetry over HTTP (see Docs/Service.md).",
        discussion: """
            Binds 127.0.0.1 unless --host says otherwise. With a token (--token-file, or the environment \
            variable GPUPOOL_TOKEN; never on the command line) every /v1 request needs `Authorization: Bearer \
            TOKEN`. SIGTERM or SIGINT shuts down gracefully: no new connections, running solves finish (their \
            time limits are capped by --max-time-limit), exit 0.
            """
    )

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one).")
    var port: Int = 8080

    @Option(name: .customLong("token-file"), help: "File whose first line is the bearer token (else $GPUPOOL_TOKEN; else no auth).")
    var tokenFile: String?

    @Option(help: "Solves running at once, each on its own thread (default: CPU count).")
    var workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    @Option(name: .customLong("io-threads"), help: "Event-loop threads for the network I/O (solves never run there).")
    var ioThreads: Int = 1

    @Option(help: "Requests that may wait for a worker before the server answers 429.")
    var queue: Int = 64

    @Option(name: .customLong("max-body"), help: "Largest request body in bytes (413 above).")
    var maxBody: Int = 16 << 20

    @Option(name: .customLong("max-time-limit"), help: "Cap on any requested time limit, seconds (also the default).")
    var maxTimeLimit: Double = 60

    @Option(name: .customLong("shutdown-grace"), help: "Seconds shutdown waits for running work.")
    var shutdownGrace: Double = 30

    @Flag(name: .customLong("protect-probes"), help: "Require the token on /healthz, /readyz, /metrics and /openapi.yaml too.")
    var protectProbes = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw InputError("--log-level \(logLevel): unknown (known: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
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
        let configuration = ServiceConfiguration(
            host: host, port: port, token: token, openProbes: !protectProbes, workers: workers, ioThreads: ioThreads, queueLimit: queue,
            maxBodyBytes: maxBody, maxTimeLimit: maxTimeLimit, shutdownGracePeriod: shutdownGrace
        )
        var logger = Logger(label: "gpupool.serve") { LineLogHandler(label: $0) }
        logger.logLevel = level
        let service: SolveService
        do { service = try SolveService(configuration: configuration, logger: logger) } catch {
            throw InputError(error.description)
        }
        if token == nil { logger.warning("no token configured: /v1 endpoints are open to anyone who can reach \(host):\(port)") }
        let failure = BlockingRun.wait { try await service.runUntilTerminated() }
        if let failure { throw InputError("serve: \(failure)") }
    }
}
