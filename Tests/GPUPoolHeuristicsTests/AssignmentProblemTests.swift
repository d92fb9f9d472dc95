import Foundation
import Testing
@testable import GPUPoolHeuristics

@Suite("AssignmentProblem")
struct AssignmentProblemTests {
    @Test func buildsFromNestedArraysInItemMajorLayout() throws {
        let p = try AssignmentProblem(
            sense: .minimize, costs: [[1, 2, 3], [4, 5, 6]], demands: [[[1, 1, 1], [2, 2, 2]], [[7, 8, 9], [0, 0, 0]]],
            capacities: [[10, 20], [30, 40]], eligible: [[true, false, true], [true, true, true]],
            unassignedPenalties: [nil, 3, nil])
        #expect(p.itemCount == 3 && p.binCount == 2 && p.dimensionCount == 2)
        #expect(p.cost(item: 2, bin: 1) == 6)
        #expect(p.demand(item: 2, bin: 0, dimension: 1) == 9)
        #expect(p.capacity(bin: 1, dimension: 0) == 20)
        #expect(!p.isEligible(item: 1, bin: 0))
        #expect(p.cost(item: 1, bin: 0) == 0, "ineligible pairs are stored as 0")
        #expect(p.isMandatory(item: 0) && !p.isMandatory(item: 1))
        #expect(p.unassignedPenalty(item: 1) == 3)
    }

    @Test func rejectsNonFiniteCostNamingItemAndBin() {
        #expect {
            _ = try AssignmentProblem(sense: .minimize, costs: [[1, .nan]], demands: [[1, 1]], capacities: [5])
        } throws: { error in
            guard let error = error as? AssignmentProblemError,
                  case let .invalidValue(field, item, bin, _, _, _) = error else { return false }
            return field == "cost" && item == 1 && bin == 0 && error.description.contains("item 1")
        }
    }

    @Test func ignoresNonFiniteValuesOnIneligiblePairs() throws {
        let p = try AssignmentProblem(
            sense: .minimize, costs: [[1, .infinity]], demands: [[[1, .nan]]], capacities: [[5]],
            eligible: [[true, false]])
        #expect(p.cost(item: 1, bin: 0) == 0 && p.demand(item: 1, bin: 0, dimension: 0) == 0)
    }

    @Test func rejectsNegativeDemandAndCapacity() {
        #expect(throws: AssignmentProblemError.self) {
            try AssignmentProblem(sense: .minimize, costs: [[1]], demands: [[-1]], capacities: [5])
        }
        #expect(throws: AssignmentProblemError.invalidValue(
            field: "capacity", item: nil, bin: 0, dimension: 0, value: -5, rule: "must be finite and non-negative")) {
            try AssignmentProblem(sense: .minimize, costs: [[1]], demands: [[1]], capacities: [-5])
        }
        #expect(throws: AssignmentProblemError.self) {
            try AssignmentProblem(sense: .minimize, costs: [[1]], demands: [[1]], capacities: [.infinity])
        }
        #expect(throws: AssignmentProblemError.self) {
            try AssignmentProblem(
                sense: .minimize, costs: [[1]], demands: [[[1]]], capacities: [[5]], unassignedPenalties: [-.infinity])
        }
    }

    @Test func rejectsShapeMismatchNamingTheField() {
        #expect(throws: AssignmentProblemError.shapeMismatch(field: "costs[1]", expected: 2, found: 1)) {
            try AssignmentProblem(sense: .minimize, costs: [[1, 2], [3]], demands: [[1, 1], [1, 1]], capacities: [5, 5])
        }
        #expect(throws: AssignmentProblemError.shapeMismatch(field: "demands[0][1]", expected: 2, found: 3)) {
            try AssignmentProblem(sense: .minimize, costs: [[1, 2], [3, 4]], demands: [[1, 1], [1, 1, 1]], capacities: [5, 5])
        }
        #expect(throws: AssignmentProblemError.self) {
            try AssignmentProblem(sense: .minimize, costs: [[1, 2]], demands: [[1, 1]], capacities: [5, 5])
        }
        #expect(throws: AssignmentProblemError.self) {
            try AssignmentProblem(flatName: nil, sense: .minimize, itemCount: 2, binCount: 1, dimensionCount: 1,
                                  costs: [1, 2], demands: [1, 1], capacities: [1], itemNames: ["only one"])
        }
    }

    @Test func rejectsHugeSizesWithoutAllocating() {
        #expect(throws: AssignmentProblemError.tooLarge(
            items: Int.max / 2, bins: 4, dimensions: 1, limit: AssignmentProblem.maximumEntries)) {
            try AssignmentProblem(flatName: nil, sense: .minimize, itemCount: Int.max / 2, binCount: 4, dimensionCount: 1,
                                  costs: [], demands: [], capacities: [])
        }
        #expect(throws: AssignmentProblemError.self) {
            try AssignmentProblem.random(items: 1 << 20, bins: 1 << 20, seed: 1)
        }
        #expect(throws: AssignmentProblemError.self) { try AssignmentProblem.random(items: 0, bins: Int.max, seed: 1) }
        #expect(throws: AssignmentProblemError.self) {
            try AssignmentProblem(flatName: nil, sense: .minimize, itemCount: 0, binCount: Int.max, dimensionCount: 1,
                                  costs: [], demands: [], capacities: [])
        }
        #expect(throws: AssignmentProblemError.self) {
            try AssignmentProblem(flatName: nil, sense: .minimize, itemCount: -1, binCount: 1, dimensionCount: 1,
                                  costs: [], demands: [], capacities: [1])
        }
    }

    @Test func codableRoundTripAndValidatingDecode() throws {
        let p = try tinyProblem(seed: 3, items: 6, bins: 3, dimensions: 2, sense: .maximize)
        let data = try JSONEncoder().encode(p)
        #expect(try JSONDecoder().decode(AssignmentProblem.self, from: data) == p)
        // Corrupt a capacity: decoding must fail with the validation message, not crash.
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        json["capacities"] = [1, 2, 3]
        let bad = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AssignmentProblem.self, from: bad) }
    }

    @Test func randomGeneratorIsReproducibleAndFollowsItsFamily() throws {
        let a = try AssignmentProblem.random(items: 40, bins: 5, type: .d, seed: 9)
        let b = try AssignmentProblem.random(items: 40, bins: 5, type: .d, seed: 9)
        let c = try AssignmentProblem.random(items: 40, bins: 5, type: .d, seed: 10)
        #expect(a == b && a != c)
        for i in 0..<40 {
            for bin in 0..<5 {
                let r = a.demand(item: i, bin: bin, dimension: 0)
                #expect((1...100).contains(r))
                #expect(abs(a.cost(item: i, bin: bin) - (111 - r)) <= 10, "type D costs follow 111 − demand ± 10")
            }
        }
        let multi = try AssignmentProblem.random(
            items: 30, bins: 4, type: .c, dimensions: 3, seed: 2, eligibleFraction: 0.5, optionalFraction: 0.3)
        #expect(multi.dimensionCount == 3)
        for i in 0..<30 { #expect((0..<4).contains { multi.isEligible(item: i, bin: $0) }, "every item keeps a bin") }
        #expect((0..<30).contains { !multi.isMandatory(item: $0) })
        #expect(throws: AssignmentProblemError.self) { try AssignmentProblem.random(items: 5, bins: 0, seed: 1) }
        #expect(throws: AssignmentProblemError.self) {
            try AssignmentProblem.random(items: 5, bins: 2, seed: 1, eligibleFraction: 0)
        }
    }
}
