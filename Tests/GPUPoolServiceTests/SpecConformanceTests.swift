import Foundation
import GPUPoolHeuristics
import GPUPoolModel
import GPUPoolMonitoring
import GPUPoolDomain
import GPUPoolPlanner
@testable import GPUPoolService
import GPUPoolTelemetry
import GPUPoolTestSupport
import Testing

/// The answers and the strictness the spec (`openapi.yaml`) promises. schemathesis and a generated
/// Python client check the same against a real process in CI (`scripts/api-check.sh`).
@Suite("openapi.yaml and the server agree")
struct SpecConformanceTests {
    @Test("the spec's closed sets are the domain's")
    func enumsMatchTheDomain() {
        func raw<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> Set<String> where T.RawValue == String {
            Set(type.allCases.map(\.rawValue))
        }
        #expect(raw(Components.Schemas.TerminationStatus.self) == raw(TerminationStatus.self))
        #expect(raw(Components.Schemas.PlanningPolicy.self) == raw(PlanningPolicy.self))
        #expect(raw(Components.Schemas.PlanStatus.self) == raw(PlanStageStatus.self))
        #expect(raw(Components.Schemas.UnplacedReason.codePayload.self) == raw(UnplacedReasonCode.self))
        #expect(raw(Components.Schemas.HealthState.self) == raw(HealthState.self))
        #expect(raw(Components.Schemas.ValidateRequest.heuristicPayload.self) == raw(AssignmentHeuristic.Method.self))
        #expect(raw(Components.Schemas.PlanRequest.methodPayload.self) == raw(PlanningMethod.self))
        #expect(raw(Operations.solve.Input.Query.methodPayload.self) == raw(SolveMethod.self))
        #expect(raw(Operations.telemetry.Input.Query.formatPayload.self) == raw(TelemetryFormat.self))
        #expect(raw(Components.Schemas.TelemetryResult.formatsPayloadPayload.self) == raw(TelemetryFormat.self).subtracting(["auto"]))
    }

    @Test("plan, validate and telemetry answers decode as their generated schemas, with the closed sets")
    func typedAnswers() async throws {
        let server = try await TestServer.start()
        let plan = try await server.request("/v1/plan", body: #"{"pool": \#(WorkEndpointsTests.pool), "jobs": \#(jsonString(WorkEndpointsTests.jobs)), "method": "heuristic", "time_limit": 5}"#)
        let validate = try await server.request("/v1/validate", body: #"{"files": [{"name": "tiny.txt", "text": \#(jsonString(WorkEndpointsTests.gap))}], "time_limit": 0.2}"#)
        let csv = """
            timestamp, index, name, utilization.gpu [%], memory.used [MiB], temperature.gpu
            2026/11/27 05:00:00.000, 0, NVIDIA H100 80GB HBM3, 87 %, 40000 MiB, 99
            2026/11/27 05:00:01.000, 0, NVIDIA H100 80GB HBM3, 87 %, 40000 MiB, 99
            """
        let telemetry = try await server.request("/v1/telemetry", body: #"{"text": \#(jsonString(csv)), "node": "h1", "pool": \#(WorkEndpointsTests.pool)}"#)
        try await server.stop()

        #expect(plan.status == 200, "\(plan.body)")
        let typedPlan = try JSONDecoder().decode(Components.Schemas.Plan.self, from: Data(plan.body.utf8))
        #expect(typedPlan.jobs.count == 2 && typedPlan.formatVersion == 1)
        #expect(typedPlan.jobs.allSatisfy { $0.status == .placed && !$0.workers.isEmpty })

        #expect(validate.status == 200, "\(validate.body)")
        let typedValidation = try JSONDecoder().decode(Components.Schemas.ValidateResult.self, from: Data(validate.body.utf8))
        #expect(typedValidation.records.first?.instance == "tiny-1" && typedValidation.records.first?.sense == .min)
        // Unknown values are left out, never null (the generated types cannot carry a null).
        #expect(!validate.body.contains("null"), "\(validate.body)")

        #expect(telemetry.status == 200, "\(telemetry.body)")
        let typedTelemetry = try JSONDecoder().decode(Components.Schemas.TelemetryResult.self, from: Data(telemetry.body.utf8))
        #expect(typedTelemetry.formats == [.nvidia_hyphen_smi_hyphen_csv])
        #expect(typedTelemetry.states?.additionalProperties["h1"] != nil, "\(telemetry.body)")
        #expect(typedTelemetry.events?.allSatisfy { $0.node == "h1" } == true, "\(telemetry.body)")
    }

    @Test("the server refuses what the spec refuses: null members, unknown enum values, empty text")
    func asStrictAsTheSpec() async throws {
        let server = try await TestServer.start()
        let pool = WorkEndpointsTests.pool, jobs = jsonString(WorkEndpointsTests.jobs)
        let cases: [(path: String, body: String, field: String)] = [
            ("/v1/plan", #"{"pool": null, "jobs": \#(jobs)}"#, "pool"),
            ("/v1/plan", #"{"pool": \#(pool), "jobs": \#(jobs), "method": null}"#, "method"),
            ("/v1/plan", #"{"pool": \#(pool), "jobs": \#(jobs), "seed": null}"#, "seed"),
            ("/v1/plan", #"{"pool": \#(pool), "jobs": \#(jobs), "time_limit": 0}"#, "time_limit"),
            ("/v1/plan", #"{"pool": 3, "jobs": \#(jobs)}"#, "pool"),
            ("/v1/validate", #"{"files": [], "heuristic": "annealing"}"#, "heuristic"),
            ("/v1/validate", #"{"files": [], "heuristic": null}"#, "heuristic"),
            ("/v1/validate", #"{"files": [], "known": {"x-1": {"optimum": 1, "proven": true, "sense": null}}}"#, "known.x-1.sense"),
            ("/v1/validate", #"{"files": [], "known": {"x-1": {"optimum": 1, "proven": true, "sense": "up"}}}"#, "known.x-1.sense"),
            ("/v1/telemetry", #"{"text": ""}"#, "text"),
            ("/v1/telemetry", #"{"text": "x", "pool": null}"#, "pool"),
        ]
        var replies: [TestServer.Reply] = []
        for c in cases { replies.append(try await server.request(c.path, body: c.body)) }
        let empty = try await server.request("/v1/validate", body: #"{"files": []}"#)
        try await server.stop()
        for (c, reply) in zip(cases, replies) {
            #expect(reply.status == 400, "\(c.body): \(reply.body)")
            #expect(reply.errorFields.contains { $0 == c.field || $0.hasPrefix(c.field) }, "\(c.body): \(reply.body)")
        }
        #expect(empty.status == 200 && empty.json["records"] as? [Any] != nil, "\(empty.body)")
    }

    @Test("text bodies as application/octet-stream; Accept is honoured for /openapi.yaml and disregarded elsewhere")
    func mediaTypes() async throws {
        let server = try await TestServer.start()
        let mps = """
            NAME tiny
            ROWS
             N obj
             L c1
            COLUMNS
             x obj -1 c1 1
            RHS
             rhs c1 4
            ENDATA
            """
        let binary = try await server.request("/v1/solve?method=heuristic", body: mps, contentType: "application/octet-stream")
        let csv = "timestamp, index, name, utilization.gpu [%]\n2026/11/27 05:00:00.000, 0, NVIDIA H100, 87 %\n"
        let telemetry = try await server.request("/v1/telemetry", body: csv, contentType: "application/octet-stream")
        let html = try await server.request("/v1/solve?method=heuristic", body: TestModels.tinyLP(), accept: "text/html")
        let yaml = try await server.request("/openapi.yaml", method: .GET, accept: "text/yaml, application/yaml;q=0.5")
        let anyYAML = try await server.request("/openapi.yaml", method: .GET, accept: "text/html, */*;q=0.8")
        try await server.stop()
        #expect(binary.status == 200 && binary.json["objective"] as? Double == -4, "\(binary.body)")
        #expect(telemetry.status == 200 && telemetry.json["accepted"] as? Int == 1, "\(telemetry.body)")
        #expect(html.status == 200 && html.json["has_solution"] as? Bool == true, "\(html.body)")
        #expect(yaml.status == 200 && yaml.headers.first(name: "Content-Type") == "text/yaml" && yaml.body.hasPrefix("openapi:"))
        #expect(anyYAML.status == 200 && anyYAML.headers.first(name: "Content-Type") == "application/yaml")
    }

    @Test("an answer that does not fit its schema is a 500 without internal type names")
    func untypedAnswer() throws {
        do {
            _ = try APIHandler.typed(Components.Schemas.Plan.self, fromJSON: Data(#"{"jobs": 3}"#.utf8), what: "plan")
            Issue.record("decoded")
        } catch {
            #expect(error.status == .internalServerError)
            #expect(error.message == "internal error: the plan does not fit its schema in /openapi.yaml")
            #expect(error.json.serialized.contains("Components") == false)
            #expect(error.logDetail?.isEmpty == false)
        }
    }

    @Test("Accept: when /openapi.yaml answers text/yaml", arguments: [
        ("text/yaml", true), ("text/*", true), ("text/yaml, application/yaml;q=0.5", true), ("TEXT/YAML ; q=0.9, */*;q=0.1", true),
        ("application/yaml", false), ("application/yaml, text/yaml", false), ("text/yaml;q=0", false), ("*/*", false),
        ("text/html, */*;q=0.8", false), ("", false),
    ])
    func acceptYAML(accept: String, expected: Bool) {
        #expect(RequestPipeline.prefersTextYAML(accept) == expected, "\(accept)")
    }

    @Test("the null scan finds the bytes null only", arguments: [("{}", false), (#"{"a": null}"#, true), ("nul", false), ("nnull", true), ("nunull", true), ("", false)])
    func nullScan(text: String, expected: Bool) {
        #expect(NullMembers.containsNull(Array(text.utf8)) == expected)
    }
}
