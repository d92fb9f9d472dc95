import Foundation
import GPUPoolService
import Testing

@Suite("POST /v1/solve: reader warnings")
struct SolveWarningsEndpointTests {
    @Test("the reader's warnings are the `warnings` array of the answer; none gives []")
    func warnings() async throws {
        let server = try await TestServer.start()
        let text = "NAME two\nROWS\n N obj\nCOLUMNS\n x obj 1\nBOUNDS\n UP BND1 x 4\n LO BND2 x -5\nENDATA\n"
        let reply = try await server.request("/v1/solve?method=heuristic", body: text, contentType: "text/plain")
        let plain = try await server.request("/v1/solve?method=heuristic", body: TestModels.tinyLP())
        try await server.stop()
        #expect(reply.status == 200, "\(reply.body)")
        let warnings = try #require(reply.json["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["file"] as? String == "body")
        #expect(warnings.first?["line"] as? Int == 8)
        #expect((warnings.first?["message"] as? String)?.contains("set 'BND2'") == true)
        #expect(reply.json["objective"] as? Double == 0)
        #expect(plain.status == 200, "\(plain.body)")
        #expect((plain.json["warnings"] as? [Any])?.isEmpty == true)
    }
}
