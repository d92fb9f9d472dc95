import AsyncHTTPClient
import Foundation
@testable import GPUPoolService
import GPUPoolTestSupport
import NIOCore
import Testing

/// `/v1/jobs` end to end on a real server: a job's answer is the direct endpoint's, DELETE
/// interrupts a running solve (best point kept) or drops a queued one, `Idempotency-Key` replays,
/// retention forgets, the event stream follows the job to its end, and a shutdown ends running
/// jobs with their best point while their state stays readable.
@Suite("POST /v1/jobs, GET/DELETE /v1/jobs/{id}, events", .timeLimit(.minutes(10)), .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
struct JobsEndpointTests {
    /// Polls the job until `done(job)` holds (each poll is a real GET).
    static func poll(
        _ server: TestServer, _ id: String, until done: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        for _ in 0..<600 {
            let reply = try await server.request("/v1/jobs/\(id)", method: .GET)
            guard reply.status == 200 else { throw TestFailure("GET job: \(reply.status) \(reply.body)") }
            if done(reply.json) { return reply.json }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("job \(id) never reached the awaited state")
    }

    static func ended(_ job: [String: Any]) -> Bool {
        ["done", "failed", "cancelled"].contains(job["state"] as? String ?? "")
    }

    static func submit(
        _ server: TestServer, _ query: String = "", body: String, contentType: String = "application/json", headers: [(String, String)] = []
    ) async throws -> (id: String, reply: TestServer.Reply) {
        let reply = try await server.request("/v1/jobs\(query)", body: body, contentType: contentType, headers: headers)
        guard reply.status == 202, let id = reply.json["id"] as? String else { throw TestFailure("submit: \(reply.status) \(reply.body)") }
        return (id, reply)
    }

    @Test("a solve job answers what /v1/solve answers, with its progress")
    func solveJobMatchesDirectSolve() async throws {
        let server = try await TestServer.start()
        let direct = try await server.request("/v1/solve", body: TestModels.tinyLP())
        let (id, accepted) = try await Self.submit(server, body: TestModels.tinyLP())
        let job = try await Self.poll(server, id, until: Self.ended)
        let mps = try await Self.submit(server, "?format=mps", body: "NAME t\nROWS\n N obj\n L c\nCOLUMNS\n x obj -1 c 1\nRHS\n rhs c 2\nENDATA\n",
                                     contentType: "text/plain")
        let mpsJob = try await Self.poll(server, mps.id, until: Self.ended)
        // A malformed JSON model is refused at once, as /v1/solve refuses it; malformed MPS text is
        // read by the job, which fails naming the line.
        let badJSON = try await server.request("/v1/jobs", body: #"{"format": "gpupool-model", "version": 1, "objective": {"terms": [{"variable": "nowhere", "coefficient": 1}]}}"#)
        let badText = try await Self.submit(server, body: "NAME t\nROWS\n N obj\nNOTASECTION\n", contentType: "text/plain")
        let failed = try await Self.poll(server, badText.id, until: Self.ended)
        try await server.stop()
        #expect(badJSON.status == 400 && badJSON.errorFields == ["objective.terms[0].variable"], "\(badJSON.body)")
        #expect(failed["state"] as? String == "failed", "\(failed)")
        let error = failed["error"] as? [String: Any] ?? [:]
        #expect(error["code"] as? String == "bad_request" && (error["details"] as? [[String: Any]])?.first?["field"] as? String == "body:4", "\(failed)")

        #expect(accepted.headers.first(name: "Location") == "/v1/jobs/\(id)")
        #expect(accepted.json["state"] as? String == "queued" || accepted.json["state"] as? String == "running")
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
        #expect(job["state"] as? String == "done", "\(job)")
        #expect(job["kind"] as? String == "solve")
        let result = try #require(job["result"] as? [String: Any])
        #expect(result["objective"] as? Double == direct.json["objective"] as? Double)
        #expect(result["values"] as? [String: Double] == direct.json["values"] as? [String: Double])
        #expect(result["status"] as? String == "optimal")
        // An LP's answer carries its duals and reduced costs. All three rows bind at (3, 1), so the
        // duals are not unique: check that they are dual feasible (≥ 0, maximising) and prove the
        // optimum (4·y1 + 6·y2 + 3·y3 = 11, strong duality).
        let duals = try #require(direct.json["duals"] as? [String: Double], "\(direct.body)")
        #expect(duals.values.allSatisfy { $0 >= -1e-9 })
        let y1: Double = duals["c1"] ?? .nan, y2: Double = duals["c2"] ?? .nan, y3: Double = duals["c3"] ?? .nan
        let dualObjective: Double = 4 * y1 + 6 * y2 + 3 * y3
        #expect(abs(dualObjective - 11) < 1e-9, "\(duals)")
        #expect(direct.json["reduced_costs"] as? [String: Double] == ["x": 0, "y": 0], "\(direct.body)")
        #expect(result["duals"] as? [String: Double] == direct.json["duals"] as? [String: Double])
        let progress = try #require(job["progress"] as? [String: Any])
        #expect(progress["incumbent"] as? Double == 11 && progress["bound"] as? Double == 11, "\(progress)")
        #expect((progress["seconds"] as? Double ?? -1) >= 0)
        #expect(((mpsJob["result"] as? [String: Any])?["objective"] as? Double) == -2, "\(mpsJob)")
    }

    @Test("DELETE interrupts a running MIP, which keeps its best point; a queued job is dropped")
    func cancelRunningAndQueued() async throws {
        let server = try await TestServer.start { $0.workers = 1; $0.maxTimeLimit = 60 }
        let running = try await Self.submit(server, "?method=mip&time_limit=60", body: TestModels.marketSplit())
        let queued = try await Self.submit(server, body: TestModels.tinyLP())
        // Running with a point: GLPK's incumbent reached the job's progress.
        _ = try await Self.poll(server, running.id) { job in
            job["state"] as? String == "running" && (job["progress"] as? [String: Any])?["incumbent"] as? Double != nil
        }
        let queuedState = try await server.request("/v1/jobs/\(queued.id)", method: .GET)
        let cancelQueued = try await server.request("/v1/jobs/\(queued.id)", method: .DELETE)
        let cancelRunning = try await server.request("/v1/jobs/\(running.id)", method: .DELETE)
        let stopped = try await Self.poll(server, running.id, until: Self.ended)
        let dropped = try await Self.poll(server, queued.id, until: Self.ended)
        let again = try await server.request("/v1/jobs/\(running.id)", method: .DELETE)
        try await server.stop()

        #expect(queuedState.json["state"] as? String == "queued")
        #expect(cancelQueued.status == 200 && cancelQueued.json["cancel_requested"] as? Bool == true, "\(cancelQueued.body)")
        #expect(cancelRunning.status == 200 && cancelRunning.json["cancel_requested"] as? Bool == true)
        #expect(stopped["state"] as? String == "cancelled", "\(stopped)")
        let result = try #require(stopped["result"] as? [String: Any], "\(stopped)")
        #expect(result["status"] as? String == "interrupted")
        #expect(result["has_solution"] as? Bool == true)
        // The answer's point is at least as good as the last incumbent the progress showed
        // (minimising the split's slack).
        let incumbent = try #require((stopped["progress"] as? [String: Any])?["incumbent"] as? Double)
        let objective = try #require(result["objective"] as? Double)
        #expect(objective <= incumbent + 1e-6, "answer \(objective), progress \(incumbent)")
        #expect(dropped["state"] as? String == "cancelled" && dropped["result"] == nil, "\(dropped)")
        #expect(again.status == 200 && again.json["state"] as? String == "cancelled")
    }

    @Test("Idempotency-Key: the same request gets the same job, a different one 422, a bad key 400")
    func idempotency() async throws {
        let server = try await TestServer.start()
        let first = try await Self.submit(server, body: TestModels.tinyLP(), headers: [("Idempotency-Key", "order-17")])
        let second = try await Self.submit(server, body: TestModels.tinyLP(), headers: [("Idempotency-Key", "order-17")])
        let other = try await server.request("/v1/jobs", body: TestModels.tinyLP(scale: 2), headers: [("Idempotency-Key", "order-17")])
        let otherQuery = try await server.request("/v1/jobs?method=simplex", body: TestModels.tinyLP(), headers: [("Idempotency-Key", "order-17")])
        let badKey = try await server.request("/v1/jobs", body: TestModels.tinyLP(), headers: [("Idempotency-Key", "has space")])
        let fresh = try await Self.submit(server, body: TestModels.tinyLP(), headers: [("Idempotency-Key", "order-18")])
        try await server.stop()

        #expect(second.id == first.id)
        #expect(second.reply.headers.first(name: "Idempotent-Replayed") == "true")
        #expect(first.reply.headers.first(name: "Idempotent-Replayed") == nil)
        #expect(other.status == 422 && other.json["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == "idempotency_key_reused", "\(other.body)")
        #expect(otherQuery.status == 422)
        #expect(badKey.status == 400 && badKey.errorFields == ["Idempotency-Key"], "\(badKey.body)")
        #expect(fresh.id != first.id)
    }

    @Test("ended jobs are forgotten after the retention time and beyond the count")
    func retention() async throws {
        let byTime = try await TestServer.start { $0.jobRetention = 0 }
        let a = try await Self.submit(byTime, body: TestModels.tinyLP())
        // The job ends, then the next look at the store drops it (retention 0 s).
        var status = 200
        for _ in 0..<200 where status == 200 {
            status = try await byTime.request("/v1/jobs/\(a.id)", method: .GET).status
            try await Task.sleep(for: .milliseconds(20))
        }
        try await byTime.stop()
        #expect(status == 404)

        let byCount = try await TestServer.start { $0.maxEndedJobs = 1 }
        let first = try await Self.submit(byCount, body: TestModels.tinyLP())
        _ = try await Self.poll(byCount, first.id, until: Self.ended)
        let second = try await Self.submit(byCount, body: TestModels.tinyLP(scale: 2))
        _ = try await Self.poll(byCount, second.id, until: Self.ended)
        let gone = try await byCount.request("/v1/jobs/\(first.id)", method: .GET)
        let unknown = try await byCount.request("/v1/jobs/0123", method: .GET)
        let badMethod = try await byCount.request("/v1/jobs/\(second.id)", method: .PUT, body: "{}")
        let nested = try await byCount.request("/v1/jobs/\(second.id)/nothing", method: .GET)
        try await byCount.stop()
        #expect(gone.status == 404 && gone.errorFields == ["id"], "\(gone.body)")
        #expect(unknown.status == 404)
        #expect(badMethod.status == 405 && badMethod.headers.first(name: "Allow") == "DELETE, GET, HEAD", "\(badMethod.headers)")
        #expect(nested.status == 404)
    }

    @Test("the event stream follows a MIP job to its end")
    func eventStream() async throws {
        let server = try await TestServer.start { $0.maxTimeLimit = 60 }
        let (id, _) = try await Self.submit(server, "?method=mip&time_limit=1.5", body: TestModels.marketSplit())
        let stream = try await server.request("/v1/jobs/\(id)/events", method: .GET)
        let unknown = try await server.request("/v1/jobs/ffff/events", method: .GET)
        try await server.stop()

        #expect(stream.status == 200)
        #expect(stream.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true, "\(stream.headers)")
        let events = stream.body.components(separatedBy: "\n\n").filter { $0.hasPrefix("event: job\ndata: ") }
        let jobs = events.compactMap { event in
            (try? JSONSerialization.jsonObject(with: Data(event.dropFirst("event: job\ndata: ".count).utf8))) as? [String: Any]
        }
        #expect(jobs.count == events.count && jobs.count >= 2, "\(stream.body.prefix(2000))")
        let states = jobs.compactMap { $0["state"] as? String }
        let order = ["queued", "running", "done"]
        #expect(states.last == "done", "\(states)")
        #expect(zip(states, states.dropFirst()).allSatisfy { (order.firstIndex(of: $0) ?? 9) <= (order.firstIndex(of: $1) ?? -1) }, "\(states)")
        let incumbents = jobs.compactMap { ($0["progress"] as? [String: Any])?["incumbent"] as? Double }
        #expect(zip(incumbents, incumbents.dropFirst()).allSatisfy { $1 <= $0 }, "incumbents rose: \(incumbents)")
        #expect((jobs.last?["result"] as? [String: Any])?["status"] as? String == "time_limit", "\(jobs.last ?? [:])")
        #expect(unknown.status == 404)
    }

    @Test("a plan job answers what /v1/plan answers; kind=plan needs JSON")
    func planJob() async throws {
        let server = try await TestServer.start()
        let body = #"{"pool": \#(WorkEndpointsTests.pool), "jobs": \#(jsonString(WorkEndpointsTests.jobs)), "method": "heuristic", "time_limit": 5}"#
        let direct = try await server.request("/v1/plan", body: body)
        let (id, _) = try await Self.submit(server, "?kind=plan", body: body)
        let job = try await Self.poll(server, id, until: Self.ended)
        let text = try await server.request("/v1/jobs?kind=plan", body: "NAME x\n", contentType: "text/plain")
        let badPool = try await server.request("/v1/jobs?kind=plan", body: #"{"pool": 3, "jobs": {}}"#)
        try await server.stop()

        #expect(job["state"] as? String == "done" && job["kind"] as? String == "plan", "\(job)")
        let placements = ((job["result"] as? [String: Any])?["jobs"] as? [[String: Any]]) ?? []
        let directPlacements = (direct.json["jobs"] as? [[String: Any]]) ?? []
        #expect(placements.compactMap { $0["job"] as? String } == directPlacements.compactMap { $0["job"] as? String })
        #expect(!placements.isEmpty)
        #expect(text.status == 400 && text.errorFields == ["body"], "\(text.body)")
        #expect(badPool.status == 400 && badPool.errorFields == ["pool"], "\(badPool.body)")
    }

    @Test("a shutdown ends a running job with its best point, and its event stream sees the end")
    func shutdownEndsRunningJobs() async throws {
        let server = try await TestServer.start { $0.workers = 1; $0.maxTimeLimit = 60; $0.shutdownGracePeriod = 0.5 }
        let (id, _) = try await Self.submit(server, "?method=mip&time_limit=60", body: TestModels.marketSplit())
        _ = try await Self.poll(server, id) { ($0["state"] as? String) == "running" }
        // An open event stream is a request in flight: the drain lets it run to the job's end.
        let stream = Task { try await server.request("/v1/jobs/\(id)/events", method: .GET) }
        _ = try await Self.poll(server, id) { _ in true }
        let stopping = Task { try await server.stop() }
        // During the drain new work is refused, while the job can still be read.
        var refused: TestServer.Reply?
        var readable = false
        for _ in 0..<100 {
            let reply = try await server.request("/v1/jobs", body: TestModels.tinyLP())
            if reply.status == 503 {
                refused = reply
                readable = try await server.request("/v1/jobs/\(id)", method: .GET).status == 200
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let events = try await stream.value
        try await stopping.value
        #expect(refused?.headers.first(name: "Retry-After") != nil)
        #expect(readable)
        let last = events.body.components(separatedBy: "\n\n").last { $0.hasPrefix("event: job") } ?? ""
        let job = (try? JSONSerialization.jsonObject(with: Data(last.dropFirst("event: job\ndata: ".count).utf8))) as? [String: Any] ?? [:]
        #expect(job["state"] as? String == "done", "\(events.body.suffix(1500))")
        #expect((job["result"] as? [String: Any])?["status"] as? String == "interrupted", "\(job)")
    }
}
