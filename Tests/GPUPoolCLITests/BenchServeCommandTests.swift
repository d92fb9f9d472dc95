import Foundation
import GPUPoolTestSupport
import Testing

@Suite("gpupool bench serve", .enabled(if: BuildTraits.service, BuildTraits.needsService))
struct BenchServeCommandTests {
    /// wrk is the load generator (.ci/run installs it): without it this test skips with a message, as
    /// .ci/run promises, instead of failing on a machine that lacks it.
    static let wrkInstalled = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/wrk") }

    @Test("a short run answers every request and reports latency and CPU per request", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK),
          .enabled(if: wrkInstalled, "wrk is not installed (apt-get install wrk)"))
    func shortRun() throws {
        let out = try CLIRunner.bench(["serve", "--clients", "1,4", "--seconds", "1", "--workloads", "lp", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        #expect(results.map { $0["clients"] as? Int } == [1, 4])
        for result in results {
            #expect(result["errors"] as? Int == 0, "\(result)")
            #expect((result["requests"] as? Int ?? 0) > 0, "\(result)")
            let p50 = try #require(result["p50_ms"] as? Double), p99 = try #require(result["p99_ms"] as? Double)
            #expect(p50 > 0 && p50 <= p99, "\(result)")
            #expect((result["cpu_us_per_request"] as? Double ?? 0) > 0, "\(result)")
        }
        #expect(report["io_threads"] as? Int == 1)
    }

    @Test("bad options are named", arguments: [
        (["--clients", "0"], "--clients 0"), (["--seconds", "-1"], "--seconds"), (["--workloads", "lp,nope"], "unknown nope"),
        (["--io-threads", "0"], "io-threads 0"),
    ])
    func badOptions(arguments: [String], fragment: String) throws {
        let out = try CLIRunner.bench(["serve"] + arguments)
        #expect(out.status == 2)
        #expect(out.stderr.contains(fragment), "\(out.stderr)")
    }
}
