import AsyncHTTPClient
import Foundation
import GPUPoolSupport
import GPUPoolTestSupport
@testable import GPUPoolService
import NIOCore
import NIOHTTP1

/// A real `SolveService` on a free loopback port, and a real HTTP client to call it.
final class TestServer: Sendable {
    let service: SolveService
    let port: Int
    let client: HTTPClient
    private let task: Task<Void, any Error>

    private init(service: SolveService, port: Int, task: Task<Void, any Error>) {
        self.service = service
        self.port = port
        self.task = task
        client = Self.sharedClient
    }

    /// One client for every test server, alive for the whole test process: a client per server
    /// would have to be shut down on every path, and one left behind by a test that throws before
    /// `stop()` traps in its deinit and takes the whole test run down with it.
    private static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 128
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Starts a service (always on 127.0.0.1, port 0) and waits until it listens.
    static func start(_ configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws -> TestServer {
        try await start(observer: nil, configure)
    }

    /// Starts a service whose metric updates `observer` sees as they are recorded.
    static func start(
        observing observer: @escaping @Sendable (ServiceEvent) -> Void, _ configure: (inout ServiceConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        try await start(observer: observer, configure)
    }

    private static func start(
        observer: (@Sendable (ServiceEvent) -> Void)?, _ configure: (inout ServiceConfiguration) -> Void
    ) async throws -> TestServer {
        var configuration = ServiceConfiguration(host: "127.0.0.1", port: 0, workers: 2, queueLimit: 64, maxTimeLimit: 10, shutdownGracePeriod: 10)
        configure(&configuration)
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let service = try observer.map { try SolveService(configuration: configuration, observer: $0) }
            ?? SolveService(configuration: configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            // Ends the stream if `run` fails before listening, so the wait below cannot hang.
            defer { continuation.finish() }
            try await service.run { port in continuation.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server did not start") }
        return TestServer(service: service, port: port, task: task)
    }

    /// Graceful shutdown; returns once `run` has returned.
    func stop() async throws {
        await service.shutdown()
        try await task.value
    }

    /// Waits for `run` to return (after a shutdown started elsewhere).
    func waitUntilStopped() async throws {
        try await task.value
    }

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        /// The body parsed as a JSON object.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
        /// `error.details[*].field` of an error answer.
        var errorFields: [String] {
            let details = (json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
            return details.compactMap { $0["field"] as? String }
        }
    }

    func request(_ path: String, method: HTTPMethod = .POST, body: String? = nil, contentType: String? = "application/json",
                 token: String? = nil, accept: String? = nil, headers: [(String, String)] = [], timeout: TimeAmount = .seconds(60)) async throws -> Reply {
        try await Self.send(path, to: port, on: client, method: method, body: body, contentType: contentType, token: token,
                            accept: accept, headers: headers, timeout: timeout)
    }

    /// One request to `127.0.0.1:port` on `client` (a server of this process or a `gpupool serve`
    /// process), with its whole answer.
    static func send(_ path: String, to port: Int, on client: HTTPClient, method: HTTPMethod = .POST, body: String? = nil,
                     contentType: String? = "application/json", token: String? = nil, accept: String? = nil, headers: [(String, String)] = [],
                     timeout: TimeAmount = .seconds(60)) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let body {
            request.body = .bytes(ByteBuffer(string: body))
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let accept { request.headers.add(name: "Accept", value: accept) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }
}

extension TestServer {
    /// POSTs `parts` as a chunked body (`Transfer-Encoding: chunked`, no Content-Length) and
    /// returns the status code and the body of the answer.
    static func sendChunked(_ path: String, to port: Int, on client: HTTPClient, parts: [String],
                            contentType: String = "application/json") async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        let (chunks, sink) = AsyncStream<ByteBuffer>.makeStream()
        for part in parts { sink.yield(ByteBuffer(string: part)) }
        sink.finish()
        request.body = .stream(chunks, length: .unknown)
        let response = try await client.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Test models in the JSON model format.
enum TestModels {
    /// max 3x + 2y s.t. x + y ≤ 4k, x + 3y ≤ 6k, x ≤ 3k, x, y ≥ 0: optimum 11k at (3k, k).
    static func tinyLP(scale k: Double = 1) -> String {
        """
        {"format": "gpupool-model", "version": 1, "name": "tiny", "sense": "maximize",
         "objective": {"terms": [{"variable": "x", "coefficient": 3}, {"variable": "y", "coefficient": 2}]},
         "variables": [{"name": "x", "lower": 0}, {"name": "y", "lower": 0}],
         "constraints": [
           {"name": "c1", "terms": [{"variable": "x", "coefficient": 1}, {"variable": "y", "coefficient": 1}], "upper": \(4 * k)},
           {"name": "c2", "terms": [{"variable": "x", "coefficient": 1}, {"variable": "y", "coefficient": 3}], "upper": \(6 * k)},
           {"name": "c3", "terms": [{"variable": "x", "coefficient": 1}], "upper": \(3 * k)}
         ]}
        """
    }

    /// A market-split instance (Cornuéjols–Dawande, 4 rows × 30 binaries): branch-and-bound keeps
    /// GLPK busy until the time limit, so it stands in for a long solve.
    static func marketSplit() -> String {
        var rng = SeededGenerator(seed: 7)
        func next() -> Int { rng.nextInt(below: 100) }
        let m = 4, n = 30
        var variables = (0..<n).map { #"{"name": "x\#($0)", "kind": "binary"}"# }
        var objective: [String] = []
        var constraints: [String] = []
        for i in 0..<m {
            variables.append(#"{"name": "sp\#(i)", "lower": 0}"#)
            variables.append(#"{"name": "sm\#(i)", "lower": 0}"#)
            objective.append(#"{"variable": "sp\#(i)", "coefficient": 1}, {"variable": "sm\#(i)", "coefficient": 1}"#)
            let a = (0..<n).map { _ in next() }
            let rhs = a.reduce(0, +) / 2
            var terms = (0..<n).map { #"{"variable": "x\#($0)", "coefficient": \#(a[$0])}"# }
            terms.append(#"{"variable": "sp\#(i)", "coefficient": 1}"#)
            terms.append(#"{"variable": "sm\#(i)", "coefficient": -1}"#)
            constraints.append(#"{"name": "c\#(i)", "terms": [\#(terms.joined(separator: ", "))], "lower": \#(rhs), "upper": \#(rhs)}"#)
        }
        return """
            {"format": "gpupool-model", "version": 1, "name": "market-split",
             "objective": {"terms": [\(objective.joined(separator: ", "))]},
             "variables": [\(variables.joined(separator: ", "))],
             "constraints": [\(constraints.joined(separator: ", "))]}
            """
    }
}

/// Shared data, relative to the package root.
enum SharedData {
    static let packageRoot = TestPaths.packageRoot
    static let afiro = TestPaths.shared("mps/afiro.mps")
    static var hasAfiro: Bool { FileManager.default.isReadableFile(atPath: afiro) }
}
