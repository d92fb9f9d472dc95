import GPUPoolSupport
import GPUPoolModel
import Testing

@testable import GPUPoolGLPK

/// The package's seeded generator, so that test models are the same on every run.
struct TestRandom {
    private var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { generator.nextInt(in: range) }
}

enum TestModels {
    /// max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 (optimum 36 at (2, 6), duals 0, 1.5, 1).
    static func wyndor() throws -> LinearProgram {
        var model = Model(name: "wyndor")
        let x = model.addVariable(name: "x")
        let y = model.addVariable(name: "y")
        model.addConstraint(1 * x <= 4, name: "plant1")
        model.addConstraint(2 * y <= 12, name: "plant2")
        model.addConstraint(3 * x + 2 * y <= 18, name: "plant3")
        model.maximize(3 * x + 5 * y)
        return try model.lowered()
    }

    /// A 0/1 knapsack: maximize Σ value·x subject to Σ weight·x ≤ capacity.
    static func knapsack(values: [Int], weights: [Int], capacity: Int) throws -> LinearProgram {
        var model = Model(name: "knapsack")
        let items = model.addVariables(count: values.count, kind: .binary, namePrefix: "take")
        let weight = LinearExpression(terms: zip(items, weights.map(Double.init)))
        model.addConstraint(weight <= Double(capacity), name: "capacity")
        model.maximize(LinearExpression(terms: zip(items, values.map(Double.init))))
        return try model.lowered()
    }

    /// The knapsack optimum by dynamic programming.
    static func knapsackOptimum(values: [Int], weights: [Int], capacity: Int) -> Int {
        var best = [Int](repeating: 0, count: capacity + 1)
        for (v, w) in zip(values, weights) where w <= capacity {
            for c in stride(from: capacity, through: w, by: -1) { best[c] = max(best[c], best[c - w] + v) }
        }
        return best[capacity]
    }

    static func randomKnapsack(seed: UInt64, items: Int = 30) -> (values: [Int], weights: [Int], capacity: Int) {
        var random = TestRandom(seed: seed)
        let weights = (0..<items).map { _ in random.int(5...60) }
        let values = weights.map { $0 + random.int(0...25) }
        return (values, weights, weights.reduce(0, +) / 2)
    }

    /// A market split instance (Cornuéjols–Dawande): rows Σ a·x = ⌊Σ a / 2⌋ over binaries, with
    /// slack so it is always feasible, minimizing the slack. Branch-and-cut needs very many nodes.
    static func marketSplit(seed: UInt64, rows: Int = 4, columns: Int = 30) throws -> LinearProgram {
        var random = TestRandom(seed: seed)
        var model = Model(name: "market-split")
        let x = model.addVariables(count: columns, kind: .binary, namePrefix: "x")
        var slackTotal = LinearExpression()
        for i in 0..<rows {
            let a = (0..<columns).map { _ in Double(random.int(0...99)) }
            let target = (a.reduce(0, +) / 2).rounded(.down)
            let plus = model.addVariable(name: "over\(i)")
            let minus = model.addVariable(name: "under\(i)")
            var row = LinearExpression(terms: zip(x, a))
            row.add(1, plus)
            row.add(-1, minus)
            model.addConstraint(row == target, name: "split\(i)")
            slackTotal.add(1, plus)
            slackTotal.add(1, minus)
        }
        model.minimize(slackTotal)
        return try model.lowered()
    }
}

/// Checks a reported point the way a user would: feasible and matching the reported objective.
func expectVerified(_ solution: Solution, _ program: LinearProgram, sourceLocation: SourceLocation = #_sourceLocation) {
    guard solution.primalStatus == .feasiblePoint else { return }
    let check = SolutionChecker.check(program, values: solution.values)
    #expect(check.isFeasible, "reported point violates \(check.violations.first.map(String.init(describing:)) ?? "")", sourceLocation: sourceLocation)
    if let objective = solution.objective {
        #expect(abs(check.objective - objective) <= 1e-6 * max(1, abs(objective)), sourceLocation: sourceLocation)
    }
}

func isClose(_ a: Double?, _ b: Double, relative: Double = 1e-6) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= relative * max(1, abs(b))
}
