import Testing
@testable import GPUPoolHeuristics

@Suite("Assignment heuristics")
struct HeuristicTests {
    static let methods = AssignmentHeuristic.Method.allCases

    @Test(arguments: 0..<12)
    func tabuMatchesBruteForceOnTinyInstances(seed: Int) throws {
        let sense: AssignmentSense = seed % 2 == 0 ? .minimize : .maximize
        let p = try tinyProblem(seed: UInt64(seed), items: 6 + seed % 2, bins: 3, dimensions: 1 + seed % 2, sense: sense)
        let optimum = bruteForceOptimum(p)
        let result = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 3000, seed: 1).solve(p)
        #expect(p.check(result.assignment).filter { if case .mandatoryUnassigned = $0 { false } else { true } }.isEmpty)
        guard let optimum else {
            #expect(!result.feasible, "no feasible assignment exists")
            return
        }
        #expect(result.feasible)
        #expect(abs(result.objective - optimum) < 1e-9, "heuristic \(result.objective), brute force \(optimum)")
        if let bound = result.bound {
            #expect(sense == .minimize ? bound <= optimum + 1e-6 : bound >= optimum - 1e-6, "the bound must be valid")
        }
        if result.provenOptimal { #expect(abs(result.objective - optimum) < 1e-9) }
    }

    @Test(arguments: 0..<6)
    func everyMethodIsWithinSenseOfTheBruteForceOptimum(seed: Int) throws {
        let p = try tinyProblem(seed: UInt64(100 + seed), items: 7, bins: 3, dimensions: 2, sense: .minimize)
        let optimum = bruteForceOptimum(p)
        for method in Self.methods {
            let result = AssignmentHeuristic(method: method, timeLimit: nil, iterationLimit: 500, seed: 3).solve(p)
            #expect(result.name == method.rawValue)
            if result.feasible, let optimum {
                #expect(result.objective >= optimum - 1e-9, "\(method) beat the optimum: wrong objective or checker")
            }
            if optimum == nil { #expect(!result.feasible) }
        }
    }

    @Test(arguments: GAPInstanceType.allCases)
    func neverInfeasibleOnRandomFeasibleInstances(type: GAPInstanceType) throws {
        for (index, dimensions) in [1, 2].enumerated() {
            let p = try AssignmentProblem.random(
                items: 40, bins: 6, type: type, dimensions: dimensions, seed: UInt64(7 + index),
                eligibleFraction: index == 0 ? 1 : 0.6, optionalFraction: index == 0 ? 0 : 0.2, ensureFeasible: true)
            for method in Self.methods {
                let result = AssignmentHeuristic(method: method, timeLimit: nil, iterationLimit: 400, seed: 5).solve(p)
                // Capacity and eligibility always hold; the searches must also place every mandatory item.
                let broken = p.check(result.assignment).filter {
                    if case .mandatoryUnassigned = $0 { return false } else { return true }
                }
                #expect(broken.isEmpty, "\(method) on \(p.name ?? "")")
                #expect(abs(result.objective - p.objective(of: result.assignment)) < 1e-9)
                if method == .tabu || method == .localSearch {
                    #expect(result.feasible, "\(method) on \(p.name ?? "")")
                }
                #expect(result.feasible == p.check(result.assignment).isEmpty)
            }
        }
    }

    @Test func sameSeedGivesSameAnswer() throws {
        let p = try AssignmentProblem.random(items: 60, bins: 8, type: .d, seed: 11)
        let a = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 300, seed: 99).solve(p)
        let b = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 300, seed: 99).solve(p)
        #expect(a.assignment == b.assignment && a.objective == b.objective && a.iterations == b.iterations)
        #expect(!a.stoppedByTimeLimit)
    }

    @Test func tabuImprovesOnTheConstructions() throws {
        let p = try AssignmentProblem.random(items: 60, bins: 6, type: .c, seed: 4)
        let regret = AssignmentHeuristic(method: .regret).solve(p)
        let tabu = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 1500, seed: 1).solve(p)
        #expect(tabu.feasible && regret.feasible)
        #expect(tabu.objective <= regret.objective)
        let bound = try #require(tabu.bound)
        #expect(bound <= tabu.objective)
        #expect((tabu.objective - bound) / bound < 0.05, "tabu within 5 % of the Lagrangian bound")
    }

    @Test func reportsUnplaceableItemsWithReasons() throws {
        // Item 0 fits nowhere (too large), item 1 is eligible nowhere, items 2 and 3 compete for one slot.
        let p = try AssignmentProblem(
            sense: .minimize, costs: [[1, 1, 1, 1], [1, 1, 1, 1]],
            demands: [[[9, 1, 3, 3], [9, 1, 3, 3]]], capacities: [[5, 3]],
            eligible: [[true, false, true, true], [true, false, false, false]])
        for method in Self.methods {
            let result = AssignmentHeuristic(method: method, timeLimit: nil, iterationLimit: 200, seed: 1).solve(p)
            #expect(!result.feasible)
            let reasons = Dictionary(uniqueKeysWithValues: result.unplaced.map { ($0.item, $0.reason) })
            #expect(reasons[0] == .tooLargeForEveryEligibleBin, "\(method)")
            #expect(reasons[1] == .noEligibleBin, "\(method)")
            #expect(reasons[2] == .capacityExhausted || reasons[3] == .capacityExhausted, "\(method)")
            #expect(result.assignment[2] == 0 || result.assignment[3] == 0, "one of the two gets the slot")
            #expect(p.check(result.assignment).allSatisfy {
                if case .mandatoryUnassigned = $0 { return true } else { return false }
            })
            #expect(result.bound == nil)
        }
    }

    @Test func optionalItemsStayOutWhenCheaper() throws {
        // Minimising: item 0 costs 10 anywhere but only 2 to leave out; item 1 costs 1.
        let p = try AssignmentProblem(
            sense: .minimize, costs: [[10, 1]], demands: [[[1, 1]]], capacities: [[5]],
            unassignedPenalties: [2, 50])
        let result = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 50).solve(p)
        #expect(result.assignment.bins == [nil, 0])
        #expect(result.objective == 3)
        #expect(result.unplaced == [UnplacedItem(item: 0, reason: .leftOutByChoice)])
        #expect(result.feasible)
    }

    @Test func warmStartKeepsWhatStillFits() throws {
        let p = try AssignmentProblem.random(items: 30, bins: 5, type: .c, seed: 21, ensureFeasible: true)
        let first = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 300, seed: 2).solve(p)
        #expect(first.feasible)
        // Re-plan from the previous answer: the local search has nothing better to find than at least that.
        let again = AssignmentHeuristic(
            method: .localSearch, timeLimit: nil, iterationLimit: 20, initialAssignment: first.assignment
        ).solve(p)
        #expect(again.feasible && again.objective <= first.objective)
        // A broken warm start (wrong bins, out of range) is repaired, not trusted.
        var broken = first.assignment
        broken[0] = 99
        broken[1] = -3
        let repaired = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 200, initialAssignment: broken).solve(p)
        #expect(repaired.feasible)
        let wrongLength = AssignmentHeuristic(method: .bestFit, initialAssignment: Assignment(bins: [0])).solve(p)
        #expect(p.check(wrongLength.assignment).allSatisfy { if case .mandatoryUnassigned = $0 { true } else { false } })
    }

    @Test func emptyAndDegenerateProblems() throws {
        let empty = try AssignmentProblem(
            flatName: nil, sense: .minimize, itemCount: 0, binCount: 0, dimensionCount: 0, costs: [], demands: [], capacities: [])
        for method in Self.methods {
            let r = AssignmentHeuristic(method: method, timeLimit: nil, iterationLimit: 10).solve(empty)
            #expect(r.feasible && r.assignment.bins.isEmpty && r.objective == 0)
        }
        let noBins = try AssignmentProblem(
            flatName: nil, sense: .minimize, itemCount: 2, binCount: 0, dimensionCount: 1, costs: [], demands: [], capacities: [])
        let r = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 10).solve(noBins)
        #expect(!r.feasible && r.unplaced.map(\.reason) == [.noEligibleBin, .noEligibleBin])
        // A zero time limit still returns a verified (constructed) assignment.
        let p = try AssignmentProblem.random(items: 20, bins: 3, seed: 1, ensureFeasible: true)
        let zeroTime = AssignmentHeuristic(method: .tabu, timeLimit: 0).solve(p)
        #expect(zeroTime.stoppedByTimeLimit)
        #expect(zeroTime.feasible == p.check(zeroTime.assignment).isEmpty)
        #expect(!p.check(zeroTime.assignment).contains { if case .capacityExceeded = $0 { true } else { false } })
    }
}
