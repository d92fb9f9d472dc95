import GPUPoolSupport
import Foundation
import GPUPoolHeuristics
import GPUPoolModel
import GPUPoolSolver

/// Measures a heuristic against known or exact optima on generalized-assignment problems
/// (OR-Library format), as `gpupool validate` does.
///
/// For each problem the heuristic runs; with ``exact`` the "auto" method (heuristic warm start +
/// GLPK branch-and-cut) and plain GLPK branch-and-cut run too. The heuristic's gap is taken to the
/// known optimum (best-known where not proven) or, without one, to an exact run's proven optimum.
public struct ValidationRun: Sendable {
    public var heuristic: AssignmentHeuristic
    /// Whether to run the auto method and plain GLPK too.
    public var exact: Bool
    /// Time limit of each exact run, in seconds.
    public var exactTimeLimit: Double
    /// Sense override for every file (default: by file name, gap1–12 max, gapa–d min).
    public var sense: AssignmentSense?
    /// Known optima to compare against.
    public var known: KnownOptima?

    public init(
        heuristic: AssignmentHeuristic = AssignmentHeuristic(), exact: Bool = false, exactTimeLimit: Double = 20,
        sense: AssignmentSense? = nil, known: KnownOptima? = nil
    ) {
        self.heuristic = heuristic
        self.exact = exact
        self.exactTimeLimit = exactTimeLimit
        self.sense = sense
        self.known = known
    }

    /// Reads every problem of every file. A file that cannot be read or parsed yields an error
    /// naming it (and the problem, where the parser knows it); the other files still load.
    public func loadProblems(files: [String]) -> (problems: [ValidationProblem], errors: [ValidationInputError]) {
        var problems: [ValidationProblem] = []
        var errors: [ValidationInputError] = []
        for file in files {
            guard FileManager.default.isReadableFile(atPath: file) else {
                errors.append(ValidationInputError(file: file, problem: nil, message: "no such readable file"))
                continue
            }
            do {
                let parsed = try GAPLibrary.read(contentsOf: URL(fileURLWithPath: file), sense: sense)
                for (k, p) in parsed.enumerated() { problems.append(ValidationProblem(file: file, index: k + 1, assignment: p)) }
            } catch {
                errors.append(ValidationInputError(file: file, problem: error.problem, message: "line \(error.line): \(error.message)"))
            }
        }
        return (problems, errors)
    }

    /// Validates one problem.
    /// - Throws: ``ValidationInputError`` when its known-optimum entry does not match the problem
    ///   (sense or size), or the exact solver cannot start.
    public func validate(_ item: ValidationProblem) throws(ValidationInputError) -> ValidationRecord {
        guard let p = item.assignment else {
            throw ValidationInputError(file: item.file, problem: item.index, message: "not an assignment problem: use ValidationSession for general programs")
        }
        let reference = try knownReference(for: item)
        let h = heuristic.solve(p)
        var record = ValidationRecord(
            instance: item.instance, family: KnownOptima.family(of: item.file), items: p.itemCount, bins: p.binCount,
            sense: p.sense == .maximize ? "max" : "min",
            heuristic: .init(name: h.name, objective: h.feasible ? h.objective : nil, seconds: h.seconds,
                             feasible: h.feasible, assignment: h.assignment.binIndices),
            known: reference
        )
        if exact {
            do throws(SolverError) {
                let limit = exactTimeLimit
                let auto = try AssignmentSolver.solve(p, method: .auto, heuristic: heuristic, timeLimit: limit)
                let glpk = try AssignmentSolver.solve(p, method: .mip, heuristic: heuristic, timeLimit: limit)
                record.auto = .init(status: auto.termination.rawValue, objective: auto.objective, bound: auto.bound, seconds: auto.seconds)
                record.glpk = .init(status: glpk.termination.rawValue, objective: glpk.objective, bound: glpk.bound, seconds: glpk.seconds)
            } catch {
                throw ValidationInputError(file: item.file, problem: item.index, message: error.description)
            }
        }
        let proven = [record.auto, record.glpk].compactMap { $0 }.first { $0.proven }?.objective
        if let target = reference ?? proven, h.feasible {
            record.gap = ValidationRecord.relativeGap(h.objective, reference: target, sense: p.sense)
        }
        return record
    }

    /// The known reference value of a GAP problem (`nil` without an entry, or for a general program).
    /// - Throws: ``ValidationInputError`` when the entry's sense or size does not match the problem.
    public func knownReference(for item: ValidationProblem) throws(ValidationInputError) -> Double? {
        guard let known, let entry = known[file: item.file, problem: item.index], let p = item.assignment else { return nil }
        func mismatch(_ what: String) -> ValidationInputError {
            ValidationInputError(file: item.file, problem: item.index, message: "known optimum \(item.instance) does not match the problem: \(what)")
        }
        if let m = entry.m, m != p.binCount { throw mismatch("\(m) agents in the known-optima file, \(p.binCount) in the problem") }
        if let n = entry.n, n != p.itemCount { throw mismatch("\(n) jobs in the known-optima file, \(p.itemCount) in the problem") }
        if let s = entry.sense {
            let expected = p.sense == .maximize ? "max" : "min"
            if s != expected { throw mismatch("sense \(s) in the known-optima file, \(expected) for the problem (use --sense)") }
        }
        guard entry.reference.isFinite else { throw mismatch("reference value is not a finite number") }
        return entry.reference
    }
}
