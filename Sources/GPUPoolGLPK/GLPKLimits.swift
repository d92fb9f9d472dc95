import GPUPoolModel

/// GLPK's size limits (`prob.h`: at most 100 000 000 rows or columns and 500 000 000 nonzeros;
/// beyond them GLPK aborts). All are below `Int32.max`, GLPK's index type.
enum GLPKLimits {
    static let maximumRows = 100_000_000
    static let maximumColumns = 100_000_000
    static let maximumNonzeros = 500_000_000

    /// Validates `program` and checks it fits GLPK.
    static func check(_ program: LinearProgram) throws(SolverError) {
        do {
            try program.validate()
        } catch {
            throw .invalidModel(error)
        }
        let issues = problems(rows: program.rowCount, columns: program.columnCount, nonzeros: program.matrix.nonzeroCount)
        if !issues.isEmpty { throw .invalidModel(ModelValidationError(issues: issues)) }
    }

    /// What exceeds GLPK's limits in a program of this size (empty when it fits).
    static func problems(rows: Int, columns: Int, nonzeros: Int) -> [ModelIssue] {
        var issues: [ModelIssue] = []
        if rows > maximumRows {
            issues.append(ModelIssue(.model, "\(rows) rows: GLPK takes at most \(maximumRows)"))
        }
        if columns > maximumColumns {
            issues.append(ModelIssue(.model, "\(columns) columns: GLPK takes at most \(maximumColumns)"))
        }
        if nonzeros > maximumNonzeros {
            issues.append(ModelIssue(.model, "\(nonzeros) nonzeros: GLPK takes at most \(maximumNonzeros)"))
        }
        return issues
    }
}
