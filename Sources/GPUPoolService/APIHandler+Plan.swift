import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import OpenAPIRuntime

extension APIHandler {
    func plan(_ input: Operations.plan.Input) async throws -> Operations.plan.Output {
        guard case let .json(body) = input.body else { throw APIError.badRequest(field: "body", "expected application/json") }
        try NullMembers.refuse(members: ["policy", "method", "time_limit", "partitions", "seed", "current"])
        let options = try plannerOptions(body)
        let poolDocument = try PlanRequestParts.document(body.pool, field: "pool")
        let jobsDocument = try PlanRequestParts.document(body.jobs, field: "jobs")
        let current = try previousPlan(body.current)
        let outcome = try await onWorker { _ -> Result<Data, APIError> in
            Result { () throws(APIError) -> Data in
                try PlanRequestParts.run(pool: poolDocument, jobs: jobsDocument, current: current, options: options)
            }
        }
        let data = try outcome.get()
        return .ok(.init(body: .json(try Self.typed(Components.Schemas.Plan.self, fromJSON: data, what: "plan"))))
    }

    func previousPlan(_ value: OpenAPIObjectContainer?) throws(APIError) -> Plan? {
        guard let value else { return nil }
        do { return try Plan.decode(try Self.jsonObject(value)) } catch {
            throw APIError.badRequest(field: "current", String(describing: error))
        }
    }

    func plannerOptions(_ body: Components.Schemas.PlanRequest) throws(APIError) -> PlannerOptions {
        var options = PlannerOptions()
        if let method = body.method { options.method = PlanningMethod(rawValue: method.rawValue) ?? .auto }
        options.timeLimit = try timeLimit(body.time_limit ?? min(30, configuration.maxTimeLimit), field: "time_limit")
        if let partitions = body.partitions {
            guard (1...1024).contains(partitions) else { throw APIError.badRequest(field: "partitions", "\(partitions) must be between 1 and 1024") }
            options.partitions = partitions
        }
        if let seed = body.seed {
            guard seed >= 0 else { throw APIError.badRequest(field: "seed", "\(seed) must be non-negative") }
            options.seed = UInt64(seed)
        }
        if let policy = body.policy {
            do { options.policies = try PlanningPolicy.list(policy) } catch {
                throw APIError.badRequest(field: "policy", error.description)
            }
        }
        return options
    }
}

/// Pool and workload documents of a `/v1/plan` request, and the planning itself (on a worker).
enum PlanRequestParts {
    /// A document given as text (YAML or JSON) or as a JSON object.
    struct Document: Sendable {
        var name: String
        var text: String
        var format: DocumentFormat
    }

    static func document(_ value: Components.Schemas.Document, field: String) throws(APIError) -> Document {
        switch value {
        case .case1(let text): return document(text: text, field: field)
        case .DocumentObject(let object): return try document(object: object, field: field)
        }
    }

    /// A document given as the text of a YAML or JSON file.
    static func document(text: String, field: String) -> Document {
        let trimmed = text.drop { $0.isWhitespace }
        return Document(name: field, text: text, format: trimmed.first == "{" ? .json : .yaml)
    }

    /// A document given as a JSON object.
    static func document(object value: OpenAPIObjectContainer, field: String) throws(APIError) -> Document {
        do {
            let data = try APIHandler.jsonObject(value)
            return Document(name: field, text: String(decoding: data, as: UTF8.self), format: .json)
        } catch {
            throw APIError.badRequest(field: field, "cannot be re-encoded as JSON: \(error)")
        }
    }

    /// Problems of a pool or workload document, each naming its item (and line for text).
    static func problems(_ error: any Error, field: String) -> APIError {
        guard let domain = error as? DomainError else { return .badRequest(field: field, String(describing: error)) }
        let details = domain.problems.map { p in
            APIError.Detail(field: "\(field)\(p.line.map { ":\($0)" } ?? ""): \(p.item)", message: p.message)
        }
        return .badRequest("\(field): \(domain.problems.first?.description ?? "invalid")", details: details)
    }

    static func run(pool: Document, jobs: Document, current: Plan?, options: PlannerOptions) throws(APIError) -> Data {
        let parsedPool: Pool
        do { parsedPool = try PoolFile.parse(text: pool.text, fileName: pool.name, format: pool.format) } catch {
            throw problems(error, field: "pool")
        }
        let workload: Workload
        do { workload = try WorkloadFile.parse(text: jobs.text, fileName: jobs.name, format: jobs.format, against: parsedPool, requireFit: false) } catch {
            throw problems(error, field: "jobs")
        }
        let planner = Planner(options: options)
        let plan: Plan
        do {
            if let current {
                plan = try planner.replan(current: current, pool: parsedPool, workload: workload)
            } else {
                plan = try planner.plan(pool: parsedPool, workload: workload)
            }
        } catch {
            throw APIError.badRequest(field: nil, error.description)
        }
        let violations = PlanChecker.check(plan, pool: parsedPool, workload: workload)
        guard violations.isEmpty else {
            throw APIError.internalError("the plan failed the independent checker: \(violations.prefix(3).map { "\($0)" }.joined(separator: "; "))")
        }
        do { return try plan.jsonData(pretty: false) } catch {
            throw APIError.internalError("cannot encode the plan: \(error)")
        }
    }
}
