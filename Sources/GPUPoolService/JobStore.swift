import GPUPoolSupport
import Foundation
import GPUPoolSolver
import OpenAPIRuntime
import Synchronization

/// What a job runs: a `/v1/solve` or a `/v1/plan` request.
enum JobKind: String, Sendable {
    case solve, plan
}

/// The state of a job, as the spec's `JobState`.
enum JobPhase: String, Sendable {
    case queued, running, done, failed, cancelled

    var hasEnded: Bool { self == .done || self == .failed || self == .cancelled }
}

/// One job of the jobs API: its identity, its state, and the tokens that cancel it and follow
/// its progress. Shared by the task that runs it and the requests that read or cancel it.
final class JobRecord: Sendable {
    let id: String
    let kind: JobKind
    let created: Date
    /// A hash of the request that made the job, compared when its `Idempotency-Key` comes again.
    let fingerprint: UInt64
    let idempotencyKey: String?
    /// Interrupts the running solve (DELETE, or the end of a shutdown's grace period).
    let cancellation = SolveCancellation()
    /// Incumbent and bound of the running solve.
    let progress = SolveProgress()

    private struct Mutable {
        var phase: JobPhase = .queued
        var cancelRequested = false
        var started: ContinuousClock.Instant?
        var ended: ContinuousClock.Instant?
        var result: JobResult?
        var error: APIError?
        /// The task waiting on the worker pool; cancelling it drops the job while queued.
        var task: Task<Void, Never>?
    }
    private let mutable = Mutex(Mutable())

    init(id: String, kind: JobKind, fingerprint: UInt64, idempotencyKey: String?, created: Date = Date()) {
        self.id = id
        self.kind = kind
        self.fingerprint = fingerprint
        self.idempotencyKey = idempotencyKey
        self.created = created
    }

    var phase: JobPhase { mutable.withLock { $0.phase } }
    var ended: ContinuousClock.Instant? { mutable.withLock { $0.ended } }

    func attach(_ task: Task<Void, Never>) {
        mutable.withLock { $0.task = task }
    }

    /// Called on the worker thread as the job's work starts.
    func markRunning() {
        mutable.withLock { m in
            guard m.phase == .queued else { return }
            m.phase = .running
            m.started = .now
        }
    }

    /// Records how the work ended: a result (`done`, or `cancelled` when DELETE came first) or an
    /// error (`failed`, or `cancelled` when the job was dropped from the queue by DELETE).
    func finish(_ outcome: Result<JobResult, APIError>) {
        mutable.withLock { m in
            guard !m.phase.hasEnded else { return }
            m.ended = .now
            m.task = nil
            switch outcome {
            case .success(let result):
                m.result = result
                m.phase = m.cancelRequested ? .cancelled : .done
            case .failure(let error):
                if m.cancelRequested && error.code == "cancelled" {
                    m.phase = .cancelled
                } else {
                    m.error = error
                    m.phase = .failed
                }
            }
        }
    }

    /// DELETE: a queued job leaves the queue (its task is cancelled, so the pool never runs it), a
    /// running one is interrupted and ends with its best point. An ended job stays as it is.
    func requestCancel() {
        let task: Task<Void, Never>? = mutable.withLock { m in
            guard !m.phase.hasEnded else { return nil }
            m.cancelRequested = true
            return m.task
        }
        cancellation.cancel()
        task?.cancel()
    }

    /// The job as the spec's `Job` object.
    func snapshot() -> Components.Schemas.Job {
        let m = mutable.withLock { $0 }
        let seconds: Double = m.started.map { ((m.ended ?? .now) - $0).seconds } ?? 0
        let report = progress.current
        let error = m.error.map { e in
            Components.Schemas.Job.errorPayload(
                code: e.code, message: e.message,
                details: e.details.map { .init(field: $0.field, message: $0.message) })
        }
        return .init(
            id: id, kind: kind == .solve ? .solve : .plan, state: Components.Schemas.JobState(rawValue: m.phase.rawValue)!,
            created: Self.timestamp(created), cancel_requested: m.cancelRequested,
            progress: .init(seconds: seconds, incumbent: report.incumbent, bound: report.bound),
            result: m.result, error: error)
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// The jobs of one server process: by id, by `Idempotency-Key`, and ended jobs in the order they
/// ended, which are dropped after ``retention`` seconds or beyond ``maxEnded``.
final class JobStore: Sendable {
    /// Seconds an ended job is kept.
    let retention: Double
    /// Most ended jobs kept; the oldest go first.
    let maxEnded: Int

    private struct Storage {
        var jobs: [String: JobRecord] = [:]
        var keys: [String: String] = [:]
        /// Ended jobs, oldest first (appended as they end).
        var ended: [String] = []
    }
    private let storage = Mutex(Storage())

    init(retention: Double, maxEnded: Int) {
        self.retention = retention
        self.maxEnded = maxEnded
    }

    enum Admission {
        case created(JobRecord)
        case replayed(JobRecord)
    }

    /// A new job, or the job an earlier submit with the same `Idempotency-Key` made.
    /// - Throws: 422 when the key was used for a different request.
    func admit(kind: JobKind, fingerprint: UInt64, idempotencyKey: String?) throws(APIError) -> Admission {
        sweep()
        return try storage.withLock { (s: inout Storage) throws(APIError) -> Admission in
            if let key = idempotencyKey, let id = s.keys[key], let existing = s.jobs[id] {
                guard existing.fingerprint == fingerprint, existing.kind == kind else {
                    throw APIError(status: .unprocessableContent, code: "idempotency_key_reused",
                                   message: "Idempotency-Key '\(key)' was used for a different request (job \(id))",
                                   details: [.init(field: "Idempotency-Key", message: "use a new key for a new request")])
                }
                return .replayed(existing)
            }
            let job = JobRecord(id: Self.newID(), kind: kind, fingerprint: fingerprint, idempotencyKey: idempotencyKey)
            s.jobs[job.id] = job
            if let key = idempotencyKey { s.keys[key] = job.id }
            return .created(job)
        }
    }

    /// Forgets a job that was admitted but could not be queued (the pool refused it).
    func remove(_ job: JobRecord) {
        storage.withLock { s in
            s.jobs[job.id] = nil
            if let key = job.idempotencyKey, s.keys[key] == job.id { s.keys[key] = nil }
        }
    }

    func job(_ id: String) -> JobRecord? {
        sweep()
        return storage.withLock { $0.jobs[id] }
    }

    /// Records that `job` ended, for retention.
    func ended(_ job: JobRecord) {
        storage.withLock { $0.ended.append(job.id) }
        sweep()
    }

    /// Jobs by phase, for metrics and tests.
    func counts() -> [JobPhase: Int] {
        let jobs = storage.withLock { Array($0.jobs.values) }
        return Dictionary(grouping: jobs, by: \.phase).mapValues(\.count)
    }

    /// Drops ended jobs past their retention, then the oldest beyond ``maxEnded``.
    func sweep(now: ContinuousClock.Instant = .now) {
        storage.withLock { s in
            var drop = 0
            while drop < s.ended.count {
                let id = s.ended[drop]
                let expired = s.jobs[id]?.ended.map { (now - $0).seconds >= retention } ?? true
                guard expired || s.ended.count - drop > maxEnded else { break }
                drop += 1
            }
            guard drop > 0 else { return }
            for id in s.ended[..<drop] {
                if let job = s.jobs.removeValue(forKey: id), let key = job.idempotencyKey, s.keys[key] == id {
                    s.keys[key] = nil
                }
            }
            s.ended.removeFirst(drop)
        }
    }

    /// 128 random bits as 32 hex digits: ids cannot be guessed from one another.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// FNV-1a over the parts of a request that decide its result (kind, query, content type, body).
    static func fingerprint(_ parts: [String], body: [UInt8]) -> UInt64 {
        var hash = FNV1a()
        for part in parts {
            hash.add(part.utf8)
            hash.add(0)
        }
        hash.add(body)
        return hash.value
    }
}
