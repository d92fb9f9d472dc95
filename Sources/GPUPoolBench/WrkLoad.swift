import Foundation
import GPUPoolCommandLine
import GPUPoolSupport

/// The load generator of `gpupool-bench serve`: wrk (Debian's `wrk` package), run as a separate
/// process against the in-process server. One wrk thread drives every client connection; each
/// client is one keep-alive HTTP/1.1 connection with one request outstanding (closed loop).
///
/// A Lua script sets the POST body and, when wrk is done, prints one JSON line with the request
/// count, the errors and the latency percentiles from wrk's own histogram.
struct WrkLoad {
    /// What one wrk run measured.
    struct Outcome {
        var requests: Int
        /// Socket errors (connect, read, write, timeout) plus answers other than 2xx/3xx.
        var errors: Int
        var seconds: Double
        var p50: Double
        var p99: Double
    }

    let executable: URL
    let port: Int
    let path: String
    let body: String

    /// The wrk on `PATH`; the error says how to install it.
    static func find() throws -> URL {
        guard let wrk = ProcessRunner.onPath("wrk") else {
            throw InputError("bench serve needs wrk as its load generator: apt-get install wrk (Debian/Ubuntu) or brew install wrk")
        }
        return wrk
    }

    /// Runs `clients` connections for `seconds` (wrk counts whole seconds, at least 1); with
    /// `maxRequests`, the wrk thread stops after `clients × maxRequests` answers.
    func run(clients: Int, seconds: Int, maxRequests: Int?) throws -> Outcome {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-wrk-\(UUID().uuidString).lua")
        defer { try? FileManager.default.removeItem(at: script) }
        try Data(luaScript(limit: maxRequests.map { $0 * clients }).utf8).write(to: script)
        let result = try ProcessRunner.run(
            executable,
            ["-t1", "-c\(clients)", "-d\(max(1, seconds))s", "--timeout", "30s", "-s", script.path,
             "http://127.0.0.1:\(port)\(path)"])
        let text = result.stdout
        guard result.status == 0,
              let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{\"gpupool_wrk\"") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let requests = object["requests"] as? Int, let micros = object["duration_us"] as? Double
        else {
            throw InputError("bench serve: wrk failed (status \(result.status)): \(result.stderr.isEmpty ? text : result.stderr)")
        }
        let errors = (object["socket_errors"] as? Int ?? 0) + (object["status_errors"] as? Int ?? 0)
        return Outcome(requests: requests, errors: errors, seconds: micros / 1e6,
                       p50: (object["p50_us"] as? Double ?? .nan) / 1e6, p99: (object["p99_us"] as? Double ?? .nan) / 1e6)
    }

    private func luaScript(limit: Int?) -> String {
        var lua = """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.body = [==[\(body)]==]

            """
        if let limit {
            lua += """
                local answered = 0
                response = function(status, headers, body)
                  answered = answered + 1
                  if answered >= \(limit) then wrk.thread:stop() end
                end

                """
        }
        lua += """
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format('{"gpupool_wrk":1,"requests":%d,"duration_us":%d,"socket_errors":%d,"status_errors":%d,"p50_us":%.1f,"p99_us":%.1f}\\n',
                summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
                latency:percentile(50), latency:percentile(99)))
            end

            """
        return lua
    }
}
