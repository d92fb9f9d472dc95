import GPUPoolSupport
import Foundation
import GPUPoolService
import GPUPoolTestSupport
import Testing

@Suite("POST /v1/solve")
struct SolveEndpointTests {
    @Test("afiro.mps as text/plain → 200 with the known optimum", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK),
          .enabled(if: SharedData.hasAfiro, "../shared/data/mps/afiro.mps is absent"))
    func afiro() async throws {
        let server = try await TestServer.start()
        let text = try String(contentsOfFile: SharedData.afiro, encoding: .utf8)
        let reply = try await server.request("/v1/solve?method=simplex", body: text, contentType: "text/plain")
        try await server.stop()
        #expect(reply.status == 200, "\(reply.body)")
        #expect(reply.json["status"] as? String == "optimal")
        let objective = try #require(reply.json["objective"] as? Double)
        #expect(abs(objective - -464.7531428571) < 1e-6)
        #expect((reply.json["values"] as? [String: Any])?.count == 32)
    }

    @Test("a JSON model → the object of `gpupool solve --json`", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func jsonModel() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request("/v1/solve", body: TestModels.tinyLP())
        try await server.stop()
        #expect(reply.status == 200, "\(reply.body)")
        let json = reply.json
        #expect(json["status"] as? String == "optimal")
        #expect(json["has_solution"] as? Bool == true)
        #expect(abs((json["objective"] as? Double ?? .nan) - 11) < 1e-9)
        let values = try #require(json["values"] as? [String: Double])
        #expect(abs((values["x"] ?? .nan) - 3) < 1e-9 && abs((values["y"] ?? .nan) - 1) < 1e-9)
        for key in ["bound", "gap", "seconds", "solver"] { #expect(json.keys.contains(key), "missing \(key)") }
        #expect(reply.headers.first(name: "X-Request-Id")?.isEmpty == false)
    }

    @Test("64 concurrent solves of different models are all correct", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func concurrent() async throws {
        let server = try await TestServer.start { $0.workers = 2; $0.queueLimit = 64 }
        let results = try await withThrowingTaskGroup(of: (Int, Double?, Int).self) { group in
            for k in 1...64 {
                group.addTask {
                    let reply = try await server.request("/v1/solve", body: TestModels.tinyLP(scale: Double(k)))
                    return (k, reply.json["objective"] as? Double, reply.status)
                }
            }
            var all: [(Int, Double?, Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        try await server.stop()
        #expect(results.count == 64)
        for (k, objective, status) in results {
            #expect(status == 200)
            #expect(abs((objective ?? .nan) - 11 * Double(k)) < 1e-6 * Double(k), "model \(k): \(String(describing: objective))")
        }
    }

    @Test("malformed input → 400 naming the field")
    func badRequests() async throws {
        let server = try await TestServer.start()
        let unknownMember = try await server.request("/v1/solve", body: #"{"format": "gpupool-model", "version": 1, "variables": [{"name": "x", "lowr": 0}]}"#)
        let badJSON = try await server.request("/v1/solve", body: #"{"format": "gpupool-model", "version": 1, "variables": [}"#)
        let badLimit = try await server.request("/v1/solve?time_limit=-3", body: TestModels.tinyLP())
        let badGap = try await server.request("/v1/solve?mip_gap=-1", body: TestModels.tinyLP())
        let badAbsoluteGap = try await server.request("/v1/solve?absolute_gap=-1", body: TestModels.tinyLP())
        let badNodeLimit = try await server.request("/v1/solve?node_limit=0", body: TestModels.tinyLP())
        let textSolutionLimit = try await server.request("/v1/solve?solution_limit=many", body: TestModels.tinyLP())
        let badMethod = try await server.request("/v1/solve?method=magic", body: TestModels.tinyLP())
        let notANumber = try await server.request("/v1/solve?time_limit=abc", body: TestModels.tinyLP())
        let badMPS = try await server.request("/v1/solve", body: "ROWS\n N obj\nCOLUMNS\n x obj one\nENDATA\n", contentType: "text/plain")
        try await server.stop()
        #expect(unknownMember.status == 400)
        #expect(unknownMember.errorFields == ["variables[0]"], "\(unknownMember.body)")
        #expect(unknownMember.body.contains("lowr"))
        #expect(badJSON.status == 400, "\(badJSON.body)")
        #expect(badLimit.status == 400 && badLimit.errorFields == ["time_limit"], "\(badLimit.body)")
        #expect(badGap.status == 400 && badGap.errorFields == ["mip_gap"], "\(badGap.body)")
        #expect(badMethod.status == 400 && badMethod.errorFields == ["method"], "\(badMethod.body)")
        #expect(badAbsoluteGap.status == 400 && badAbsoluteGap.errorFields == ["absolute_gap"], "\(badAbsoluteGap.body)")
        #expect(badNodeLimit.status == 400 && badNodeLimit.errorFields == ["node_limit"], "\(badNodeLimit.body)")
        #expect(textSolutionLimit.status == 400 && textSolutionLimit.errorFields == ["solution_limit"], "\(textSolutionLimit.body)")
        #expect(notANumber.status == 400 && notANumber.errorFields == ["time_limit"], "\(notANumber.body)")
        #expect(badMPS.status == 400 && badMPS.errorFields.first?.hasPrefix("body:") == true, "\(badMPS.body)")
        let error = try #require(unknownMember.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "bad_request")
        #expect((error["message"] as? String)?.isEmpty == false)
        // The path is named once: in the message's head and as the detail's field, not twice.
        #expect((error["message"] as? String)?.hasPrefix(#"variables[0]: unknown member "lowr""#) == true, "\(unknownMember.body)")
        let detail = try #require((error["details"] as? [[String: Any]])?.first)
        #expect((detail["message"] as? String)?.hasPrefix(#"unknown member "lowr""#) == true, "\(unknownMember.body)")
    }

    @Test("node and solution limits stop branch-and-cut with their own status and a verified point", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func stoppingRules() async throws {
        let server = try await TestServer.start()
        let first = try await server.request("/v1/solve?method=mip&solution_limit=1&time_limit=20", body: TestModels.marketSplit())
        let nodes = try await server.request("/v1/solve?method=mip&node_limit=10&time_limit=20", body: TestModels.marketSplit())
        let job = try await server.request("/v1/jobs?kind=solve&method=mip&node_limit=10&time_limit=20", body: TestModels.marketSplit())
        try await server.stop()
        #expect(first.status == 200, "\(first.body)")
        #expect(first.json["status"] as? String == "solution_limit", "\(first.body)")
        #expect(first.json["has_solution"] as? Bool == true, "\(first.body)")
        #expect(nodes.status == 200, "\(nodes.body)")
        #expect(nodes.json["status"] as? String == "node_limit", "\(nodes.body)")
        #expect(job.status == 202, "\(job.body)")
    }

    @Test("requested time limits are capped by the server's maximum", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func timeLimitCap() async throws {
        let server = try await TestServer.start { $0.maxTimeLimit = 0.5 }
        let start = ContinuousClock.now
        let reply = try await server.request("/v1/solve?method=mip&time_limit=1000", body: TestModels.marketSplit())
        let elapsed = ContinuousClock.now - start
        try await server.stop()
        #expect(reply.status == 200, "\(reply.body)")
        #expect(reply.json["status"] as? String == "time_limit", "\(reply.body.prefix(300))")
        // The solve's own clock: the client's also counts the test process waiting for a thread
        // while the suites beside it block both cores.
        #expect((reply.json["seconds"] as? Double ?? .infinity) < 5, "\(reply.body.prefix(300))")
        #expect(elapsed < .seconds(60), "hang guard")
    }
}
