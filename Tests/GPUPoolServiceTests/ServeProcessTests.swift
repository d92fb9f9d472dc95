import AsyncHTTPClient
import Foundation
import GPUPoolSupport
import GPUPoolTestSupport
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// `gpupool serve` as a real process, driven by a real HTTP client: what SIGTERM does while a
/// solve runs longer than the shutdown grace period.
@Suite(
    "gpupool serve as a process: SIGTERM",
    .enabled(if: BuildTraits.service, BuildTraits.needsService), .timeLimit(.minutes(10))
)
struct ServeProcessTests {
    @Test("SIGTERM during a solve longer than the grace: 503 on an open connection, the solve answers interrupted, exit 0")
    func sigtermDuringLongSolve() async throws {
        // A grace of 5 s: the late request must reach the server while it drains, and this test
        // process can stall for seconds when the suites beside it block both cores.
        let server = try await ServeProcess.start(["--shutdown-grace", "5", "--max-time-limit", "100", "--workers", "1"])
        // One connection per host: the probe and the late request share a keep-alive connection
        // that was open before the SIGTERM.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1
        let keepAlive = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let solver = HTTPClient(eventLoopGroupProvider: .singleton)
        func exercise() async throws {
            #expect(try await server.send(.GET, "/healthz", on: keepAlive).status == 200)
            // GLPK's branch-and-cut (or, without GLPK, the heuristic) would run for 100 s.
            let method = BuildTraits.glpk ? "mip" : "heuristic"
            let long = Task { try await server.send(.POST, "/v1/solve?method=\(method)&time_limit=100", body: TestModels.marketSplit(), on: solver) }
            try await server.waitForMetric("gpupool_workers_busy", value: 1)
            let signalled = ContinuousClock.now
            server.signal(SIGTERM)
            // The drain has begun once readiness turns 503; the open connection is still answered.
            while try await server.send(.GET, "/readyz", on: keepAlive).status == 200 {}
            let late = try await server.send(.POST, "/v1/solve", body: TestModels.tinyLP(), on: keepAlive)
            #expect(late.status == 503, "\(late.body)")
            #expect(late.headers.first(name: "Retry-After") == "1")
            #expect((late.json["error"] as? [String: Any])?["code"] as? String == "unavailable", "\(late.body)")
            let answer = try await long.value
            #expect(answer.status == 200, "\(answer.body)")
            #expect(answer.json["status"] as? String == "interrupted", "\(answer.body)")
            let status = await server.exitStatus()
            #expect(status == 0, "\(server.standardError)")
            // Sanity bound only (the interrupt wait is 10 s): the solve did not run to its limit.
            #expect(ContinuousClock.now - signalled < .seconds(60))
        }
        let outcome: Result<Void, any Error>
        do { outcome = .success(try await exercise()) } catch { outcome = .failure(error) }
        try await keepAlive.shutdown()
        try await solver.shutdown()
        server.terminateIfRunning()
        try outcome.get()
        #expect(!server.standardError.contains("Fatal error"), "\(server.standardError)")
        #expect(server.standardError.contains("shutdown: grace period over; interrupting running solves"), "\(server.standardError)")
    }

    @Test("a job on a real process: submitted, followed by its event stream through a SIGTERM, ended with its best point, exit 0")
    func jobThroughSigterm() async throws {
        let server = try await ServeProcess.start(["--shutdown-grace", "1", "--max-time-limit", "100", "--workers", "1"])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func exercise() async throws {
            let method = BuildTraits.glpk ? "mip" : "heuristic"
            let submitted = try await server.send(.POST, "/v1/jobs?method=\(method)&time_limit=100", body: TestModels.marketSplit(), on: client)
            #expect(submitted.status == 202, "\(submitted.body)")
            let id = try #require(submitted.json["id"] as? String)
            #expect(submitted.headers.first(name: "Location") == "/v1/jobs/\(id)")
            try await server.waitForMetric("gpupool_workers_busy", value: 1)
            // The stream's first event has arrived before the SIGTERM; the rest comes during the drain.
            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/v1/jobs/\(id)/events"), timeout: .seconds(100))
            #expect(response.status == .ok)
            var body = ""
            var signalled = false
            for try await chunk in response.body {
                body += String(buffer: chunk)
                if !signalled {
                    server.signal(SIGTERM)
                    signalled = true
                }
            }
            let last = body.components(separatedBy: "\n\n").last { $0.hasPrefix("event: job") } ?? ""
            let job = (try? JSONSerialization.jsonObject(with: Data(last.dropFirst("event: job\ndata: ".count).utf8))) as? [String: Any] ?? [:]
            #expect(job["state"] as? String == "done", "\(body.suffix(1500))")
            let result = job["result"] as? [String: Any] ?? [:]
            #expect(result["status"] as? String == "interrupted", "\(job)")
            #expect(result["has_solution"] as? Bool == true, "\(job)")
            #expect(await server.exitStatus() == 0, "\(server.standardError)")
        }
        let outcome: Result<Void, any Error>
        do { outcome = .success(try await exercise()) } catch { outcome = .failure(error) }
        try await client.shutdown()
        server.terminateIfRunning()
        try outcome.get()
        #expect(!server.standardError.contains("Fatal error"), "\(server.standardError)")
    }

    @Test("limits and readers on a real process: chunked and sized bodies over --max-body get 413 JSON; an empty semi section reads, a non-empty one is 400 naming its line")
    func limitsAndReaders() async throws {
        let server = try await ServeProcess.start(["--max-body", "1000"])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func exercise() async throws {
            let (status, body) = try await TestServer.sendChunked("/v1/solve", to: server.port, on: client,
                                                                  parts: Array(repeating: String(repeating: " ", count: 500), count: 4))
            #expect(status == 413, "\(body)")
            #expect(body.contains("payload_too_large") && !body.contains("NIO"), "\(body)")
            let sized = try await server.send(.POST, "/v1/solve", body: String(repeating: " ", count: 2000), on: client)
            #expect(sized.status == 413 && sized.body.contains("payload_too_large"), "\(sized.body)")
            // HiGHS writes an empty `semi` section in every MIP LP file.
            let empty = try await TestServer.send("/v1/solve?format=lp&method=heuristic", to: server.port, on: client,
                                                  body: "Minimize\n obj: x\nSubject To\n c: x >= 1\nGeneral\n x\nsemi\nEnd\n", contentType: "text/plain")
            #expect(empty.status == 200 && empty.json["objective"] as? Double == 1, "\(empty.body)")
            let semi = try await TestServer.send("/v1/solve?format=lp", to: server.port, on: client,
                                                 body: "Minimize\n obj: x\nSubject To\n c: x >= 1\nsemi\n x\nEnd\n", contentType: "text/plain")
            #expect(semi.status == 400 && semi.body.contains("semi-continuous") && semi.body.contains("6"), "\(semi.body)")
        }
        let outcome: Result<Void, any Error>
        do { outcome = .success(try await exercise()) } catch { outcome = .failure(error) }
        try await client.shutdown()
        server.signal(SIGTERM)
        _ = await server.exitStatus()
        try outcome.get()
    }

    @Test("SIGTERM when idle: exit 0 at once")
    func sigtermWhenIdle() async throws {
        let server = try await ServeProcess.start([])
        server.signal(SIGTERM)
        #expect(await server.exitStatus() == 0, "\(server.standardError)")
        #expect(server.standardError.contains("shutdown: work drained"), "\(server.standardError)")
    }
}

/// A `gpupool serve --port 0` child process; its standard error is collected as it comes.
///
/// Started as a ``ChildProcess`` (posix_spawn, waitpid), not Foundation's Process: a lost exit
/// notice of the latter froze a whole test run. Two threads of its own read standard error and
/// wait for the exit, so neither depends on the cooperative pool.
final class ServeProcess: Sendable {
    let child: ChildProcess
    let port: Int
    private let errorText: Mutex<String>
    private let exited: Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>

    private init(child: ChildProcess, port: Int, errorText: String) {
        self.child = child
        self.port = port
        self.errorText = Mutex(errorText)
        exited = Mutex((nil, []))
    }

    /// Everything the server wrote to standard error so far.
    var standardError: String { errorText.withLock { $0 } }

    /// Starts the built `gpupool serve --port 0 …` and returns once it logs its port.
    static func start(_ arguments: [String]) async throws -> ServeProcess {
        let child = try ChildProcess(BuiltProducts.url("gpupool"), ["serve", "--port", "0"] + arguments, output: .null, error: .pipe)
        let (chunks, sink) = AsyncStream<String>.makeStream()
        let errors = child.error!
        Thread.detachNewThread {
            while true {
                let data = errors.availableData
                if data.isEmpty { break }
                sink.yield(String(decoding: data, as: UTF8.self))
            }
            sink.finish()
        }
        var text = ""
        var port: Int?
        var iterator = chunks.makeAsyncIterator()
        while port == nil, let chunk = await iterator.next() {
            text += chunk
            if let line = text.split(separator: "\n").first(where: { $0.hasSuffix(" listening") }),
               let field = line.split(separator: " ").first(where: { $0.hasPrefix("port=") }) {
                port = Int(field.dropFirst(5))
            }
        }
        guard let port else {
            child.kill(SIGKILL)
            child.wait()
            throw TestFailure("gpupool serve did not start: \(text)")
        }
        let server = ServeProcess(child: child, port: port, errorText: text)
        // Keep collecting standard error; the exit status is handed to its waiters once known.
        Task {
            while let chunk = await iterator.next() { server.errorText.withLock { $0 += chunk } }
        }
        Thread.detachNewThread {
            let status = child.wait()
            let waiters = server.exited.withLock { state in
                state.status = status
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }
        return server
    }

    func signal(_ signal: Int32) { child.kill(signal) }

    func terminateIfRunning() { if !child.hasExited { child.kill(SIGTERM) } }

    /// The exit status, once the process has exited. A server still running after `limit` is
    /// killed (SIGKILL: status 9, which fails the caller's check): a server that ignores SIGTERM
    /// must fail its test, not hang the run. The kill comes from a GCD thread, which a blocked
    /// cooperative pool cannot delay.
    func exitStatus(within limit: Double = 120) async -> Int32 {
        let kill = DispatchWorkItem { [child] in child.kill(SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: kill)
        defer { kill.cancel() }
        return await withCheckedContinuation { continuation in
            let known = exited.withLock { state -> Int32? in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    func send(_ method: HTTPMethod, _ path: String, body: String? = nil, on client: HTTPClient) async throws -> TestServer.Reply {
        try await TestServer.send(path, to: port, on: client, method: method, body: body, timeout: .seconds(100))
    }

    /// Polls `/metrics` (on its own connection) until the gauge `name` shows `value`.
    func waitForMetric(_ name: String, value: Int) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func poll() async throws {
            while true {
                let metrics = try await send(.GET, "/metrics", on: client).body
                let line = metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }
                if let line, Double(line.split(separator: " ").last ?? "") == Double(value) { return }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let outcome: Result<Void, any Error>
        do { outcome = .success(try await poll()) } catch { outcome = .failure(error) }
        try await client.shutdown()
        try outcome.get()
    }
}
