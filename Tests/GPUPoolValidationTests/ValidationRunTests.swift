import Foundation
import GPUPoolHeuristics
import GPUPoolModel
import GPUPoolSolver
import Testing
@testable import GPUPoolValidation

private let sharedGap = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/data/gap")
private let hasSharedGap = FileManager.default.fileExists(atPath: sharedGap.path)

private func writeTemporary(_ name: String, _ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-validate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

/// Two tiny problems (2 agents, 3 jobs), maximisation; optima by hand: 15 (jobs 0, 2 on agent 0; job 1 on agent 1) and 9.
private let tinyFile = """
2
2 3
5 1 4
2 6 3
2 2 2
2 2 2
4 2
2 3
1 1 1
3 3 3
1 1 1
1 1 1
3 3
"""

@Suite("Validation harness")
struct ValidationRunTests {
    @Test func gapIsSignedByDirection() {
        #expect(ValidationRecord.relativeGap(90, reference: 100, sense: .maximize) == 0.1)
        #expect(ValidationRecord.relativeGap(110, reference: 100, sense: .minimize) == 0.1)
        #expect(ValidationRecord.relativeGap(101, reference: 100, sense: .maximize) < 0)
    }

    @Test func keysAndFamilies() {
        #expect(KnownOptima.key(file: "../x/gap3.txt", problem: 2) == "gap3-2")
        #expect(KnownOptima.family(of: "/a/b/gapd.txt") == "gapd")
    }

    @Test func tinyProblemsAgainstKnownAndExact() throws {
        let file = try writeTemporary("tiny.txt", tinyFile)
        let known = KnownOptima(entries: ["tiny-1": KnownOptimum(optimum: 15, bound: 15, proven: true, sense: "max", m: 2, n: 3)])
        let run = ValidationRun(heuristic: AssignmentHeuristic(method: .tabu, timeLimit: 0.2, seed: 3), exact: Solver.hasExactSolver,
                                exactTimeLimit: 5, sense: .maximize, known: known)
        let (problems, errors) = run.loadProblems(files: [file])
        #expect(errors.isEmpty && problems.count == 2)
        let first = try run.validate(problems[0])
        #expect(first.known == 15 && first.heuristic.feasible && first.heuristic.objective == 15 && first.gap == 0)
        #expect(first.heuristic.assignment.count == 3)
        let second = try run.validate(problems[1])
        if Solver.hasExactSolver {
            // No known value: the gap is taken to the proven exact optimum.
            #expect(second.auto?.status == "optimal" && second.glpk?.status == "optimal")
            #expect(second.auto?.objective == 9 && second.gap == 0)
        } else {
            #expect(second.gap == nil)
        }
    }

    @Test func mismatchedKnownOptimumNamesFileAndProblem() throws {
        let file = try writeTemporary("tiny.txt", tinyFile)
        let known = KnownOptima(entries: ["tiny-1": KnownOptimum(optimum: 15, proven: true, sense: "max", m: 5, n: 3)])
        let run = ValidationRun(heuristic: AssignmentHeuristic(method: .regret), sense: .maximize, known: known)
        let problems = run.loadProblems(files: [file]).problems
        #expect(throws: ValidationInputError.self) { try run.validate(problems[0]) }
        do { _ = try run.validate(problems[0]) } catch {
            #expect(error.description.contains("tiny.txt: problem 1: known optimum tiny-1 does not match"))
        }
        // The other problem still runs.
        #expect(try run.validate(problems[1]).heuristic.feasible)
    }

    @Test func badFilesAreReportedAndOthersStillLoad() throws {
        let good = try writeTemporary("good.txt", tinyFile)
        let bad = try writeTemporary("bad.txt", "2\n2 3\n5 1 x\n")
        let run = ValidationRun()
        let (problems, errors) = run.loadProblems(files: ["/no/such/file.txt", bad, good])
        #expect(problems.count == 2)
        #expect(errors.count == 2)
        #expect(errors[0].description.contains("/no/such/file.txt"))
        #expect(errors[1].description.contains("bad.txt"))
    }

    @Test func recordEncodesTheDocumentedKeys() throws {
        let record = ValidationRecord(instance: "gap1-1", family: "gap1", items: 15, bins: 5, sense: "max",
                                      heuristic: .init(name: "tabu", objective: 336, seconds: 0.1, feasible: true, assignment: [0, -1]),
                                      known: 336, gap: 0)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any]
        #expect(Set(object?.keys ?? [:].keys) == ["instance", "items", "bins", "sense", "heuristic", "known", "gap"])
        let decoded = try JSONDecoder().decode(ValidationRecord.self, from: JSONEncoder().encode(record))
        #expect(decoded == record)
    }

    @Test func summariesAndReport() {
        let h = ValidationRecord.HeuristicRun(name: "tabu", objective: 1, seconds: 0.5, feasible: true, assignment: [])
        let records = [
            ValidationRecord(instance: "a-1", family: "a", items: 1, bins: 1, sense: "max", heuristic: h, known: 1, gap: 0.01),
            ValidationRecord(instance: "a-2", family: "a", items: 1, bins: 1, sense: "max", heuristic: h, known: 1, gap: 0.03),
            ValidationRecord(instance: "b-1", family: "b", items: 1, bins: 1, sense: "max", heuristic: h),
        ]
        let s = FamilySummary.summarize(records)
        #expect(s.map(\.family) == ["a", "b"])
        #expect(abs((s[0].meanGap ?? 0) - 0.02) < 1e-12 && s[0].maxGap == 0.03 && s[0].proven == nil)
        #expect(s[1].meanGap == nil)
        let html = ValidationHTMLReport.render(records: records)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg"))
        #expect(!html.contains("<script src"))
    }

    @Test(.enabled(if: hasSharedGap, "needs ../shared/data/gap (absent)"))
    func sharedOptimaMatchTheirFiles() throws {
        let known = try KnownOptima.load(path: sharedGap.appendingPathComponent("optima.json").path)
        let run = ValidationRun(heuristic: AssignmentHeuristic(method: .regret), known: known)
        let (problems, errors) = run.loadProblems(files: ["gap1.txt", "gapa.txt"].map { sharedGap.appendingPathComponent($0).path })
        #expect(errors.isEmpty && problems.count == 11)
        for p in problems {
            let r = try run.validate(p)
            #expect(r.known != nil && r.heuristic.feasible, "\(r.instance)")
            #expect((0..<0.15).contains(r.gap ?? 1), "\(r.instance) regret gap \(r.gap ?? .nan)")
        }
    }
}
