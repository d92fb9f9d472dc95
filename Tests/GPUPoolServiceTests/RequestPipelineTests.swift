import GPUPoolSupport
import AsyncHTTPClient
import Foundation
@testable import GPUPoolService
import Logging
import NIOCore
import Synchronization
import GPUPoolTestSupport
import Testing

@Suite("Request pipeline: content types, settings")
struct RequestPipelineTests {
    @Test("application/json is recognised with parameters, case and blanks", arguments: [
        ("application/json", true), ("application/json; charset=utf-8", true), (" Application/JSON ;q=1", true),
        ("APPLICATION/JSON", true), ("text/plain", false), ("application/jsonx", false), ("application/json-seq", false),
        ("", false), ("json", false), ("application/ json", false),
    ])
    func jsonContentType(value: String, expected: Bool) {
        #expect(RequestPipeline.isJSON(value) == expected, "\(value)")
    }

    @Test("without a Content-Type a JSON object is a JSON model, other text is MPS")
    func noContentType() async throws {
        let server = try await TestServer.start()
        let json = try await server.request("/v1/solve", body: "\n  " + TestModels.tinyLP(), contentType: nil)
        let mps = try await server.request("/v1/solve", body: """
            NAME tiny
            ROWS
             N obj
             L c1
            COLUMNS
             x obj -1 c1 1
            RHS
             rhs c1 4
            ENDATA
            """, contentType: nil)
        try await server.stop()
        #expect(json.status == 200 && json.json["objective"] as? Double == 11, "\(json.body)")
        #expect(mps.status == 200 && mps.json["objective"] as? Double == -4, "\(mps.body)")
    }

    @Test("many requests on one connection, then others: each counted once", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func metricsHandlesAreReused() async throws {
        let server = try await TestServer.start()
        for _ in 0..<5 { _ = try await server.request("/v1/solve", body: TestModels.tinyLP()) }
        _ = try await server.request("/v1/solve", body: "{")
        let metrics = try await server.request("/metrics", method: .GET)
        try await server.stop()
        #expect(metrics.body.contains(#"gpupool_http_requests_total{route="/v1/solve",method="POST",status="200"} 5"#), "\(metrics.body)")
        #expect(metrics.body.contains(#"gpupool_http_requests_total{route="/v1/solve",method="POST",status="400"} 1"#), "\(metrics.body)")
        #expect(metrics.body.contains(#"gpupool_solves_total{method="auto",status="optimal"} 5"#))
    }

    @Test("the I/O thread count is checked and used")
    func ioThreads() async throws {
        #expect(ServiceConfiguration(ioThreads: 0).problems == ["io-threads 0: must be between 1 and 256"])
        let server = try await TestServer.start { $0.ioThreads = 3 }
        let reply = try await server.request("/v1/solve", body: TestModels.tinyLP())
        try await server.stop()
        #expect(reply.status == 200)
    }
}

@Suite("LineLogHandler")
struct LineLogHandlerTests {
    final class Lines: Sendable {
        private let stored = Mutex<[String]>([])
        func add(_ line: String) { stored.withLock { $0.append(line) } }
        var all: [String] { stored.withLock { $0 } }
    }

    @Test("one line per message at or above the level, metadata sorted, set metadata kept per logger")
    func lines() {
        let lines = Lines()
        var logger = Logger(label: "test.log") { LineLogHandler(label: $0, metadataProvider: nil, output: lines.add) }
        logger.logLevel = .notice
        logger[metadataKey: "z"] = "last"
        var child = logger
        child[metadataKey: "a"] = "first"
        logger.info("dropped")
        child.notice("kept", metadata: ["m": "2"])
        logger.error("plain")
        #expect(lines.all.count == 2, "\(lines.all)")
        let first = lines.all.first ?? ""
        #expect(first.hasSuffix(" notice test.log: a=first m=2 z=last kept\n"), "\(first)")
        #expect(first.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} "#, options: .regularExpression) != nil, "\(first)")
        #expect(lines.all.last?.hasSuffix(" error test.log: z=last plain\n") == true, "\(lines.all)")
    }
}
