import AsyncHTTPClient
import Foundation
@testable import GPUPoolService
import GPUPoolTestSupport
import NIOCore
import Testing

/// Client hang-ups and graceful shutdown, driven by the service's own metric events: each test
/// waits for the state it needs (a solve running, a request queued, a request dropped) rather
/// than sleeping. A client hangs up by cancelling the task that runs its request (the HTTP
/// client then closes the connection).
@Suite("Hang-ups and shutdown, by the service's events", .timeLimit(.minutes(10)), .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
struct HangUpTests {
    static func isSolve(_ event: ServiceEvent) -> Bool {
        if case .solve = event { return true }
        return false
    }

    /// A one-worker server whose worker runs a long MIP (`busy`) until the test cancels it.
    static func serverWithBusyWorker(
        _ events: inout EventQueue<ServiceEvent>
    ) async throws -> (server: TestServer, busy: Task<TestServer.Reply, any Error>) {
        let sink = events.sink
        let server = try await TestServer.start(observing: { sink.yield($0) }) { $0.workers = 1; $0.queueLimit = 4; $0.maxTimeLimit = 60 }
        let busy = Task { try await server.request("/v1/solve?method=mip&time_limit=60", body: TestModels.marketSplit()) }
        await events.next(.queue(queued: 0, running: 1))
        return (server, busy)
    }

    /// Stops the busy solve through its client's hang-up, stops the server, and checks that one
    /// queued request was dropped as cancelled before its (simplex) solve ran.
    static func stopBusyAndCheckDropped(
        _ busy: Task<TestServer.Reply, any Error>, server: TestServer, events: inout EventQueue<ServiceEvent>
    ) async throws {
        busy.cancel()
        #expect(await events.next(where: isSolve) == .solve(method: "mip", status: "interrupted"))
        let metrics = try await server.request("/metrics", method: .GET)
        try await server.stop()
        #expect(metrics.body.contains(#"gpupool_rejected_total{reason="cancelled"} 1"#), "\(metrics.body)")
        #expect(!metrics.body.contains(#"method="simplex""#), "the dropped request's solve ran: \(metrics.body)")
    }

    @Test("a hang-up during a running solve stops it through the solver's cancellation")
    func hangUpStopsRunningSolve() async throws {
        var events = EventQueue<ServiceEvent>()
        let sink = events.sink
        let server = try await TestServer.start(observing: { sink.yield($0) }) { $0.workers = 1; $0.maxTimeLimit = 60 }
        // GLPK would keep this branch-and-cut busy for the whole minute.
        let client = Task { try await server.request("/v1/solve?method=mip&time_limit=60", body: TestModels.marketSplit()) }
        await events.next(.queue(queued: 0, running: 1))
        client.cancel()
        let solved = await events.next(where: Self.isSolve)
        #expect(solved == .solve(method: "mip", status: "interrupted"), "the running solve was not cancelled")
        await #expect(throws: (any Error).self) { try await client.value }
        let metrics = try await server.request("/metrics", method: .GET)
        try await server.stop()
        #expect(metrics.body.contains(#"gpupool_solves_total{method="mip",status="interrupted"} 1"#), "\(metrics.body)")
        #expect(!metrics.body.contains(#"status="time_limit""#))
    }

    @Test("a hang-up while queued drops the request before its solve starts")
    func hangUpDropsQueuedRequest() async throws {
        var events = EventQueue<ServiceEvent>()
        let (server, busy) = try await Self.serverWithBusyWorker(&events)
        let queued = Task { try await server.request("/v1/solve?method=simplex", body: TestModels.tinyLP()) }
        await events.next(.queue(queued: 1, running: 1))
        queued.cancel()
        await events.next(.rejected(reason: "cancelled"))
        await #expect(throws: (any Error).self) { try await queued.value }
        // The busy solve is stopped the same way; the queued one never ran.
        try await Self.stopBusyAndCheckDropped(busy, server: server, events: &events)
    }

    @Test("a client that gives up (its own timeout) while queued loses its solve")
    func clientTimeoutDropsQueuedRequest() async throws {
        var events = EventQueue<ServiceEvent>()
        let (server, busy) = try await Self.serverWithBusyWorker(&events)
        // Queued behind the busy worker, which stays busy until the test cancels it; the client's
        // timeout closes the connection.
        await #expect(throws: (any Error).self) {
            _ = try await server.request("/v1/solve?method=simplex", body: TestModels.tinyLP(), timeout: .seconds(3))
        }
        await events.next(.rejected(reason: "cancelled"))
        try await Self.stopBusyAndCheckDropped(busy, server: server, events: &events)
    }

    @Test("a hang-up is noticed on a reused keep-alive connection too")
    func hangUpOnReusedConnection() async throws {
        var events = EventQueue<ServiceEvent>()
        let sink = events.sink
        let server = try await TestServer.start(observing: { sink.yield($0) }) { $0.workers = 1; $0.queueLimit = 4; $0.maxTimeLimit = 60 }
        // One connection per host, so the second request reuses the first one's connection
        // (whose disconnect watcher is already installed).
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1
        let single = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        func exercise() async throws -> String {
            @Sendable func post(_ path: String, _ body: String) async throws -> Int {
                try await TestServer.send(path, to: server.port, on: single, body: body, timeout: .seconds(120)).status
            }
            #expect(try await post("/v1/solve", TestModels.tinyLP()) == 200)
            // Past the first request's own events (queued, running, solved).
            #expect(await events.next(where: Self.isSolve) == .solve(method: "auto", status: "optimal"))
            let busy = Task { try await server.request("/v1/solve?method=mip&time_limit=60", body: TestModels.marketSplit()) }
            await events.next(.queue(queued: 0, running: 1))
            let reused = Task { try await post("/v1/solve?method=simplex", TestModels.tinyLP()) }
            await events.next(.queue(queued: 1, running: 1))
            reused.cancel()
            await events.next(.rejected(reason: "cancelled"))
            await #expect(throws: (any Error).self) { try await reused.value }
            busy.cancel()
            #expect(await events.next(where: Self.isSolve) == .solve(method: "mip", status: "interrupted"))
            return try await server.request("/metrics", method: .GET).body
        }
        let outcome: Result<String, any Error>
        do { outcome = .success(try await exercise()) } catch { outcome = .failure(error) }
        // The client must be shut down whatever happened above (its deinit traps otherwise).
        try await single.shutdown()
        try await server.stop()
        let metrics = try outcome.get()
        #expect(metrics.contains(#"gpupool_rejected_total{reason="cancelled"} 1"#), "\(metrics)")
        #expect(!metrics.contains(#"method="simplex""#), "the dropped request's solve ran: \(metrics)")
    }

    @Test("graceful shutdown still answers the running and the queued request")
    func shutdownDrainsQueue() async throws {
        // The second request must arrive while the first solve runs. When this process is starved
        // of threads (the suites beside it block both cores) it can arrive only after the first
        // ended; the queue then empties first, and the scenario is tried again.
        for _ in 1...3 {
            var events = EventQueue<ServiceEvent>()
            let sink = events.sink
            let server = try await TestServer.start(observing: { sink.yield($0) }) { $0.workers = 1; $0.queueLimit = 4 }
            let running = Task { try await server.request("/v1/solve?method=mip&time_limit=5", body: TestModels.marketSplit()) }
            await events.next(.queue(queued: 0, running: 1))
            let queued = Task { try await server.request("/v1/solve", body: TestModels.tinyLP()) }
            let seen = await events.next { $0 == .queue(queued: 1, running: 1) || $0 == .queue(queued: 0, running: 0) }
            guard seen == .queue(queued: 1, running: 1) else {
                _ = try await running.value
                _ = try await queued.value
                try await server.stop()
                continue
            }
            await server.service.shutdown()
            let first = try await running.value
            let second = try await queued.value
            try await server.waitUntilStopped()
            #expect(first.status == 200 && first.json["status"] as? String == "time_limit", "\(first.body)")
            #expect(second.status == 200 && second.json["status"] as? String == "optimal", "\(second.body)")
            return
        }
        Issue.record("the second request never arrived while the first solve ran (3 attempts)")
    }

    @Test("during the drain new work gets 503 + Retry-After; at the grace deadline the running solve answers interrupted, the queued one 503")
    func graceDeadline() async throws {
        var events = EventQueue<ServiceEvent>()
        let sink = events.sink
        let server = try await TestServer.start(observing: { sink.yield($0) }) {
            $0.workers = 1; $0.queueLimit = 4; $0.maxTimeLimit = 60; $0.shutdownGracePeriod = 1
        }
        let busy = Task { try await server.request("/v1/solve?method=mip&time_limit=60", body: TestModels.marketSplit()) }
        await events.next(.queue(queued: 0, running: 1))
        let queued = Task { try await server.request("/v1/solve?method=simplex", body: TestModels.tinyLP()) }
        await events.next(.queue(queued: 1, running: 1))
        let stopping = Task { await server.service.shutdown() }
        while try await server.request("/readyz", method: .GET).status == 200 {}
        let late = try await server.request("/v1/solve", body: TestModels.tinyLP())
        let first = try await busy.value
        let second = try await queued.value
        await stopping.value
        try await server.waitUntilStopped()
        #expect(late.status == 503 && late.headers.first(name: "Retry-After") == "1", "\(late.body)")
        #expect(first.status == 200 && first.json["status"] as? String == "interrupted", "\(first.body)")
        #expect(second.status == 503 && second.headers.first(name: "Retry-After") == "1", "\(second.body)")
        #expect((second.json["error"] as? [String: Any])?["code"] as? String == "unavailable", "\(second.body)")
    }
}
