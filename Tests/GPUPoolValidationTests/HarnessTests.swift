import Foundation
import GPUPoolFormats
import GPUPoolHeuristics
import GPUPoolModel
import GPUPoolSolver
import GPUPoolSupport
import GPUPoolTestSupport
import Testing
@testable import GPUPoolValidation

/// A small bounded integer program; its optimum is found by enumeration in `bruteForce`.
private let tinyMIP = """
Maximize
 obj: 5 x + 4 y + 3 z
Subject To
 c1: 2 x + 3 y + z <= 5
 c2: 4 x + y + 2 z <= 11
 c3: 3 x + 4 y + 2 z <= 8
Bounds
 0 <= x <= 3
 0 <= y <= 3
 0 <= z <= 3
General
 x y z
End
"""

private func tinyProgram() throws -> LinearProgram {
    try ModelFile.decode(Array(tinyMIP.utf8), format: .lp).model.lowered()
}

/// Enumerates every integer point of a program with small finite integer bounds.
private func bruteForce(_ p: LinearProgram) -> (value: Double, point: [Double])? {
    var best: (Double, [Double])?
    var x = p.columnLower
    func visit(_ j: Int) {
        if j == p.columnCount {
            guard SolutionChecker.check(p, values: x).isFeasible else { return }
            let v = p.objectiveValue(x)
            if best == nil || (p.sense == .maximize ? v > best!.0 : v < best!.0) { best = (v, x) }
            return
        }
        var v = p.columnLower[j]
        while v <= p.columnUpper[j] { x[j] = v; visit(j + 1); v += 1 }
    }
    visit(0)
    return best.map { (value: $0.0, point: $0.1) }
}

/// A tiny GAP (minimisation): 3 bins, 6 items, one dimension.
private func tinyGAP() throws -> AssignmentProblem {
    try AssignmentProblem(
        name: "tiny", sense: .minimize,
        costs: [[9, 2, 7, 8, 3, 6], [4, 6, 3, 7, 8, 5], [5, 8, 9, 2, 4, 7]],
        demands: [[[5, 3, 4, 6, 2, 5], [4, 6, 3, 5, 5, 2], [6, 5, 5, 3, 4, 6]]],
        capacities: [[9, 10, 9]])
}

/// Brute force over all bin choices (every item mandatory).
private func bruteForce(_ p: AssignmentProblem) -> Double? {
    var best: Double?
    var bins = [Int](repeating: 0, count: p.itemCount)
    func visit(_ i: Int) {
        if i == p.itemCount {
            let a = Assignment(binIndices: bins)
            guard p.isFeasible(a) else { return }
            let v = p.objective(of: a)
            if best == nil || v < best! { best = v }
            return
        }
        for b in 0..<p.binCount { bins[i] = b; visit(i + 1) }
    }
    visit(0)
    return best
}

/// An external heuristic in Python: `python3 h.py MODE INSTANCE --time-limit S --seed K`.
private let script = """
import json, sys, time
mode, path = sys.argv[1], sys.argv[2]
if mode == "crash":
    sys.stderr.write("starting\\nboom: something broke\\n"); sys.exit(3)
if mode == "hang":
    time.sleep(100)
if mode == "garbage":
    print("hello {"); print("{not json"); sys.exit(0)
if path.endswith(".json"):
    p = json.load(open(path))
    n, m, d = p["itemCount"], p["binCount"], p["dimensionCount"]
    sign = 1 if p["sense"] == "minimize" else -1
    if mode == "lie":
        print(json.dumps({"incumbent": -1000, "seconds": 0.01}))
        print(json.dumps({"assignment": [0] * n})); sys.exit(0)
    left = [p["capacities"][b * d] for b in range(m)]
    out, total = [], 0
    order = sorted(range(n), key=lambda i: -max(p["demands"][(i * m + b) * d] for b in range(m)))
    out = [-1] * n
    for i in order:
        fits = [b for b in range(m) if p["demands"][(i * m + b) * d] <= left[b] + 1e-9]
        if not fits: continue
        b = min(fits, key=lambda b: sign * p["costs"][i * m + b])
        out[i] = b; left[b] -= p["demands"][(i * m + b) * d]; total += p["costs"][i * m + b]
    print(json.dumps({"incumbent": total, "seconds": 0.001}))
    print(json.dumps({"assignment": out}))
else:
    # The MPS file: answer a fixed point by name (the tests know it), or a lie.
    if mode == "lie":
        print(json.dumps({"values": {"x": 3, "y": 3, "z": 3}}))
    else:
        print(json.dumps({"incumbent": 5, "seconds": 0.01}))
        print(json.dumps({"values": {"x": 1, "y": 0, "z": 0}}))
"""

private func scriptPath(_ dir: TemporaryDirectory) throws -> String {
    let path = dir.path("h.py")
    try Data(script.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// Protocol example from the DocC page: everything on bin 0.
private struct FirstBin: ValidationHeuristic {
    var name: String { "first-bin" }
    func solve(_ problem: ValidationProblem, timeLimit: Double, seed: UInt64, report: (Incumbent) -> Void) throws -> HeuristicAnswer {
        guard let gap = problem.assignment else { return .none }
        let answer = [Int](repeating: 0, count: gap.itemCount)
        report(Incumbent(objective: gap.objective(of: Assignment(binIndices: answer)), seconds: 0))
        return .assignment(answer)
    }
}

/// The DocC example, verbatim.
private struct FirstFit: ValidationHeuristic {
    var name: String { "first-fit" }
    func solve(_ problem: ValidationProblem, timeLimit: Double, seed: UInt64,
               report: (Incumbent) -> Void) throws -> HeuristicAnswer {
        guard let gap = problem.assignment else { return .none }      // GAP only
        var load = [[Double]](repeating: [Double](repeating: 0, count: gap.dimensionCount), count: gap.binCount)
        var bins = [Int](repeating: -1, count: gap.itemCount)
        for item in 0..<gap.itemCount {
            for bin in 0..<gap.binCount where gap.isEligible(item: item, bin: bin) {
                let fits = (0..<gap.dimensionCount).allSatisfy { k in
                    load[bin][k] + gap.demand(item: item, bin: bin, dimension: k) <= gap.capacity(bin: bin, dimension: k)
                }
                guard fits else { continue }
                for k in 0..<gap.dimensionCount { load[bin][k] += gap.demand(item: item, bin: bin, dimension: k) }
                bins[item] = bin
                break
            }
        }
        guard !bins.contains(-1) else { return .none }                   // the harness would reject it
        report(Incumbent(objective: gap.objective(of: Assignment(binIndices: bins)), seconds: 0))
        return .assignment(bins)
    }
}

@Suite("Validation harness: problems, heuristics, references, measures")
struct HarnessTests {
    // MARK: Problems

    @Test func problemsFromMemoryFilesAndGenerators() throws {
        let gap = ValidationProblem(assignment: try tinyGAP())
        #expect(gap.instance == "tiny" && gap.sense == "min" && gap.assignment != nil && gap.program == nil)
        let mip = ValidationProblem(program: try tinyProgram(), name: "tiny-mip")
        #expect(mip.family == "mip" && mip.sense == "max" && mip.program?.columnCount == 3)
        #expect(try gap.lowered().hasIntegerColumns)

        let a = try ValidationProblem.generated(type: .d, items: 12, bins: 3, count: 2, seed: 5)
        let b = try ValidationProblem.generated(type: .d, items: 12, bins: 3, count: 2, seed: 5)
        #expect(a.map(\.instance) == ["gend-12x3-s5", "gend-12x3-s6"] && a[0].family == "gend-12x3")
        #expect(a.map(\.assignment) == b.map(\.assignment) && a[0].assignment != a[1].assignment)
        #expect(throws: ValidationInputError.self) { try ValidationProblem.generated(type: .a, items: 3, bins: 0) }

        let dir = try TemporaryDirectory(label: "harness")
        try ModelFile.write(try tinyProgram(), to: dir.path("m.mps"))
        try Data(tinyMIP.utf8).write(to: URL(fileURLWithPath: dir.path("m2.lp")))
        try Data("2\n2 3\n5 1 4\n2 6 3\n2 2 2\n2 2 2\n4 2\n2 3\n1 1 1\n3 3 3\n1 1 1\n1 1 1\n3 3\n".utf8).write(to: URL(fileURLWithPath: dir.path("g.txt")))
        try Data("NAME broken\nROWS\n X bad\n".utf8).write(to: URL(fileURLWithPath: dir.path("bad.mps")))
        let (folder, folderErrors) = ValidationProblem.load(files: [dir.url.path])
        #expect(folder.map(\.instance) == ["m", "m2"])  // .txt is not taken from a folder
        #expect(folderErrors.count == 1 && folderErrors[0].file.hasSuffix("bad.mps"))
        try JSONEncoder().encode(try tinyGAP()).write(to: URL(fileURLWithPath: dir.path("t.json")))
        let (listed, errors) = ValidationProblem.load(files: [dir.path("g.txt"), dir.path("m.mps"), dir.path("t.json")], sense: .maximize)
        #expect(errors.isEmpty && listed.map(\.instance) == ["g-1", "g-2", "m", "t"])
        #expect(listed[3].assignment == (try tinyGAP()))
        #expect(try listed[2].lowered().rowCount == 3)
    }

    // MARK: References against brute force

    @Test(.enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func exactReferencesMatchBruteForceAndAreCached() throws {
        let program = try tinyProgram()
        let truth = try #require(bruteForce(program))
        let dir = try TemporaryDirectory(label: "refs")
        let store = try ReferenceStore(path: dir.path("refs.sqlite"))
        let solver = ReferenceSolver(timeLimit: 10, store: store)
        let mip = ValidationProblem(program: program, name: "tiny-mip")
        let r = try solver.reference(for: mip)
        #expect(r.kind == .optimum && r.source == "glpk" && r.objective == truth.value)
        let again = try ReferenceSolver(timeLimit: 10, store: ReferenceStore(path: dir.path("refs.sqlite"))).reference(for: mip)
        #expect(again.source == "cache" && again.objective == truth.value && again.kind == .optimum)

        let gap = ValidationProblem(assignment: try tinyGAP())
        let g = try solver.reference(for: gap)
        let gapTruth = bruteForce(try tinyGAP())
        #expect(g.kind == .optimum && g.objective == gapTruth)
        #expect(try store.count() == 2)
    }

    @Test func unprovenReferencesAreNotOptima() {
        #expect(Reference.fromExact(status: .timeLimit, objective: 10, bound: 12, seconds: 1).kind == .bestKnown)
        #expect(Reference.fromExact(status: .timeLimit, objective: nil, bound: 12, seconds: 1).kind == .bound)
        #expect(Reference.fromExact(status: .infeasible, objective: nil, bound: nil, seconds: 1).kind == .infeasible)
        let r = Reference.fromExact(status: .optimal, objective: 10, bound: 10, seconds: 1)
        #expect(r.kind == .optimum && r.gap == 0)
    }

    @Test func instanceHashIsStableAndSensitive() throws {
        let p = try tinyProgram()
        var q = p
        q.objective[0] += 1
        var named = p
        named.name = "other"
        #expect(InstanceHash.of(p) == InstanceHash.of(try tinyProgram()))
        #expect(InstanceHash.of(p) != InstanceHash.of(q))
        #expect(InstanceHash.of(p) == InstanceHash.of(named))
        #expect(InstanceHash.of(p).count == 32)
    }

    @Test func soluFiles() throws {
        let refs = try SoluFile.parse("=opt= a 12.5\n=best=  b -3\n=inf= c\n# note\n=bestdual= b -4\n\n")
        #expect(refs["a"]?.kind == .optimum && refs["a"]?.objective == 12.5)
        #expect(refs["b"]?.kind == .bestKnown && refs["b"]?.objective == -3 && refs["b"]?.bound == -4)
        #expect(refs["c"]?.kind == .infeasible && refs["c"]?.objective == nil)
        #expect(throws: ValidationInputError.self) { try SoluFile.parse("=opt= a\n") }
        do { _ = try SoluFile.parse("=opt= a 1\n=opt= b x\n", file: "f.solu") } catch {
            #expect(error.description == "f.solu: line 2: =opt= b needs a finite value")
        }
    }

    // MARK: Heuristics

    @Test func builtinAndSwiftProtocolHeuristicsAreVerified() throws {
        let p = ValidationProblem(assignment: try tinyGAP())
        let optimum = try #require(bruteForce(try tinyGAP()))
        let ref = Reference(kind: .optimum, objective: optimum, status: "known", source: "known")
        let session = ValidationSession(heuristics: [BuiltinHeuristic(.tabu), FirstBin(), BuiltinHeuristic(.regret)], seeds: [1, 2], timeLimit: 0.2)
        let trials = session.trials(p, reference: ref)
        #expect(trials.count == 6)
        let tabu = trials.filter { $0.heuristic == "tabu" }
        #expect(tabu.allSatisfy { $0.status == "feasible" && $0.objective == optimum && $0.gap == 0 && $0.success })
        #expect(tabu.allSatisfy { $0.timeToOptimum != nil && $0.primalIntegral! <= 0.2 })
        // Everything on bin 0 overloads it: recorded as infeasible, not trusted.
        let first = trials.filter { $0.heuristic == "first-bin" }
        #expect(first.allSatisfy { $0.status == "infeasible" && $0.objective == nil && $0.gap == nil && !$0.success })
        #expect(first[0].message?.contains("violation") == true)

        // Greedy repair on a general program, against the brute-force optimum.
        let program = try tinyProgram()
        let truth = try #require(bruteForce(program))
        let mip = ValidationProblem(program: program, name: "tiny-mip")
        let t = ValidationSession(heuristics: [BuiltinHeuristic(nil)], timeLimit: 0.5)
            .trial(mip, heuristic: BuiltinHeuristic(nil), seed: 1, reference: Reference(kind: .optimum, objective: truth.value, status: "known", source: "known"))
        #expect(t.status == "feasible" && t.heuristic == "repair")
        #expect(try #require(t.gap) >= 0 && t.objective! <= truth.value)
    }

    @Test func theDocCExampleHeuristicIsVerifiedFeasible() throws {
        let problems = try ValidationProblem.generated(type: .a, items: 20, bins: 4, count: 3, seed: 1)
        let session = ValidationSession(heuristics: [FirstFit()], timeLimit: 0.1)
        for p in problems {
            let t = session.trial(p, heuristic: FirstFit(), seed: 1, reference: Reference(kind: .unknown, objective: nil, status: "none", source: "none"))
            #expect(["feasible", "no_solution"].contains(t.status), "\(t.status) \(t.message ?? "")")
        }
        #expect(session.trials(problems[0], reference: Reference(kind: .unknown, objective: nil, status: "none", source: "none"))[0].status == "feasible")
    }

    @Test func externalHeuristicsCorrectLyingCrashingHangingGarbage() throws {
        let dir = try TemporaryDirectory(label: "ext")
        let py = try scriptPath(dir)
        let gap = ValidationProblem(assignment: try tinyGAP())
        let optimum = try #require(bruteForce(try tinyGAP()))
        let ref = Reference(kind: .optimum, objective: optimum, status: "known", source: "known")
        func run(_ mode: String, _ problem: ValidationProblem, _ reference: Reference, limit: Double = 2) -> TrialRecord {
            let h = CommandHeuristic(command: "python3 \(py) \(mode)", grace: 0.5)
            return ValidationSession(heuristics: [h], timeLimit: limit).trial(problem, heuristic: h, seed: 3, reference: reference)
        }
        let good = run("correct", gap, ref)
        #expect(good.status == "feasible", "\(good.message ?? "") \(good.stderrTail ?? "")")
        // The greedy answer is verified and its objective recomputed; it cannot beat the optimum.
        let a = try #require(good.objective)
        #expect(a >= optimum && good.gap! >= 0 && good.incumbents.first?.seconds == 0.001)

        let liar = run("lie", gap, ref)
        #expect(liar.status == "infeasible" && liar.claimed == -1000 && liar.objective == nil && liar.gap == nil)
        #expect(liar.timeToFeasible == nil && liar.primalIntegral == nil)

        let crash = run("crash", gap, ref)
        #expect(crash.status == "crashed" && crash.message == "exit status 3")
        #expect(crash.stderrTail?.contains("boom: something broke") == true)

        let garbage = run("garbage", gap, ref)
        #expect(garbage.status == "bad_output")

        let start = ContinuousClock.now
        let hang = run("hang", gap, ref, limit: 0.5)
        let took = (ContinuousClock.now - start).seconds
        #expect(hang.status == "timed_out" && took < 5, "took \(took) s")

        // A MIP through MPS and values by name.
        let program = try tinyProgram()
        let mip = ValidationProblem(program: program, name: "tiny-mip")
        let truth = try #require(bruteForce(program))
        let mref = Reference(kind: .optimum, objective: truth.value, status: "known", source: "known")
        let m = run("correct", mip, mref)
        #expect(m.status == "feasible" && m.objective == 5, "\(m.message ?? "")")
        #expect(m.gap == (truth.value - 5) / truth.value)
        let mlie = run("lie", mip, mref)
        #expect(mlie.status == "infeasible" && mlie.message?.contains("violation") == true)
    }

    @Test func aVerifiedPointBeatingAClaimedOptimumIsFlagged() throws {
        let program = try tinyProgram()
        let mip = ValidationProblem(program: program, name: "tiny-mip")
        let dir = try TemporaryDirectory(label: "beat")
        let h = CommandHeuristic(command: "python3 \(try scriptPath(dir)) correct")
        let session = ValidationSession(heuristics: [h], timeLimit: 2)
        // A wrong "optimum" of 4 (the point found is worth 5).
        let wrong = session.trial(mip, heuristic: h, seed: 1, reference: Reference(kind: .optimum, objective: 4, status: "known", source: "known"))
        #expect(wrong.referenceBeaten && wrong.gap! < 0)
        // A best-known value may be beaten: that is an improvement, not a contradiction.
        let best = session.trial(mip, heuristic: h, seed: 1, reference: Reference(kind: .bestKnown, objective: 4, status: "known", source: "known"))
        #expect(!best.referenceBeaten)
        let inf = session.trial(mip, heuristic: h, seed: 1, reference: Reference(kind: .infeasible, objective: nil, status: "known", source: "known"))
        #expect(inf.referenceBeaten)
    }

    // MARK: Measures

    @Test func primalIntegralAgainstAHandComputedStepFunction() {
        // Minimise, reference 100, limit 10 s: gap 1 on [0,1), 20/120 on [1,3), 5/105 on [3,6), 0 after.
        let inc = [Incumbent(objective: 105, seconds: 3), Incumbent(objective: 120, seconds: 1), Incumbent(objective: 100, seconds: 6),
                   Incumbent(objective: 130, seconds: 7)]
        let expected = 1.0 + 2.0 * 20 / 120 + 3.0 * 5 / 105
        #expect(abs(Measures.primalIntegral(inc, reference: 100, maximize: false, timeLimit: 10) - expected) < 1e-12)
        #expect(Measures.primalIntegral([], reference: 100, maximize: false, timeLimit: 10) == 10)
        #expect(Measures.primalGap(-1, reference: 1) == 1 && Measures.primalGap(0, reference: 0) == 0)
        #expect(Measures.timeToGap(inc, reference: 100, maximize: false, target: 0.06) == 3)
        #expect(Measures.timeToGap(inc, reference: 100, maximize: false, target: 0) == 6)
        let ms = Measures.meanAndSpread([1, 2, 3, 4])!
        #expect(ms.mean == 2.5 && abs(ms.spread - (5.0 / 3).squareRoot()) < 1e-12)
    }

    /// Two-sided p by enumerating all 2^n sign patterns over the given ranks.
    private func enumeratedP(_ d: [Double]) -> Double {
        let r = Measures.wilcoxon(d)!
        let n = d.count
        var ranks = [Double](repeating: 0, count: n)
        let mags = d.map(abs)
        for i in 0..<n {
            let less = mags.filter { $0 < mags[i] }.count, equal = mags.filter { $0 == mags[i] }.count
            ranks[i] = Double(less) + Double(equal + 1) / 2
        }
        var atMost = 0
        for mask in 0..<(1 << n) {
            var w = 0.0
            for i in 0..<n where mask & (1 << i) != 0 { w += ranks[i] }
            if w <= r.statistic + 1e-9 { atMost += 1 }
        }
        return min(1, 2 * Double(atMost) / Double(1 << n))
    }

    @Test func wilcoxonAgainstTextbookAndEnumeration() throws {
        // Darwin's Zea mays differences (Fisher 1935; the scipy.stats.wilcoxon example): W = 24, p = 0.041259765625.
        let d: [Double] = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
        let w = try #require(Measures.wilcoxon(d))
        #expect(w.n == 15 && w.statistic == 24 && w.wMinus == 24 && w.exact)
        #expect(abs(w.pValue - 0.041259765625) < 1e-12)
        #expect(abs(w.pValue - enumeratedP(d)) < 1e-12)
        // Ties and zeros.
        let tied: [Double] = [1, -1, 2, 2, -3, 4, 0, 4, -2.5]
        let t = try #require(Measures.wilcoxon(tied))
        #expect(t.n == 8 && abs(t.pValue - enumeratedP(tied.filter { $0 != 0 })) < 1e-12)
        #expect(Measures.wilcoxon([0, 0]) == nil)
        // Large n: normal approximation, symmetric differences give p near 1.
        let big = (1...60).map { Double($0) * ($0 % 2 == 0 ? 1 : -1) }
        let b = try #require(Measures.wilcoxon(big))
        #expect(!b.exact && b.pValue > 0.8)
    }

    @Test func summariesComparisonsAndStableJSON() throws {
        let ref = Reference(kind: .optimum, objective: 10, status: "known", source: "known")
        func trial(_ h: String, _ inst: String, _ gap: Double?, seed: UInt64 = 1) -> TrialRecord {
            TrialRecord(status: gap == nil ? "crashed" : "feasible", instance: inst, family: "f", heuristic: h, seed: seed, sense: "min",
                        objective: gap.map { 10 * (1 + $0) }, claimed: nil, seconds: 0.1, reference: ref, gap: gap, referenceBeaten: false,
                        timeToFeasible: nil, timeTo1Percent: nil, timeToOptimum: nil, primalIntegral: gap, success: gap == 0,
                        message: nil, stderrTail: nil, incumbents: [])
        }
        var trials: [TrialRecord] = []
        for (k, (a, b)) in [(0.0, 0.1), (0.0, 0.2), (0.05, 0.0), (0.0, 0.3)].enumerated() {
            trials += [trial("A", "i\(k)", a), trial("B", "i\(k)", b)]
        }
        trials.append(trial("B", "i0", nil, seed: 2))
        let s = HeuristicSummary.summarize(trials)
        #expect(s.map(\.heuristic) == ["A", "B"])
        #expect(s[0].successRate == 0.75 && s[1].failed == 1 && s[1].trials == 5)
        let c = HeuristicComparison.compare(trials, heuristics: ["A", "B"])
        #expect(c.count == 1 && c[0].instances == 4 && c[0].firstBetter == 3 && c[0].secondBetter == 1)
        // Differences −0.1, −0.2, +0.05, −0.3: ranks 2, 3, 1, 4; W+ = 1; exact p = 2·2/16.
        #expect(c[0].wilcoxon?.wPlus == 1 && c[0].wilcoxon?.pValue == 0.25)
        let line = trials[0].json.serialized
        #expect(line.hasPrefix("{\"record\":\"trial\",\"instance\":\"i0\",\"family\":\"f\",\"heuristic\":\"A\",\"seed\":1,\"sense\":\"min\",\"status\":\"feasible\""))
        #expect(c[0].json.serialized.hasPrefix("{\"record\":\"comparison\",\"first\":\"A\",\"second\":\"B\",\"instances\":4"))
        let html = ValidationHTMLReport.render(trials: trials, summaries: s, comparisons: c)
        #expect(html.contains("<svg") && html.contains("Wilcoxon") && html.contains("Performance profile") && !html.contains("<script"))

        // Profile by hand (minimise, objectives 10·(1+gap)): i0 A 10 vs B mean of 11 and a crash → B failed;
        // i1 A 10, B 12 → B 0.2; i2 A 10.5, B 10 → A 0.05; i3 A 10, B 13 → B 0.3.
        let profile = Measures.performanceProfile(trials)
        #expect(profile.map(\.heuristic) == ["A", "B"])
        #expect(profile[0].distances.count == 4 && profile[0].distances.filter { $0 == 0 }.count == 3)
        #expect(abs(profile[0].distances[3] - 0.05) < 1e-12)
        #expect(profile[1].distances.count == 4 && profile[1].distances[0] == 0 && profile[1].distances[3] == .infinity)
        #expect(abs(profile[1].distances[1] - 0.2) < 1e-12 && abs(profile[1].distances[2] - 0.3) < 1e-12)

        var odd = trials[0]
        odd.message = "a, \"quoted\" note"
        #expect(odd.csvRow.hasPrefix("i0,f,A,1,min,feasible,10.0,,0.1,optimum,10.0,,known,0.0,false,"))
        #expect(odd.csvRow.hasSuffix(",true,\"a, \"\"quoted\"\" note\""))
        // 21 fields; the quoted message holds one more comma.
        #expect(TrialRecord.csvHeader.split(separator: ",").count == 21 && odd.csvRow.split(separator: ",", omittingEmptySubsequences: false).count == 22)
    }
}
