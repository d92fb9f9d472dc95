import Foundation
import GPUPoolServiceSpec
import GPUPoolSolver
import Logging
import NIOCore
import OpenAPIRuntime
import Synchronization

/// Implements the operations of `openapi.yaml` (the protocol `APIProtocol` is generated from it,
/// so the served spec and the code cannot drift). Work that may take long runs on ``WorkerPool``.
struct APIHandler: APIProtocol {
    let configuration: ServiceConfiguration
    let pool: WorkerPool
    let metrics: ServiceMetrics
    let state: ServiceState
    /// The jobs of `/v1/jobs` (in this process only).
    let jobs: JobStore

    /// The raw body bytes read by ``RequestPipeline``.
    func bodyBytes() throws(APIError) -> [UInt8] {
        switch RequestBytes.current {
        case .bytes(let bytes)?: return bytes
        case .buffer(let buffer)?: return Array(buffer.readableBytesView)
        case nil: throw APIError.badRequest(field: "body", "the request has no body")
        }
    }

    /// A requested time limit checked and capped by the server's maximum; none asked → the maximum.
    func timeLimit(_ requested: Double?, field: String) throws(APIError) -> Double {
        guard let requested else { return configuration.maxTimeLimit }
        guard requested > 0, requested.isFinite else { throw APIError.badRequest(field: field, "\(requested) must be a positive number of seconds") }
        return min(requested, configuration.maxTimeLimit)
    }

    /// Runs `work` on the worker pool, counting refusals.
    ///
    /// `work` gets a `SolveCancellation` that is cancelled when the calling task is; a solve that
    /// passes it to `Solver.solve(_:options:cancellation:)` stops early (GLPK at its next check, the
    /// heuristics at their next iteration) with its best verified point and status `interrupted`.
    /// When the request's client hangs up (``RequestConnection/hangUp``), the work runs as a child
    /// task of a task group, beside a child that waits for the hang-up; whichever ends first
    /// cancels the other. A cancelled caller's queued work never starts
    /// (``WorkerPoolError/cancelled``); its running solve is stopped through the token.
    func onWorker<T: Sendable>(_ work: @escaping @Sendable (SolveCancellation) -> T) async throws(APIError) -> T {
        let result: Result<T, WorkerPoolError>
        if let hangUp = RequestConnection.hangUp {
            result = await withTaskGroup(of: WorkerOutcome<T>.self) { group in
                group.addTask { .finished(await runOnPool(work)) }
                group.addTask { await hangUp.wait() ? .hungUp : .watchEnded }
                while let outcome = await group.next() {
                    switch outcome {
                    case .finished(let result):
                        group.cancelAll()  // ends the hang-up watch
                        return result
                    case .hungUp:
                        group.cancelAll()  // the client is gone: cancel the work's child task
                    case .watchEnded:
                        continue
                    }
                }
                // The work's child always ends with `.finished`; the loop returns there.
                return .failure(.cancelled)
            }
        } else {
            result = await runOnPool(work)
        }
        switch result {
        case .success(let value):
            return value
        case .failure(let error):
            switch error {
            case .overloaded: metrics.recordRejected(reason: "overloaded")
            case .cancelled: metrics.recordRejected(reason: "cancelled")
            case .shuttingDown: metrics.recordRejected(reason: "shutting_down")
            case .abandoned: metrics.recordRejected(reason: "abandoned")
            }
            throw RequestPipeline.apiError(for: error, retryAfter: configuration.retryAfterSeconds)
        }
    }

    /// Runs `work` on the pool with a fresh cancellation token tied to the calling task, and known
    /// to ``ServiceState`` so that a shutdown can interrupt it at the end of its grace period.
    private func runOnPool<T: Sendable>(_ work: @escaping @Sendable (SolveCancellation) -> T) async -> Result<T, WorkerPoolError> {
        let cancellation = SolveCancellation()
        let registration = state.register(cancellation)
        defer { state.unregister(registration) }
        return await withTaskCancellationHandler {
            do throws(WorkerPoolError) {
                return .success(try await pool.run { work(cancellation) })
            } catch {
                return .failure(error)
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// The JSON of a value: a request member the generated code decoded, to be read again by a
    /// domain type's decoder, or a domain value to be read as a generated type.
    static func jsonObject<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Turns JSON produced by a domain type's encoder (a plan, a validation record, a health event)
    /// into the type generated from the answer's schema in `openapi.yaml`, so that the generated
    /// server encodes the answer. JSON that does not fit the schema is a server bug: a 500 that
    /// names neither type (the log has the decoding error).
    static func typed<T: Decodable>(_ type: T.Type, fromJSON data: Data, what: String) throws(APIError) -> T {
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            var apiError = APIError.internalError("internal error: the \(what) does not fit its schema in /openapi.yaml")
            apiError.logDetail = String(describing: error)
            throw apiError
        }
    }

    /// ``typed(_:fromJSON:what:)`` of a value's JSON.
    static func typed<T: Decodable>(_ type: T.Type, from value: some Encodable, what: String) throws(APIError) -> T {
        let data: Data
        do { data = try jsonObject(value) } catch {
            var apiError = APIError.internalError("internal error: the \(what) cannot be encoded")
            apiError.logDetail = String(describing: error)
            throw apiError
        }
        return try typed(type, fromJSON: data, what: what)
    }

    func getHealthz(_ input: Operations.getHealthz.Input) async throws -> Operations.getHealthz.Output {
        .ok(.init(body: .plainText("ok\n")))
    }

    func getReadyz(_ input: Operations.getReadyz.Input) async throws -> Operations.getReadyz.Output {
        if state.isShuttingDown { return .serviceUnavailable(.init(body: .plainText("shutting down\n"))) }
        if pool.isFull { return .serviceUnavailable(.init(body: .plainText("queue full\n"))) }
        return .ok(.init(body: .plainText("ready\n")))
    }

    func getMetrics(_ input: Operations.getMetrics.Input) async throws -> Operations.getMetrics.Output {
        metrics.recordQueue(queued: pool.queuedCount, running: pool.runningCount)
        return .ok(.init(body: .plainText(HTTPBody(metrics.exposition()))))
    }

    /// `application/yaml`, or `text/yaml` when the request's `Accept` prefers it (clients that
    /// read only `text/*` answers as text).
    func getOpenAPISpec(_ input: Operations.getOpenAPISpec.Input) async throws -> Operations.getOpenAPISpec.Output {
        let preferred = input.headers.accept.sortedByQuality().first { accepted in
            switch accepted.contentType {
            case .yaml, .text_yaml: true
            default: false
            }
        }
        if preferred?.contentType == .text_yaml { return .ok(.init(body: .text_yaml(HTTPBody(OpenAPISpec.yaml)))) }
        return .ok(.init(body: .yaml(HTTPBody(OpenAPISpec.yaml))))
    }
}

/// How the work of ``APIHandler/onWorker(_:)``'s task group ended.
private enum WorkerOutcome<T: Sendable>: Sendable {
    /// The work's child task returned (the result, or why the pool did not run it).
    case finished(Result<T, WorkerPoolError>)
    /// The client hung up first.
    case hungUp
    /// The hang-up watch was cancelled (the work had finished, or the request was cancelled).
    case watchEnded
}

/// Whether the service is draining (`/readyz` and `/v1` answer 503 then), and the interrupt
/// tokens of the work on the pool, which a shutdown interrupts at the end of its grace period.
final class ServiceState: Sendable {
    private let draining = Atomic<Bool>(false)
    private let asked = Atomic<Bool>(false)
    private let solves = Mutex<(next: UInt64, tokens: [UInt64: SolveCancellation])>((0, [:]))

    /// Records the token of one request's work; pass the result to ``unregister(_:)`` when it ends.
    func register(_ cancellation: SolveCancellation) -> UInt64 {
        solves.withLock { s in
            s.next += 1
            s.tokens[s.next] = cancellation
            return s.next
        }
    }

    func unregister(_ registration: UInt64) {
        _ = solves.withLock { $0.tokens.removeValue(forKey: registration) }
    }

    /// Interrupts every registered solve: each ends at its next check with its best point so far.
    /// - Returns: how many were interrupted.
    @discardableResult
    func interruptAll() -> Int {
        let tokens = solves.withLock { Array($0.tokens.values) }
        for token in tokens { token.cancel() }
        return tokens.count
    }

    var isShuttingDown: Bool { draining.load(ordering: .relaxed) }
    func beginShutdown() { draining.store(true, ordering: .relaxed) }
    /// Whether a graceful shutdown was asked for (SIGTERM/SIGINT or `shutdown()`), as opposed to
    /// the service group tearing down because a service failed (e.g. the port was taken).
    var shutdownWasRequested: Bool { asked.load(ordering: .acquiring) }
    func recordShutdownRequest() { asked.store(true, ordering: .releasing) }
}
