import GPUPoolCommandLine
import GPUPoolSupport
import Foundation
import GPUPoolFormats
import GPUPoolModel

/// How `gpupool solve` presents a solution: the JSON object of the CLI contract, or a summary.
struct SolutionReport {
    let program: LinearProgram
    let solution: Solution
    /// What the reader reported about the file (in the JSON object; stderr lines in text mode).
    var warnings: [FormatWarning] = []

    /// `{"status", "has_solution", "objective", "bound", "gap", "seconds", "solver", ["message",]
    /// "warnings", "values"[, "duals", "reduced_costs"]}` (the last two for LPs with duals); each warning is `{"file", "line", "message"}` (`line` null when the
    /// warning is about the whole file).
    var json: JSONText {
        var values: [(String, JSONText)] = []
        if solution.hasSolution {
            values.reserveCapacity(program.columnCount)
            for j in 0..<program.columnCount { values.append((program.columnName(j), .number(solution.values[j]))) }
        }
        var pairs: [(String, JSONText)] = [
            ("status", .string(solution.termination.rawValue)),
            ("has_solution", .bool(solution.hasSolution)),
            ("objective", .number(solution.hasSolution ? solution.objective : nil)),
            ("bound", .number(solution.bestBound)),
            ("gap", .number(solution.hasSolution ? solution.relativeGap : nil)),
            ("seconds", .number(solution.seconds)),
            ("solver", .string(solution.solver)),
        ]
        if let message = solution.message { pairs.append(("message", .string(message))) }
        pairs.append(("warnings", .array(warnings.map { w in
            .object([("file", .string(w.file)), ("line", w.line.map { .integer($0) } ?? .null), ("message", .string(w.message))])
        })))
        pairs.append(("values", .object(values)))
        // LPs solved to optimality by GLPK: row name → dual, column name → reduced cost.
        if let duals = solution.duals, let reduced = solution.reducedCosts, duals.count == program.rowCount, reduced.count == program.columnCount {
            pairs.append(("duals", .object((0..<program.rowCount).map { (program.rowName($0), .number(duals[$0])) })))
            pairs.append(("reduced_costs", .object((0..<program.columnCount).map { (program.columnName($0), .number(reduced[$0])) })))
        }
        return .object(pairs)
    }

    /// A readable summary: status, objective, bound, time, and the first nonzero values.
    var text: String {
        var lines: [String] = []
        let kind = program.hasIntegerColumns ? "MIP" : "LP"
        lines.append("model      \(program.name ?? "(unnamed)"): \(kind), \(program.columnCount) columns, \(program.rowCount) rows, \(program.matrix.nonzeroCount) nonzeros")
        lines.append("status     \(solution.termination.rawValue) (\(solution.primalStatus.rawValue))")
        if let o = solution.objective, solution.hasSolution { lines.append("objective  \(o)") }
        if let b = solution.bestBound { lines.append("bound      \(b)") }
        if let g = solution.relativeGap, solution.hasSolution { lines.append("gap        \(String(format: "%.4g", g * 100)) %") }
        lines.append("solver     \(solution.solver), \(String(format: "%.3f", solution.seconds)) s")
        if let message = solution.message { lines.append("note       \(message)") }
        if solution.hasSolution {
            let nonzero = (0..<program.columnCount).filter { solution.values[$0] != 0 }
            lines.append("values     \(nonzero.count) nonzero of \(program.columnCount)")
            for j in nonzero.prefix(20) { lines.append("  \(program.columnName(j)) = \(solution.values[j])") }
            if nonzero.count > 20 { lines.append("  … (use --json for all values)") }
        }
        return lines.joined(separator: "\n")
    }
}
