import Foundation
import GPUPoolDomain
import GPUPoolMonitoring
import GPUPoolTelemetry
import GPUPoolPlanner
import OpenAPIRuntime

extension APIHandler {
    /// Most issue lines echoed back; the count is always complete.
    static let maxIssuesReported = 100

    func telemetry(_ input: Operations.telemetry.Input) async throws -> Operations.telemetry.Output {
        let format = input.query.format.flatMap { TelemetryFormat(rawValue: $0.rawValue) } ?? .auto
        var node = input.query.node ?? "node"
        let text: [UInt8]
        var health: TelemetryHealth?
        switch input.body {
        case .plainText:
            text = try bodyBytes()
        case let .json(body):
            text = Array(body.text.utf8)
            if let given = body.node { node = given }
            if let pool = body.pool {
                health = try TelemetryHealth(pool: pool, rules: body.rules, plan: body.plan)
            } else if body.rules != nil || body.plan != nil {
                throw APIError.badRequest(field: "pool", "rules and plan need a pool")
            }
        }
        let result = TelemetryParser(format: format).parse(Data(text))
        if !text.isEmpty && result.records.isEmpty && !result.issues.isEmpty {
            let details = result.issues.prefix(Self.maxIssuesReported).map { APIError.Detail(field: "body:\($0.line)", message: $0.message) }
            throw APIError.badRequest("body: no telemetry reading could be parsed", details: Array(details))
        }
        var events: [OpenAPIObjectContainer]?
        var states: Components.Schemas.TelemetryResult.statesPayload?
        if let health {
            let now = Date().timeIntervalSince1970
            let samples = result.records.compactMap { $0.sample(node: node, fallbackTimestamp: now) }
            let (found, finalStates) = health.run(samples)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            events = try found.map { try Self.container(fromJSON: try encoder.encode($0)) }
            states = .init(additionalProperties: finalStates)
        }
        return .ok(.init(body: .json(.init(
            accepted: result.records.count,
            skipped: result.issues.count,
            lines: result.lineCount,
            formats: result.formats.map(\.rawValue).sorted(),
            issues: result.issues.prefix(Self.maxIssuesReported).map(\.description),
            events: events,
            states: states
        ))))
    }
}

/// The health policy applied to one request's readings (stateless: a fresh monitor per request).
struct TelemetryHealth {
    var monitor: HealthMonitor

    init(pool value: OpenAPIValueContainer, rules: String?, plan: OpenAPIObjectContainer?) throws(APIError) {
        let document = try PlanRequestParts.document(value, field: "pool")
        let pool: Pool
        do { pool = try PoolFile.parse(text: document.text, fileName: "pool", format: document.format) } catch {
            throw PlanRequestParts.problems(error, field: "pool")
        }
        var parsedRules = HealthRules()
        if let rules {
            do { parsedRules = try HealthRules.parse(yaml: rules, fileName: "rules") } catch {
                throw APIError.badRequest(field: "rules", error.description)
            }
        }
        monitor = HealthMonitor(rules: parsedRules, pool: pool)
        if let plan {
            do { monitor.setAllocations(from: try Plan.decode(try APIHandler.jsonObject(plan))) } catch {
                throw APIError.badRequest(field: "plan", String(describing: error))
            }
        }
    }

    /// Feeds the samples in order; returns the events and each node's final state.
    func run(_ samples: [TelemetrySample]) -> ([HealthEvent], [String: String]) {
        var monitor = self.monitor
        let events = monitor.ingest(samples)
        var states: [String: String] = [:]
        for (node, state) in monitor.states { states[node] = state.rawValue }
        return (events, states)
    }
}
