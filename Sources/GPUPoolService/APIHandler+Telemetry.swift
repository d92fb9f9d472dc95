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
        case .plainText, .binary:
            text = try bodyBytes()
        case let .json(body):
            try NullMembers.refuse(members: ["node", "pool", "rules", "plan"])
            guard !body.text.isEmpty else { throw APIError.badRequest(field: "text", "is empty; give the telemetry text") }
            text = Array(body.text.utf8)
            if let given = body.node { node = given }
            if let pool = body.pool {
                health = try TelemetryHealth(pool: pool, rules: body.rules, plan: body.plan)
            } else if body.rules != nil || body.plan != nil {
                throw APIError.badRequest(field: "pool", "rules and plan need a pool")
            }
        }
        // Parsing (up to --max-body of text) and the health policy run on a worker, like the other
        // work, so that a large body does not hold one of the few threads that serve requests.
        let reading = node, policy = health
        let outcome = try await onWorker { _ -> Result<Components.Schemas.TelemetryResult, APIError> in
            Result { () throws(APIError) -> Components.Schemas.TelemetryResult in
                try Self.readTelemetry(text, format: format, node: reading, health: policy)
            }
        }
        return .ok(.init(body: .json(try outcome.get())))
    }

    /// Parses the readings and runs the health policy over them when a pool was given.
    static func readTelemetry(_ text: [UInt8], format: TelemetryFormat, node: String, health: TelemetryHealth?) throws(APIError) -> Components.Schemas.TelemetryResult {
        let result = TelemetryParser(format: format).parse(Data(text))
        if !text.isEmpty && result.records.isEmpty && !result.issues.isEmpty {
            let details = result.issues.prefix(maxIssuesReported).map { APIError.Detail(field: "body:\($0.line)", message: $0.message) }
            throw APIError.badRequest("body: no telemetry reading could be parsed", details: Array(details))
        }
        var events: [Components.Schemas.HealthEvent]?
        var states: Components.Schemas.TelemetryResult.statesPayload?
        if let health {
            let now = Date().timeIntervalSince1970
            let samples = result.records.compactMap { $0.sample(node: node, fallbackTimestamp: now) }
            let (found, finalStates) = health.run(samples)
            events = try found.map { event throws(APIError) in try typed(Components.Schemas.HealthEvent.self, from: event, what: "health event") }
            states = .init(additionalProperties: try typed([String: Components.Schemas.HealthState].self, from: finalStates, what: "health state"))
        }
        let formats = try typed([Components.Schemas.TelemetryResult.formatsPayloadPayload].self,
                                from: result.formats.map(\.rawValue).sorted(), what: "telemetry format")
        return Components.Schemas.TelemetryResult(
            accepted: result.records.count,
            skipped: result.issues.count,
            lines: result.lineCount,
            formats: formats,
            issues: result.issues.prefix(maxIssuesReported).map(\.description),
            events: events,
            states: states
        )
    }
}

/// The health policy applied to one request's readings (stateless: a fresh monitor per request).
struct TelemetryHealth: Sendable {
    var monitor: HealthMonitor

    init(pool value: Components.Schemas.Document, rules: String?, plan: OpenAPIObjectContainer?) throws(APIError) {
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
