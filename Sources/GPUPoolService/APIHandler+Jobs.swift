import Foundation
import GPUPoolFormats
import GPUPoolSolver
import OpenAPIRuntime

/// The work of one job on a worker thread: its result as the JSON object the direct endpoint
/// would have answered.
typealias JobWork = @Sendable (SolveCancellation, SolveProgress) -> Result<JobResult, APIError>

/// A job's result: the answer of `/v1/solve` or of `/v1/plan`.
typealias JobResult = Components.Schemas.Job.resultPayload

extension APIHandler {
    func submitJob(_ input: Operations.submitJob.Input) async throws -> Operations.submitJob.Output {
        let query = input.query
        let kind: JobKind = query.kind == .plan ? .plan : .solve
        let key = try Self.idempotencyKey(input.headers.Idempotency_hyphen_Key)
        let bytes = try bodyBytes()
        let isJSON: Bool = if case .json = input.body { true } else { RequestBytes.isJSONModel }
        let limits = SolveLimits(gap: query.mip_gap, absoluteGap: query.absolute_gap, nodeLimit: query.node_limit, solutionLimit: query.solution_limit)
        let work: JobWork
        switch kind {
        case .solve:
            let (format, options) = try solveParameters(
                method: query.method?.rawValue, timeLimit: query.time_limit, limits: limits, format: query.format?.rawValue, isJSON: isJSON)
            let metrics = self.metrics
            // A JSON model is read now, so that a malformed one is 400 like on /v1/solve (the JSON
            // reader is fast); MPS/LP text, which can take long to read, is read by the job, and a
            // malformed file ends the job `failed` with the reader's error.
            let read = format == .json ? try SolveRequest.read(bytes: bytes, format: .json) : nil
            work = { cancellation, progress in
                Result { () throws(APIError) -> JobResult in
                    let model: ReadResult
                    if let read { model = read } else { model = try SolveRequest.read(bytes: bytes, format: format) }
                    let outcome = try SolveRequest.solve(model, options: options, cancellation: cancellation, progress: progress)
                    metrics.recordSolve(method: options.method.rawValue, status: outcome.solution.termination.rawValue, seconds: outcome.solution.seconds)
                    return .SolveResult(try SolveRequest.result(program: outcome.program, solution: outcome.solution, warnings: outcome.warnings))
                }
            }
        case .plan:
            guard isJSON else { throw APIError.badRequest(field: "body", "kind=plan takes a plan request as application/json") }
            let body: Components.Schemas.PlanRequest
            do { body = try JSONDecoder().decode(Components.Schemas.PlanRequest.self, from: Data(bytes)) } catch let error as DecodingError {
                throw APIError.from(decoding: error)
            } catch {
                throw APIError.badRequest(field: "body", "not a JSON plan request: \(error)")
            }
            try NullMembers.refuse(members: ["policy", "method", "time_limit", "partitions", "seed", "current"])
            let options = try plannerOptions(body)
            let pool = try PlanRequestParts.document(body.pool, field: "pool")
            let jobs = try PlanRequestParts.document(body.jobs, field: "jobs")
            let current = try previousPlan(body.current)
            // The planner has no interrupt: a cancelled running plan ends within its time limit.
            work = { _, _ in
                Result { () throws(APIError) -> JobResult in
                    let data = try PlanRequestParts.run(pool: pool, jobs: jobs, current: current, options: options)
                    return .Plan(try Self.typed(Components.Schemas.Plan.self, fromJSON: data, what: "plan"))
                }
            }
        }
        let fingerprint = JobStore.fingerprint(
            [kind.rawValue, query.method?.rawValue ?? "", query.time_limit.map { "\($0)" } ?? ""] + limits.fingerprintParts
                + [query.format?.rawValue ?? "", isJSON ? "json" : "text"],
            body: bytes)
        switch try jobs.admit(kind: kind, fingerprint: fingerprint, idempotencyKey: key) {
        case .replayed(let job):
            return accepted(job, replayed: true)
        case .created(let job):
            do throws(WorkerPoolError) {
                try start(job, work)
            } catch {
                jobs.remove(job)
                metrics.recordRejected(reason: "overloaded")
                throw RequestPipeline.apiError(for: error, retryAfter: configuration.retryAfterSeconds)
            }
            return accepted(job, replayed: false)
        }
    }

    func getJob(_ input: Operations.getJob.Input) async throws -> Operations.getJob.Output {
        .ok(.init(body: .json(try job(input.path.id).snapshot())))
    }

    func cancelJob(_ input: Operations.cancelJob.Input) async throws -> Operations.cancelJob.Output {
        let job = try job(input.path.id)
        job.requestCancel()
        return .ok(.init(body: .json(job.snapshot())))
    }

    func getJobEvents(_ input: Operations.getJobEvents.Input) async throws -> Operations.getJobEvents.Output {
        let job = try job(input.path.id)
        return .ok(.init(body: .text_event_hyphen_stream(HTTPBody(JobEvents.stream(job), length: .unknown, iterationBehavior: .single))))
    }

    private func job(_ id: String) throws(APIError) -> JobRecord {
        guard let job = jobs.job(id) else {
            throw APIError(status: .notFound, code: "not_found", message: "no job '\(id)' (unknown, or ended more than its retention ago)",
                           details: [.init(field: "id", message: "unknown job id")])
        }
        return job
    }

    /// Queues the job's work on the pool; the task waits for it and records the outcome.
    /// - Throws: ``WorkerPoolError/overloaded`` when the queue is full (checked before queuing,
    ///   so the client gets 429 and no job is left behind).
    private func start(_ job: JobRecord, _ work: @escaping JobWork) throws(WorkerPoolError) {
        if pool.isFull { throw .overloaded }
        let (pool, state, jobs, retryAfter) = (self.pool, self.state, self.jobs, configuration.retryAfterSeconds)
        let task = Task {
            let registration = state.register(job.cancellation)
            defer { state.unregister(registration) }
            let outcome: Result<JobResult, APIError>
            do throws(WorkerPoolError) {
                outcome = try await pool.run {
                    job.markRunning()
                    return work(job.cancellation, job.progress)
                }
            } catch {
                outcome = .failure(RequestPipeline.apiError(for: error, retryAfter: retryAfter))
            }
            job.finish(outcome)
            jobs.ended(job)
        }
        job.attach(task)
    }

    private func accepted(_ job: JobRecord, replayed: Bool) -> Operations.submitJob.Output {
        .accepted(.init(
            headers: .init(Location: "/v1/jobs/\(job.id)", Idempotent_hyphen_Replayed: replayed ? "true" : nil),
            body: .json(.init(id: job.id, state: Components.Schemas.JobState(rawValue: job.phase.rawValue)!))))
    }

    /// An `Idempotency-Key` is 1–255 printable ASCII characters (it is echoed in errors).
    static func idempotencyKey(_ value: String?) throws(APIError) -> String? {
        guard let value else { return nil }
        guard (1...255).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            throw APIError.badRequest(field: "Idempotency-Key", "must be 1–255 printable ASCII characters without spaces")
        }
        return value
    }
}

/// The `text/event-stream` of `GET /v1/jobs/{id}/events`.
enum JobEvents {
    /// How often the job is looked at, and the longest silence before a keep-alive comment.
    static let interval: Duration = .milliseconds(200)
    static let keepAlive: Duration = .seconds(15)

    /// `event: job` with the job as JSON whenever its state, cancel flag, incumbent, bound or result
    /// changed (elapsed seconds alone do not make an event), ending after the ended job's event.
    static func stream(_ job: JobRecord) -> AsyncStream<ArraySlice<UInt8>> {
        AsyncStream { continuation in
            let task = Task {
                var last: Components.Schemas.Job?
                var lastSent = ContinuousClock.now
                while !Task.isCancelled {
                    let now = job.snapshot()
                    if last.map({ !sameExceptTime($0, now) }) ?? true {
                        continuation.yield(event(now))
                        last = now
                        lastSent = .now
                    }
                    if JobPhase(rawValue: now.state.rawValue)?.hasEnded == true { break }
                    if ContinuousClock.now - lastSent >= keepAlive {
                        continuation.yield(ArraySlice(": keep-alive\n\n".utf8))
                        lastSent = .now
                    }
                    try? await Task.sleep(for: interval)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func sameExceptTime(_ a: Components.Schemas.Job, _ b: Components.Schemas.Job) -> Bool {
        var a = a
        a.progress.seconds = b.progress.seconds
        return a == b
    }

    static func event(_ job: Components.Schemas.Job) -> ArraySlice<UInt8> {
        let data = (try? APIHandler.jsonObject(job)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ArraySlice("event: job\ndata: \(data)\n\n".utf8)
    }
}
