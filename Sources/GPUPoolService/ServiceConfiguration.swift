public import Foundation

/// Settings of a ``SolveService``: where it listens, who may call it, and how much work it takes on.
public struct ServiceConfiguration: Sendable {
    /// Address to bind; loopback by default so nothing is exposed by accident.
    public var host: String
    /// TCP port; `0` picks a free port (see ``SolveService/run(onListening:)``).
    public var port: Int
    /// Bearer token every `/v1` request must present; `nil` disables authentication.
    public var token: String?
    /// Whether `/healthz`, `/readyz`, `/metrics` and `/openapi.yaml` answer without a token.
    public var openProbes: Bool
    /// Solves (and plans, validations) running at once, each on its own thread.
    public var workers: Int
    /// Event-loop threads doing the network I/O (reading requests, writing answers). Solver work
    /// never runs there, so one thread is enough for small requests at high rates and leaves the
    /// cores to the workers; more help with many large bodies.
    public var ioThreads: Int
    /// Requests that may wait for a worker; beyond that the service answers 429.
    public var queueLimit: Int
    /// Largest request body in bytes; larger bodies get 413.
    public var maxBodyBytes: Int
    /// Upper bound on any requested time limit, in seconds; also the limit when none is asked for.
    public var maxTimeLimit: Double
    /// How long shutdown waits for queued and running work, in seconds. At its end, queued work is
    /// refused (503) and running solves are interrupted: each answers with its best point so far
    /// (status `interrupted`).
    public var shutdownGracePeriod: Double
    /// How long shutdown waits, after interrupting the running solves, for them to answer before it
    /// answers their clients 503 itself and exits (a GLPK phase that does not look at the
    /// interrupt flag could otherwise hold the process), in seconds.
    public static let interruptWait: Double = 10
    /// Value of `Retry-After` (seconds) on 429 answers and on the 503 answers of a shutdown.
    public var retryAfterSeconds: Int
    /// How long an ended job of `/v1/jobs` stays readable, in seconds.
    public var jobRetention: Double
    /// Most ended jobs kept; beyond it the oldest are dropped first.
    public var maxEndedJobs: Int

    /// Creates a configuration; the defaults are those of `gpupool serve`.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, openProbes: Bool = true,
        workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount), ioThreads: Int = 1, queueLimit: Int = 64,
        maxBodyBytes: Int = 16 << 20, maxTimeLimit: Double = 60, shutdownGracePeriod: Double = 30,
        retryAfterSeconds: Int = 1, jobRetention: Double = 3600, maxEndedJobs: Int = 1000
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.openProbes = openProbes
        self.workers = workers
        self.ioThreads = ioThreads
        self.queueLimit = queueLimit
        self.maxBodyBytes = maxBodyBytes
        self.maxTimeLimit = maxTimeLimit
        self.shutdownGracePeriod = shutdownGracePeriod
        self.retryAfterSeconds = retryAfterSeconds
        self.jobRetention = jobRetention
        self.maxEndedJobs = maxEndedJobs
    }

    /// Every problem with the settings, one message each naming the setting; empty when valid.
    public var problems: [String] {
        var out: [String] = []
        if host.isEmpty { out.append("host: must not be empty") }
        if !(0...65535).contains(port) { out.append("port \(port): must be between 0 and 65535") }
        if !(1...1024).contains(workers) { out.append("workers \(workers): must be between 1 and 1024") }
        if !(1...256).contains(ioThreads) { out.append("io-threads \(ioThreads): must be between 1 and 256") }
        if !(0...1_000_000).contains(queueLimit) { out.append("queue \(queueLimit): must be between 0 and 1000000") }
        if !(1...(1 << 32)).contains(maxBodyBytes) { out.append("max-body \(maxBodyBytes): must be between 1 and 4294967296 bytes") }
        if !(maxTimeLimit > 0) || !maxTimeLimit.isFinite { out.append("max-time-limit \(maxTimeLimit): must be a positive number of seconds") }
        if !(shutdownGracePeriod >= 0) || !shutdownGracePeriod.isFinite { out.append("shutdown grace period \(shutdownGracePeriod): must be a non-negative number of seconds") }
        if !(jobRetention >= 0) || !jobRetention.isFinite { out.append("job retention \(jobRetention): must be a non-negative number of seconds") }
        if !(0...1_000_000).contains(maxEndedJobs) { out.append("max ended jobs \(maxEndedJobs): must be between 0 and 1000000") }
        if let token, token.isEmpty { out.append("token: must not be empty") }
        return out
    }

    /// Reads a bearer token from a file (first line, surrounding white space removed), so it
    /// never appears on a command line.
    /// - Throws: ``ServiceSetupError`` when the file cannot be read or holds no token.
    public static func readToken(file path: String) throws(ServiceSetupError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceSetupError("\(path): cannot read the token file")
        }
        let text = String(decoding: data, as: UTF8.self)
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !token.isEmpty else { throw ServiceSetupError("\(path): the token file is empty") }
        return token
    }
}

/// A service that cannot start: bad settings, unreadable token file, address in use.
public struct ServiceSetupError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the setting or file.
    public var description: String
    /// Creates an error with its message.
    public init(_ description: String) { self.description = description }
}
