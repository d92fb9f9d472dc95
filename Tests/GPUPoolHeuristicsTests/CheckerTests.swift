import Testing
@testable import GPUPoolHeuristics

@Suite("Checker and objective")
struct CheckerTests {
    /// 3 items, 2 bins, 2 dimensions; item 2 optional (penalty 7); item 0 not eligible for bin 1.
    func problem(_ sense: AssignmentSense = .minimize) throws -> AssignmentProblem {
        try AssignmentProblem(
            sense: sense, costs: [[1, 2, 3], [4, 5, 6]],
            demands: [[[5, 5, 5], [5, 5, 5]], [[1, 1, 1], [1, 1, 1]]],
            capacities: [[10, 5], [10, 10]], eligible: [[true, true, true], [false, true, true]],
            unassignedPenalties: [nil, nil, 7])
    }

    @Test func feasibleAssignmentHasNoViolations() throws {
        let p = try problem()
        #expect(p.check(Assignment(bins: [0, 1, nil])).isEmpty)
        #expect(p.objective(of: Assignment(bins: [0, 1, nil])) == 1 + 5 + 7)
        #expect(try problem(.maximize).objective(of: Assignment(bins: [0, 1, nil])) == 1 + 5 - 7)
    }

    @Test func catchesCapacityExcessPerBinAndDimension() throws {
        let violations = try problem().check(Assignment(bins: [0, 0, 0]))
        #expect(violations == [.capacityExceeded(bin: 0, dimension: 0, load: 15, capacity: 10)])
    }

    @Test func catchesIneligibleOutOfRangeMandatoryAndCount() throws {
        let p = try problem()
        #expect(p.check(Assignment(bins: [1, nil, 0])).contains(.ineligible(item: 0, bin: 1)))
        #expect(p.check(Assignment(bins: [1, nil, 0])).contains(.mandatoryUnassigned(item: 1)))
        #expect(p.check(Assignment(bins: [0, 2, nil])) == [.binOutOfRange(item: 1, bin: 2)])
        #expect(p.check(Assignment(bins: [0, -1, nil])) == [.binOutOfRange(item: 1, bin: -1)])
        #expect(p.check(Assignment(bins: [0, 1])) == [.wrongItemCount(expected: 3, found: 2)])
        #expect(Assignment(binIndices: [0, -1, 1]).bins == [0, nil, 1])
    }

    @Test func toleratesOnlyRoundingSizedExcess() throws {
        let p = try AssignmentProblem(sense: .minimize, costs: [[1, 1]], demands: [[0.1, 0.2]], capacities: [0.3])
        #expect(p.check(Assignment(bins: [0, 0])).isEmpty, "0.1 + 0.2 exceeds 0.3 only by rounding")
        let q = try AssignmentProblem(sense: .minimize, costs: [[1, 1]], demands: [[0.1, 0.2]], capacities: [0.2999])
        #expect(!q.check(Assignment(bins: [0, 0])).isEmpty)
    }
}
