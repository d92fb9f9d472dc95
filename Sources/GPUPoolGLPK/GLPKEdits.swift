#if GLPK
import CGLPK
import GPUPoolModel

/// Hands checked ``ProgramEdit``s to a persistent GLPK model: a run of bound, cost or matrix-entry
/// edits of one kind goes in one C call.
enum GLPKEdits {
    /// Applies `edits` (already checked against the program) in order.
    /// - Returns: `false` when a call failed; the model may then be half edited or lost, and the
    ///   caller reloads it.
    static func apply(_ edits: [ProgramEdit], to model: OpaquePointer) -> Bool {
        var k = 0
        while k < edits.count {
            let ok: Bool
            switch edits[k] {
            case .columnBounds:
                var indices: [Int32] = [], lower: [Double] = [], upper: [Double] = []
                while k < edits.count, case let .columnBounds(j, l, u) = edits[k] {
                    indices.append(Int32(j)); lower.append(l); upper.append(u); k += 1
                }
                ok = call { cglpk_model_set_column_bounds(model, Int32(indices.count), indices, lower, upper, $0) }
            case .rowBounds:
                var indices: [Int32] = [], lower: [Double] = [], upper: [Double] = []
                while k < edits.count, case let .rowBounds(i, l, u) = edits[k] {
                    indices.append(Int32(i)); lower.append(l); upper.append(u); k += 1
                }
                ok = call { cglpk_model_set_row_bounds(model, Int32(indices.count), indices, lower, upper, $0) }
            case .objectiveCoefficient, .objectiveConstant:
                var indices: [Int32] = [], values: [Double] = []
                while k < edits.count {
                    if case let .objectiveCoefficient(j, value) = edits[k] {
                        indices.append(Int32(j)); values.append(value)
                    } else if case let .objectiveConstant(value) = edits[k] {
                        indices.append(-1); values.append(value)
                    } else {
                        break
                    }
                    k += 1
                }
                ok = call { cglpk_model_set_objective(model, Int32(indices.count), indices, values, $0) }
            case let .sense(sense):
                k += 1
                ok = call { cglpk_model_set_sense(model, sense == .maximize ? 1 : 0, $0) }
            case .integrality:
                var indices: [Int32] = [], flags: [Bool] = []
                while k < edits.count, case let .integrality(j, integral) = edits[k] {
                    indices.append(Int32(j)); flags.append(integral); k += 1
                }
                ok = call { cglpk_model_set_integer(model, Int32(indices.count), indices, flags, $0) }
            case .coefficient:
                var rows: [Int32] = [], columns: [Int32] = [], values: [Double] = []
                while k < edits.count, case let .coefficient(i, j, value) = edits[k] {
                    rows.append(Int32(i)); columns.append(Int32(j)); values.append(value); k += 1
                }
                ok = call { cglpk_model_set_coefficients(model, Int32(rows.count), rows, columns, values, $0) }
            case .addRow:
                var lower: [Double] = [], upper: [Double] = [], starts = [0], columns: [Int32] = [], values: [Double] = []
                while k < edits.count, case let .addRow(row) = edits[k] {
                    lower.append(row.lower); upper.append(row.upper)
                    for (j, value) in zip(row.columns, row.values) where value != 0 {
                        columns.append(Int32(j)); values.append(value)
                    }
                    starts.append(columns.count)
                    k += 1
                }
                ok = call { cglpk_model_add_rows(model, Int32(lower.count), lower, upper, starts, columns, values, $0) }
            case .addColumn:
                var objective: [Double] = [], lower: [Double] = [], upper: [Double] = [], integral: [Bool] = []
                var starts = [0], rows: [Int32] = [], values: [Double] = []
                while k < edits.count, case let .addColumn(column) = edits[k] {
                    objective.append(column.objective); lower.append(column.lower); upper.append(column.upper)
                    integral.append(column.isInteger)
                    for (i, value) in zip(column.rows, column.values) where value != 0 {
                        rows.append(Int32(i)); values.append(value)
                    }
                    starts.append(rows.count)
                    k += 1
                }
                ok = call {
                    cglpk_model_add_columns(model, Int32(objective.count), objective, lower, upper, integral, starts, rows, values, $0)
                }
            case let .deleteRows(indices):
                k += 1
                let list = indices.map { Int32($0) }
                ok = call { cglpk_model_delete_rows(model, Int32(list.count), list, $0) }
            case let .deleteColumns(indices):
                k += 1
                let list = indices.map { Int32($0) }
                ok = call { cglpk_model_delete_columns(model, Int32(list.count), list, $0) }
            }
            if !ok { return false }
        }
        return true
    }

    /// Runs one edit call; frees what it logged.
    private static func call(_ body: (UnsafeMutablePointer<cglpk_result>) -> Int32) -> Bool {
        var result = cglpk_result()
        let code = body(&result)
        cglpk_free(result.log)
        return code == Int32(CGLPK_OK)
    }
}
#endif
