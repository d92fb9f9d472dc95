import Foundation
import GPUPoolService
import Testing

@Suite("POST /v1/plan, /v1/validate, /v1/telemetry")
struct WorkEndpointsTests {
    static let pool = #"""
        {"providers": [{"id": "cloud", "kind": "cloud", "availability": 0.97}],
         "nodes": [{"id": "h1", "provider": "cloud", "accelerator": "H100", "vendor": "NVIDIA", "gpuCount": 8,
                    "gpuMemoryGiB": 80, "interconnect": "nvlink", "region": "us-east-1", "pricePerGPUHour": 2.5}]}
        """#
    static let jobs = """
        jobs:
          - id: train
            tenant: vision
            shape: {workers: 2, gpusPerWorker: 2}
            throughput: {H100: 30}
            locality: node
          - id: serve
            tenant: web
            shape: {workers: 1, gpusPerWorker: 1}
            throughput: {H100: 10}
        """

    @Test("a pool (JSON object) and jobs (YAML text) → a checked plan")
    func plan() async throws {
        let server = try await TestServer.start()
        let body = #"{"pool": \#(Self.pool), "jobs": \#(jsonString(Self.jobs)), "method": "heuristic", "time_limit": 5}"#
        let reply = try await server.request("/v1/plan", body: body)
        let badJob = try await server.request("/v1/plan", body: #"{"pool": \#(Self.pool), "jobs": {"jobs": [{"id": "x", "tenant": "t", "shape": {"workers": -1, "gpusPerWorker": 1}}]}}"#)
        let missing = try await server.request("/v1/plan", body: #"{"pool": \#(Self.pool)}"#)
        let badPolicy = try await server.request("/v1/plan", body: #"{"pool": \#(Self.pool), "jobs": \#(jsonString(Self.jobs)), "policy": "fastest"}"#)
        try await server.stop()
        #expect(reply.status == 200, "\(reply.body)")
        let placements = reply.json["jobs"] as? [[String: Any]] ?? []
        #expect(Set(placements.compactMap { $0["job"] as? String }) == ["train", "serve"], "\(reply.body.prefix(400))")
        #expect(badJob.status == 400 && badJob.errorFields.contains { $0.hasPrefix("jobs") }, "\(badJob.body)")
        #expect(missing.status == 400 && missing.body.contains("jobs"), "\(missing.body)")
        #expect(badPolicy.status == 400 && badPolicy.errorFields == ["policy"], "\(badPolicy.body)")
    }

    /// One GAP problem: 2 agents, 3 jobs (costs, weights, capacities), minimised.
    static let gap = """
        1
        2 3
        4 6 3
        2 5 8
        3 2 4
        4 3 2
        6 6
        """

    @Test("GAP files → one record per problem, with the gap to the known optimum")
    func validate() async throws {
        let server = try await TestServer.start()
        let body = #"{"files": [{"name": "tiny.txt", "text": \#(jsonString(Self.gap))}], "known": {"tiny-1": {"optimum": \#(Self.gapOptimum), "proven": true}}, "time_limit": 0.2}"#
        let reply = try await server.request("/v1/validate", body: body)
        let malformed = try await server.request("/v1/validate", body: #"{"files": [{"name": "bad.txt", "text": "1\n2 x\n"}]}"#)
        let wrongType = try await server.request("/v1/validate", body: #"{"files": [{"name": 3, "text": ""}]}"#)
        try await server.stop()
        #expect(reply.status == 200, "\(reply.body)")
        let records = reply.json["records"] as? [[String: Any]] ?? []
        #expect(records.count == 1)
        #expect(records.first?["instance"] as? String == "tiny-1")
        #expect((records.first?["gap"] as? Double).map { abs($0) < 1e-9 } == true, "\(reply.body)")
        #expect(malformed.status == 400 && malformed.errorFields == ["files[0].text"], "\(malformed.body)")
        #expect(wrongType.status == 400 && wrongType.body.contains("name"), "\(wrongType.body)")
    }

    /// Optimum of ``gap`` by enumerating the 2³ assignments.
    static var gapOptimum: Double {
        let cost = [[4.0, 6, 3], [2, 5, 8]], weight = [[3.0, 2, 4], [4, 3, 2]], capacity = [6.0, 6]
        var best = Double.infinity
        for mask in 0..<8 {
            var load = [0.0, 0.0], total = 0.0
            for j in 0..<3 {
                let agent = (mask >> j) & 1
                load[agent] += weight[agent][j]
                total += cost[agent][j]
            }
            if load[0] <= capacity[0] && load[1] <= capacity[1] { best = min(best, total) }
        }
        return best
    }

    @Test("nvidia-smi CSV → accepted readings, skipped lines reported")
    func telemetry() async throws {
        let server = try await TestServer.start()
        let csv = """
            timestamp, index, name, utilization.gpu [%], memory.used [MiB], temperature.gpu
            2026/11/27 05:00:00.000, 0, NVIDIA H100 80GB HBM3, 87 %, 40000 MiB, 65
            2026/11/27 05:00:00.000, 1, NVIDIA H100 80GB HBM3, 12 %, 1000 MiB, 41
            2026/11/27 05:00:01.000, 0, NVIDIA H100 80GB HBM3, 88 %
            """
        let reply = try await server.request("/v1/telemetry?node=n1", body: csv, contentType: "text/plain")
        let garbage = try await server.request("/v1/telemetry", body: "no telemetry here\n", contentType: "text/plain")
        try await server.stop()
        #expect(reply.status == 200, "\(reply.body)")
        #expect(reply.json["accepted"] as? Int == 2, "\(reply.body)")
        #expect(reply.json["skipped"] as? Int == 1, "\(reply.body)")
        #expect(garbage.status == 400 || (garbage.json["accepted"] as? Int) == 0, "\(garbage.body)")
    }
}

extension WorkEndpointsTests {
    @Test("telemetry with a pool → health states (and events) of the pool's nodes")
    func telemetryHealth() async throws {
        let server = try await TestServer.start()
        let csv = """
            timestamp, index, name, utilization.gpu [%], memory.used [MiB], temperature.gpu
            2026/11/27 05:00:00.000, 0, NVIDIA H100 80GB HBM3, 87 %, 40000 MiB, 65
            """
        let body = #"{"text": \#(jsonString(csv)), "node": "h1", "pool": \#(Self.pool)}"#
        let reply = try await server.request("/v1/telemetry", body: body)
        let badRules = try await server.request("/v1/telemetry", body: #"{"text": \#(jsonString(csv)), "pool": \#(Self.pool), "rules": "nonsense_key: 3"}"#)
        let rulesWithoutPool = try await server.request("/v1/telemetry", body: #"{"text": \#(jsonString(csv)), "rules": "{}"}"#)
        try await server.stop()
        #expect(reply.status == 200, "\(reply.body)")
        #expect((reply.json["states"] as? [String: String])?["h1"] == "healthy", "\(reply.body)")
        #expect(reply.json["events"] is [Any], "\(reply.body)")
        #expect(badRules.status == 400 && badRules.errorFields == ["rules"], "\(badRules.body)")
        #expect(rulesWithoutPool.status == 400 && rulesWithoutPool.errorFields == ["pool"], "\(rulesWithoutPool.body)")
    }
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
