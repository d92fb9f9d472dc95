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

    @Test("a chunked body over the limit → 413 with the JSON error, like a Content-Length body")
    func chunkedBodyOverLimit() async throws {
        let server = try await TestServer.start { $0.maxBodyBytes = 1000 }
        let (status, body) = try await TestServer.sendChunked("/v1/solve", to: server.port, on: server.client,
                                                              parts: Array(repeating: String(repeating: " ", count: 500), count: 4))
        try await server.stop()
        #expect(status == 413, "\(body)")
        let error = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "payload_too_large", "\(body)")
        #expect(!body.contains("NIO"), "an internal type name in the answer: \(body)")
    }

    @Test("a wrong method → 405 with Allow, an unknown media type → 415, an empty body → 400, an empty Content-Type → sniffed")
    func protocolErrors() async throws {
        let server = try await TestServer.start()
        let trace = try await server.request("/v1/solve", method: .TRACE)
        let get = try await server.request("/v1/plan", method: .GET)
        let delete = try await server.request("/healthz", method: .DELETE)
        let xml = try await server.request("/v1/solve", body: "<model/>", contentType: "application/xml")
        let yaml = try await server.request("/v1/plan", body: "pool: {}", contentType: "application/yaml; charset=utf-8")
        let emptyTelemetry = try await server.request("/v1/telemetry", body: "", contentType: "text/plain")
        let emptySolve = try await server.request("/v1/solve", body: "")
        let blankType = try await server.request("/v1/solve?method=heuristic", body: TestModels.tinyLP(), contentType: "")
        let missing = try await server.request("/nowhere", method: .GET)
        try await server.stop()
        for (reply, allow) in [(trace, "POST"), (get, "POST"), (delete, "GET, HEAD")] {
            #expect(reply.status == 405, "\(reply.body)")
            #expect(reply.headers.first(name: "Allow") == allow)
            #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "method_not_allowed", "\(reply.body)")
        }
        for reply in [xml, yaml] {
            #expect(reply.status == 415, "\(reply.body)")
            #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "unsupported_media_type", "\(reply.body)")
        }
        for reply in [emptyTelemetry, emptySolve] {
            #expect(reply.status == 400, "\(reply.body)")
            #expect(reply.errorFields == ["body"], "\(reply.body)")
        }
        #expect(blankType.status == 200 && blankType.json["has_solution"] as? Bool == true, "\(blankType.body)")
        #expect(missing.status == 404)
        #expect((missing.json["error"] as? [String: Any])?["code"] as? String == "not_found", "\(missing.body)")
    }

    @Test("the route table matches openapi.yaml: every path, its method, its body's media types")
    func routeTableMatchesSpec() throws {
        let spec = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("Sources/GPUPoolServiceSpec/openapi.yaml"), encoding: .utf8)
        // A small reader for the spec's own layout: paths at two spaces, methods at four, media
        // types under `content:` of a `requestBody:`.
        var found: [String: (methods: Set<String>, media: Set<String>)] = [:]
        var path: String?, method: String?, inRequestBody = false
        for line in spec.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            let text = line.trimmingCharacters(in: .whitespaces)
            if indent == 2, text.hasPrefix("/"), text.hasSuffix(":") {
                path = String(text.dropLast()); method = nil; found[path!] = ([], [])
            } else if indent == 0, !text.isEmpty {
                path = nil
            } else if path != nil, indent == 4, text == "parameters:" {
                method = nil; inRequestBody = false  // path-level parameters, not an operation
            } else if let p = path, indent == 4, text.hasSuffix(":") {
                method = String(text.dropLast()).uppercased(); found[p]!.methods.insert(method!)
                inRequestBody = false
            } else if path != nil, indent == 6 {
                inRequestBody = text == "requestBody:"
            } else if let p = path, inRequestBody, indent == 10, text.hasSuffix(":"), text.contains("/") {
                found[p]!.media.insert(String(text.dropLast()))
            }
        }
        #expect(!found.isEmpty)
        #expect(Set(found.keys) == Set(RequestPipeline.routes.keys))
        for (path, route) in RequestPipeline.routes {
            let methods = Set(route.methods.map(\.rawValue)).subtracting(["HEAD"])
            #expect(found[path]?.methods == methods, "\(path): spec \(found[path]?.methods ?? []), table \(methods)")
            #expect(found[path]?.media == route.mediaTypes, "\(path): spec \(found[path]?.media ?? []), table \(route.mediaTypes)")
        }
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
