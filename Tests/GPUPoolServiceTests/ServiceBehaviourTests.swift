import Foundation
import GPUPoolService
import GPUPoolTestSupport
import Testing

@Suite("Service behaviour: auth, limits, overload, shutdown, probes")
struct ServiceBehaviourTests {
    @Test("a port already in use is an error of run(), not a clean exit")
    func portInUse() async throws {
        let first = try await TestServer.start()
        let second = try SolveService(configuration: ServiceConfiguration(host: "127.0.0.1", port: first.port))
        await #expect(throws: (any Error).self) { try await second.run() }
        try await first.stop()
    }

    @Test("missing or wrong bearer token → 401; probes stay open")
    func authentication() async throws {
        let server = try await TestServer.start { $0.token = "s3cret-token" }
        let none = try await server.request("/v1/solve", body: TestModels.tinyLP())
        let wrong = try await server.request("/v1/solve", body: TestModels.tinyLP(), token: "s3cret-tokem")
        let right = try await server.request("/v1/solve", body: TestModels.tinyLP(), token: "s3cret-token")
        let health = try await server.request("/healthz", method: .GET)
        try await server.stop()
        #expect(none.status == 401 && wrong.status == 401)
        #expect((none.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
        #expect(right.status == 200)
        #expect(health.status == 200)
    }

    @Test("probes can require the token too")
    func protectedProbes() async throws {
        let server = try await TestServer.start { $0.token = "t"; $0.openProbes = false }
        let metrics = try await server.request("/metrics", method: .GET)
        let authorized = try await server.request("/metrics", method: .GET, token: "t")
        try await server.stop()
        #expect(metrics.status == 401)
        #expect(authorized.status == 200)
    }

    @Test("a body over the limit → 413")
    func bodyLimit() async throws {
        let server = try await TestServer.start { $0.maxBodyBytes = 1000 }
        let big = TestModels.tinyLP() + String(repeating: " ", count: 2000)
        let reply = try await server.request("/v1/solve", body: big)
        let small = try await server.request("/v1/solve", body: TestModels.tinyLP())
        try await server.stop()
        #expect(reply.status == 413, "\(reply.body)")
        #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "payload_too_large")
        #expect(small.status == 200)
    }

    @Test("overload → 429 with Retry-After", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func overload() async throws {
        let server = try await TestServer.start { $0.workers = 1; $0.queueLimit = 1 }
        let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for _ in 0..<5 {
                group.addTask {
                    let reply = try await server.request("/v1/solve?method=mip&time_limit=0.6", body: TestModels.marketSplit())
                    return (reply.status, reply.headers.first(name: "Retry-After"))
                }
            }
            var all: [(Int, String?)] = []
            for try await s in group { all.append(s) }
            return all
        }
        let metrics = try await server.request("/metrics", method: .GET)
        try await server.stop()
        let rejected = statuses.filter { $0.0 == 429 }
        #expect(statuses.filter { $0.0 == 200 }.count >= 2, "\(statuses)")
        #expect(!rejected.isEmpty, "\(statuses)")
        #expect(rejected.allSatisfy { $0.1 == "1" })
        #expect(metrics.body.contains(#"gpupool_rejected_total{reason="overloaded"}"#))
    }

    @Test("/healthz, /readyz, /metrics and /openapi.yaml", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func probes() async throws {
        let server = try await TestServer.start()
        _ = try await server.request("/v1/solve", body: TestModels.tinyLP())
        let health = try await server.request("/healthz", method: .GET)
        let ready = try await server.request("/readyz", method: .GET)
        let metrics = try await server.request("/metrics", method: .GET)
        let spec = try await server.request("/openapi.yaml", method: .GET)
        let missing = try await server.request("/nowhere", method: .GET)
        try await server.stop()
        #expect(health.status == 200 && ready.status == 200)
        #expect(metrics.status == 200)
        for name in ["gpupool_http_requests_total", "gpupool_http_request_duration_seconds", "gpupool_solves_total",
                     "gpupool_solve_duration_seconds", "gpupool_queue_depth", "gpupool_workers_busy"] {
            #expect(metrics.body.contains(name), "missing \(name)")
        }
        #expect(metrics.body.contains(#"gpupool_solves_total{method="auto",status="optimal"} 1"#))
        let file = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("Sources/GPUPoolServiceSpec/openapi.yaml"), encoding: .utf8)
        #expect(spec.status == 200)
        #expect(spec.body == file, "the served spec differs from Sources/GPUPoolServiceSpec/openapi.yaml: the bundled resource must be that file")
        #expect(missing.status == 404)
    }

    @Test("the allocator setting for large bodies applies on glibc")
    func allocatorTuning() {
        #if os(Linux)
        #expect(AllocatorTuning.returnLargeBlocksToTheSystem())
        #else
        #expect(!AllocatorTuning.returnLargeBlocksToTheSystem())
        #endif
    }

    @Test("invalid settings are all reported")
    func configuration() {
        let problems = ServiceConfiguration(port: 70000, workers: 0, maxBodyBytes: 0, maxTimeLimit: .nan).problems
        #expect(problems.count == 4, "\(problems)")
        #expect(throws: ServiceSetupError.self) { try SolveService(configuration: ServiceConfiguration(workers: 0)) }
    }
}
