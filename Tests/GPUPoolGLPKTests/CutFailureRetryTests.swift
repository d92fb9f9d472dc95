import GPUPoolFormats
import GPUPoolModel
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// GLPK 5.0's cut generator stops with `glp_add_cols: ncs = 0` on COIN-OR's tp3–tp5 (`glpsol --cuts`
/// fails the same way); plain GLPK solves them to 155, 0 and 0. The solver retries without cuts.
///
/// The three models are COIN-OR's `Data/Sample` files `tp3.mps`, `tp4.mps`, `tp5.mps`
/// (https://github.com/coin-or-tools/Data-Sample, commit a75e56d, EPL-2.0), copied unchanged.
@Suite("A failing cut generator is retried without cuts")
struct CutFailureRetryTests {
    @Test(arguments: [("tp3", 155.0), ("tp4", 0.0), ("tp5", 0.0)])
    func solvesWhatThePlainBranchAndCutSolves(name: String, optimum: Double) throws {
        let text = try #require(COINSample.models[name])
        let program = try MPSReader(dialect: .fixed).read(Array(text.utf8), file: "\(name).mps").model.lowered()
        let solution = try GLPKSolver().solve(program, options: SolveOptions(method: .mip, timeLimit: 30, cuts: true))
        #expect(solution.termination == .optimal, "\(name): \(solution.termination) \(solution.message ?? "")")
        #expect(abs((solution.objective ?? .nan) - optimum) <= 1e-6, "\(name): \(String(describing: solution.objective))")
        #expect(solution.message?.contains("solved again without cuts") == true, "\(name): \(solution.message ?? "no message")")
    }

    @Test func withoutCutsThereIsNothingToRetry() throws {
        let text = try #require(COINSample.models["tp4"])
        let program = try MPSReader(dialect: .fixed).read(Array(text.utf8), file: "tp4.mps").model.lowered()
        let solution = try GLPKSolver().solve(program, options: SolveOptions(method: .mip, timeLimit: 30, cuts: false))
        #expect(solution.termination == .optimal)
        #expect(solution.message?.contains("solved again") != true)
    }
}

/// COIN-OR Data/Sample models (see the suite's comment for the source).
enum COINSample {
    static let models: [String: String] = [
        "tp3": #"""
*
* small test problem derived from P0548
*
NAME          tp3                
ROWS                                
 N  R1001                           
 L  R1006                           
 G  ROWA                            
 G  ROWB                            
COLUMNS                             
    SET00001  'MARKER'                 'INTORG'              
    C1045     R1001       155.000000
    C1045     R1006       161.000000
    C1045     ROWA          1.000000
    C1047     R1006      -120.000000
    C1050     R1006       -68.000000
    C1050     ROWB          1.000000
RHS                                 
    RHS       R1006        -5.000000
    RHS       ROWA          0.627000
    RHS       ROWB          0.380000
BOUNDS                              
 BV ONE       C1045         1.000000
 BV ONE       C1047         1.000000
 BV ONE       C1050         1.000000
ENDATA                              
"""#,
        "tp4": #"""
*
* small test problem - tp4.mps
*
* knapsack problem where lifted greedy cover cut
* moves lp objective function value
*
NAME          tp4
ROWS                                
 N  obj
 L  knap
 G  r1
 G  r2
 G  r3
COLUMNS                             
    SET00001  'MARKER'                 'INTORG'              
    x1        knap          8.000000
    x1        r1            1.000000
    x2        knap          7.000000
    x2        r2            1.000000
    x3        knap          6.000000
    x3        r3            1.000000
    x4        knap          4.000000
    x4        obj          -1.000000
    x5        knap          6.000000
    x5        obj        -100.000000
    x6        knap         13.500000
    x6        obj        -100.000000
RHS                                 
    RHS       knap         22.000000
    RHS       r1            0.001000
    RHS       r2            0.001000
    RHS       r3            0.001000
BOUNDS                              
 BV ONE       x1            1.000000
 BV ONE       x2            1.000000
 BV ONE       x3            1.000000
 BV ONE       x4            1.000000
 BV ONE       x5            1.000000
 BV ONE       x6            1.000000
ENDATA                              
"""#,
        "tp5": #"""
*
* small test problem - tp5.mps
*
* knapsack problem where the greedy cover cut
* approach leads to a violated min. cover
*
NAME          tp5
ROWS                                
 N  obj
 L  knap
 G  r1
 G  r2
 G  r3
COLUMNS                             
    SET00001  'MARKER'                 'INTORG'              
    x1        knap          8.000000
    x1        r1            1.000000
    x2        knap          7.000000
    x2        r2            1.000000
    x3        knap          6.000000
    x3        r3            1.000000
    x4        knap          4.000000
    x4        obj          -1.000000
    x5        knap          6.000000
    x5        obj        -100.000000
    x6        knap         13.500000
    x6        obj         -10.000000
RHS                                 
    RHS       knap         22.000000
    RHS       r1            0.900000
    RHS       r2            0.900000
    RHS       r3            0.900000
BOUNDS                              
 BV ONE       x1            1.000000
 BV ONE       x2            1.000000
 BV ONE       x3            1.000000
 BV ONE       x4            1.000000
 BV ONE       x5            1.000000
 BV ONE       x6            1.000000
ENDATA                              
"""#,
    ]
}
#endif
