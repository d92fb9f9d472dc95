import GPUPoolSupport
import Foundation
import GPUPoolFormats
import GPUPoolModel
import GPUPoolSolver

extension APIHandler {
    func solve(_ input: Operations.solve.Input) async throws -> Operations.solve.Output {
        let query = input.query
        let isJSON: Bool = if case .json = input.body { true } else { RequestBytes.isJSONModel }
        let (format, options) = try solveParameters(
            method: query.method?.rawValue, timeLimit: query.time_limit,
            limits: SolveLimits(gap: query.mip_gap, absoluteGap: query.absolute_gap, nodeLimit: query.node_limit, solutionLimit: query.solution_limit),
            format: query.format?.rawValue, isJSON: isJSON)
        let bytes = try bodyBytes()
        let outcome = try await onWorker { cancellation -> Result<SolveOutcome, APIError> in
            Result { () throws(APIError) -> SolveOutcome in
                try SolveRequest.run(bytes: bytes, format: format, options: options, cancellation: cancellation)
            }
        }
        let result = try outcome.get()
        metrics.recordSolve(method: options.method.rawValue, status: result.solution.termination.rawValue, seconds: result.solution.seconds)
        return .ok(.init(body: .json(try SolveRequest.result(program: result.program, solution: result.solution, warnings: result.warnings))))
    }

    /// The model format and solve options of a `/v1/solve` query (shared with `/v1/jobs`); the
    /// generated code has already checked the enumerations.
    func solveParameters(
        method: String?, timeLimit requested: Double?, limits: SolveLimits, format: String?, isJSON: Bool
    ) throws(APIError) -> (ModelFormat, SolveOptions) {
        let method = method.flatMap(SolveMethod.init(rawValue:)) ?? .auto
        let limit = try timeLimit(requested, field: "time_limit")
        for (field, gap) in [("mip_gap", limits.gap), ("absolute_gap", limits.absoluteGap)] {
            if let gap, !(gap >= 0) || !gap.isFinite {
                throw APIError.badRequest(field: field, "\(gap) must be a non-negative number")
            }
        }
        for (field, count) in [("node_limit", limits.nodeLimit), ("solution_limit", limits.solutionLimit)] {
            if let count, count < 1 { throw APIError.badRequest(field: field, "\(count) must be at least 1") }
        }
        let modelFormat: ModelFormat
        if isJSON {
            modelFormat = .json
        } else {
            switch format {
            case "fixed-mps": modelFormat = .fixedMPS
            case "lp": modelFormat = .lp
            default: modelFormat = .mps
            }
        }
        return (modelFormat, SolveOptions(method: method, timeLimit: limit, relativeGap: limits.gap, absoluteGap: limits.absoluteGap,
                                          nodeLimit: limits.nodeLimit, solutionLimit: limits.solutionLimit))
    }
}

/// The stopping rules of a `/v1/solve` or `/v1/jobs` query besides the time limit.
struct SolveLimits: Sendable {
    var gap: Double?
    var absoluteGap: Double?
    var nodeLimit: Int?
    var solutionLimit: Int?

    /// The query's values as text, for a job's fingerprint.
    var fingerprintParts: [String] {
        [gap.map { "\($0)" } ?? "", absoluteGap.map { "\($0)" } ?? "", nodeLimit.map { "\($0)" } ?? "", solutionLimit.map { "\($0)" } ?? ""]
    }
}

/// A read, lowered and solved model, with the reader's warnings.
struct SolveOutcome: Sendable {
    var program: LinearProgram
    var solution: Solution
    var warnings: [FormatWarning] = []
}

/// Reading and solving one `/v1/solve` body (runs on a worker thread).
enum SolveRequest {
    /// The file label used in error messages about the body.
    static let bodyLabel = "body"

    /// - Parameter cancellation: stops the solve from another thread (the request's task was
    ///   cancelled: its client hung up); the answer then has status `interrupted`.
    static func run(
        bytes: [UInt8], format: ModelFormat, options: SolveOptions, cancellation: SolveCancellation? = nil,
        progress: SolveProgress? = nil
    ) throws(APIError) -> SolveOutcome {
        try solve(read(bytes: bytes, format: format), options: options, cancellation: cancellation, progress: progress)
    }

    /// Reads the body; a malformed one is 400 naming its line or JSON path.
    static func read(bytes: [UInt8], format: ModelFormat) throws(APIError) -> ReadResult {
        do {
            return try ModelFile.decode(bytes, format: format, file: bodyLabel)
        } catch {
            let (field, message) = fieldAndMessage(of: error, format: format)
            throw APIError.badRequest(field: field, message)
        }
    }

    /// Lowers and solves a read body.
    static func solve(
        _ read: ReadResult, options: SolveOptions, cancellation: SolveCancellation? = nil, progress: SolveProgress? = nil
    ) throws(APIError) -> SolveOutcome {
        let program: LinearProgram
        do { program = try read.model.lowered() } catch {
            throw APIError.badRequest(field: "body", error.description)
        }
        do {
            return SolveOutcome(program: program, solution: try Solver.solve(program, options: options, cancellation: cancellation, progress: progress), warnings: read.warnings)
        } catch {
            switch error {
            case .invalidOptions: throw APIError.badRequest(field: "options", error.description)
            case .invalidModel: throw APIError.badRequest(field: "body", error.description)
            case .unavailable: throw APIError.badRequest(field: "method", error.description)
            }
        }
    }

    /// The field a format error is about and the message without it: the JSON path a JSON-format
    /// error starts with (`constraints[3].terms[1].variable: …`, taken off the message so the answer
    /// does not repeat it), else `body:LINE` for text formats.
    static func fieldAndMessage(of error: FormatError, format: ModelFormat) -> (field: String, message: String) {
        if format == .json, let colon = error.reason.range(of: ": ") {
            let head = error.reason[..<colon.lowerBound]
            if !head.isEmpty, !head.contains(" ") { return (String(head), String(error.reason[colon.upperBound...])) }
        }
        if let line = error.line { return ("\(bodyLabel):\(line)", error.reason) }
        return (bodyLabel, error.reason)
    }

    /// The object of `gpupool solve --json`: status, has_solution, objective, bound, gap,
    /// seconds, solver, message, warnings (the reader's, `{file, line, message}`), values
    /// (column name → value).
    static func result(program: LinearProgram, solution: Solution, warnings: [FormatWarning] = []) throws(APIError) -> Components.Schemas.SolveResult {
        var values: [String: Double] = [:]
        if solution.hasSolution {
            values.reserveCapacity(program.columnCount)
            for j in 0..<program.columnCount { values[program.columnName(j)] = finite(solution.values[j]) ?? 0 }
        }
        // The spec's enum is the domain's (a test keeps them equal).
        guard let status = Components.Schemas.TerminationStatus(rawValue: solution.termination.rawValue) else {
            throw APIError.internalError("internal error: the solve status \(solution.termination.rawValue) is not in /openapi.yaml")
        }
        var duals: Components.Schemas.SolveResult.dualsPayload?
        var reducedCosts: Components.Schemas.SolveResult.reduced_costsPayload?
        if let rows = solution.duals, let columns = solution.reducedCosts, rows.count == program.rowCount, columns.count == program.columnCount {
            duals = .init(additionalProperties: Dictionary((0..<program.rowCount).map { (program.rowName($0), finite(rows[$0]) ?? 0) }, uniquingKeysWith: { a, _ in a }))
            reducedCosts = .init(additionalProperties: Dictionary((0..<program.columnCount).map { (program.columnName($0), finite(columns[$0]) ?? 0) }, uniquingKeysWith: { a, _ in a }))
        }
        return .init(
            status: status,
            has_solution: solution.hasSolution,
            objective: solution.hasSolution ? finite(solution.objective) : nil,
            bound: finite(solution.bestBound),
            gap: solution.hasSolution ? finite(solution.relativeGap) : nil,
            seconds: finite(solution.seconds) ?? 0,
            solver: solution.solver,
            message: solution.message,
            warnings: warnings.map { .init(file: $0.file, line: $0.line, message: $0.message) },
            values: .init(additionalProperties: values),
            duals: duals,
            reduced_costs: reducedCosts
        )
    }

    private static func finite(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return value
    }
}
