import GPUPoolModel

extension Solver {
    static func heuristic(_ program: LinearProgram, options: SolveOptions) throws(SolverError) -> Solution {
        throw .unavailable("the general 0-1 heuristic is being wired in")
    }

    static func automatic(_ program: LinearProgram, options: SolveOptions) throws(SolverError) -> Solution {
        try exact(program, options: options)
    }
}
