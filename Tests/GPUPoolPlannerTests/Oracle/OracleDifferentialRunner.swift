import GPUPoolSupport
import Dispatch
import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSolver

/// The promises of Docs/Planning.md the differential tests check, one test per kind.
enum OracleClaim: String, CaseIterable, Sendable {
    case plannerError = "planner threw"
    case feasibility = "(a) hard rules"
    case stageOrder = "stage order (docs 'The policy list becomes stages')"
    case boundBeaten = "(i) bound beaten by oracle"
    case falseOptimal = "(ii) 'optimal' stage not optimal"
    case statusGap = "status 'optimal' with gap > 1e-6 or no bound"
    case stageValue = "(iii) stage value vs recomputation"
    case idleFits = "(iv) idle job fits leftover"
    case strictPriority = "(v) strict priorities"
    case reason = "(vi) reason code"
    case effectiveGPUs = "(vii) metrics.effectiveGPUs"
    case oracleSelfCheck = "oracle self-check (brute force vs MIP vs fits)"
}

/// Everything the differential run found.
struct DifferentialReport: Sendable {
    var failures: [OracleClaim: [String]] = [:]
    var counters: [String: Int] = [:]
    var seconds: Double = 0

    mutating func fail(_ claim: OracleClaim, _ message: String) { failures[claim, default: []].append(message) }
    mutating func count(_ key: String, _ n: Int = 1) { counters[key, default: 0] += n }

    mutating func merge(_ other: DifferentialReport) {
        for (claim, list) in other.failures { failures[claim, default: []].append(contentsOf: list) }
        for (key, n) in other.counters { counters[key, default: 0] += n }
    }

    /// One short message: the count and the first `limit` cases.
    func summary(_ claim: OracleClaim, limit: Int = 10) -> String {
        let list = (failures[claim] ?? []).sorted()
        let runs = counters["planner runs", default: 0]
        return "\(claim.rawValue): \(list.count) case(s) over \(runs) planner runs; first \(min(limit, list.count)):\n  "
            + list.prefix(limit).joined(separator: "\n  ")
    }

    var countersText: String { counters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") }
}

/// Runs the planner on generated instances under every policy list and method and checks each plan
/// against the oracle.
enum OracleDifferentialRunner {
    static let policyLists: [[PlanningPolicy]] = [
        [.minCost], [.maxUtilization], [.maxThroughput], [.maxAvailability], [.maxMinFairness],
        [.maxMinFairnessAgnostic], [.priority], [.fifo],
        [.priority, .maxThroughput, .minCost], [.maxThroughput, .minCost], [.priority, .maxUtilization, .minCost],
    ]
    /// Methods, each with the size from which the neighbourhood search runs: the last variant runs
    /// it on every model, so its points (RINS before each stage's MIP) face the oracle too; by
    /// default it starts at 2,000 variables, which no oracle-sized instance reaches.
    static let methods: [(method: PlanningMethod, searchFrom: Int, label: String)] = [
        (.auto, 2_000, "auto"), (.exact, 2_000, "exact"), (.heuristic, 2_000, "heuristic"), (.auto, 0, "auto+search"),
    ]

    /// `GPUPOOL_ORACLE_SEEDS` multiplies the default seed counts (150 tiny, 40 small).
    static var multiplier: Double {
        ProcessInfo.processInfo.environment["GPUPOOL_ORACLE_SEEDS"].flatMap(Double.init).map { max(0, $0) } ?? 1
    }

    static func run(tinySeeds: Int = 150, smallSeeds: Int = 40) -> DifferentialReport {
        let start = Date()
        let tiny = Int((Double(tinySeeds) * multiplier).rounded())
        let small = Int((Double(smallSeeds) * multiplier).rounded())
        let jobs: [(UInt64, OracleSize)] = (0..<small).map { (UInt64($0 + 1), .small) } + (0..<tiny).map { (UInt64($0 + 1), .tiny) }
        let sink = Sink()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let (seed, size) = jobs[index]
            sink.add(check(seed: seed, size: size))
        }
        var total = sink.total
        total.seconds = Date().timeIntervalSince(start)
        return total
    }

    /// Collects the reports of the concurrent instances.
    private final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private var report = DifferentialReport()

        func add(_ part: DifferentialReport) {
            lock.lock()
            report.merge(part)
            lock.unlock()
        }

        var total: DifferentialReport {
            lock.lock()
            defer { lock.unlock() }
            return report
        }
    }

    // MARK: One instance

    static func check(seed: UInt64, size: OracleSize) -> DifferentialReport {
        var report = DifferentialReport()
        guard let instance = OraclePoolGenerator.make(seed: seed, size: size) else {
            report.count("\(size.rawValue) seeds skipped (no valid workload)")
            return report
        }
        report.count("\(size.rawValue) instances")
        report.count("jobs dropped by validation", instance.droppedJobs)
        let problem = OracleProblem(pool: instance.pool, workload: instance.workload)
        var brute: OracleBruteForce?
        var mip: OracleMIP?
        if size == .tiny {
            brute = OracleBruteForce(problem: problem)
            if brute == nil { report.count("tiny instances over the brute-force limit") }
        }
        if Solver.hasExactSolver { mip = OracleMIP(problem: problem) }
        var mipCache: [String: Double?] = [:]
        if let brute, let mip { selfCheck(instance, problem, brute, mip, &report) }

        for policies in policyLists {
            for (method, searchFrom, methodLabel) in methods {
                let label = "\(instance.label) [\(policies.map(\.rawValue).joined(separator: ","))] \(methodLabel)"
                let plan: Plan
                do {
                    var options = PlannerOptions(policies: policies, method: method, timeLimit: 10)
                    options.neighbourhoodSearchVariables = searchFrom
                    plan = try Planner(options: options).plan(pool: instance.pool, workload: instance.workload)
                } catch {
                    if case .exactUnavailable = error {
                        report.count("exact unavailable (skipped)")
                    } else {
                        report.fail(.plannerError, "\(label): \(String(describing: error).prefix(300))")
                    }
                    continue
                }
                report.count("planner runs")
                checkPlan(plan, label: label, policies: policies, problem: problem, brute: brute, mip: size == .small ? mip : nil,
                          mipCache: &mipCache, report: &report)
                if let brute, method == .heuristic {
                    crossCheckFits(plan, label: label, problem: problem, brute: brute, report: &report)
                    if let mip, crossCheckedLists.contains(policies) {
                        crossCheckConditional(plan, label: label, problem: problem, brute: brute, mip: mip, report: &report)
                    }
                }
            }
        }
        return report
    }

    // MARK: Docs: the stage list

    /// Docs "The policy list becomes stages" (steps 1–3); `nil` for fifo (a fixed algorithm).
    static func expectedPolicies(_ list: [PlanningPolicy]) -> [PlanningPolicy]? {
        if list.contains(.fifo) { return nil }
        var l: [PlanningPolicy] = []
        for p in list where !l.contains(p) { l.append(p) }
        if let i = l.firstIndex(of: .priority) {
            l.remove(at: i)
            l.insert(.priority, at: 0)
        }
        let firstGuarded = l.firstIndex { $0 == .minCost || $0 == .maxAvailability }
        if let u = l.firstIndex(of: .maxUtilization) {
            if let f = firstGuarded, u > f {
                l.remove(at: u)
                l.insert(.maxUtilization, at: f)
            }
        } else if let f = firstGuarded {
            l.insert(.maxUtilization, at: f)
        } else {
            l.append(.maxUtilization)
        }
        return l
    }

    static func expectedStages(_ list: [PlanningPolicy], problem: OracleProblem) -> [String]? {
        expectedPolicies(list)?.flatMap { policy -> [String] in
            switch policy {
            case .priority: problem.priorities.count > 1 ? problem.priorities.map { "priority-tier-\($0)" } : []
            case .maxMinFairness, .maxMinFairnessAgnostic: ["allocation-share"]
            default: [policy.rawValue]
            }
        }
    }

    // MARK: Checks of one plan

    static func checkPlan(
        _ plan: Plan, label: String, policies: [PlanningPolicy], problem: OracleProblem, brute: OracleBruteForce?,
        mip: OracleMIP?, mipCache: inout [String: Double?], report: inout DifferentialReport
    ) {
        let read = problem.read(plan)
        for violation in read.violations.prefix(3) { report.fail(.feasibility, "\(label): \(violation)") }
        let isFifo = policies.contains(.fifo)

        // Stage order.
        let objectives = plan.stages.map(\.objective)
        if let expected = expectedStages(policies, problem: problem), expected != objectives {
            report.fail(.stageOrder, "\(label): stages \(objectives), docs \(expected)")
        }
        var terms: [OracleTerm] = []
        for objective in objectives {
            guard let term = OracleTerm(objective: objective) else {
                if !isFifo { report.fail(.stageOrder, "\(label): unknown stage objective \(objective)") }
                break
            }
            terms.append(term)
        }

        // (iii) stage values and (vii) effective GPUs.
        let values = terms.map { problem.value($0, read.placements, allocation: plan.allocation) }
        for (t, term) in terms.enumerated() where abs(plan.stages[t].value - values[t]) > oracleTolerance(values[t]) {
            report.fail(.stageValue, "\(label): \(term) reported \(fmt(plan.stages[t].value)), entries give \(fmt(values[t]))")
        }
        let effective = problem.value(.throughput, read.placements, allocation: nil)
        if abs(plan.metrics.effectiveGPUs - effective) > oracleTolerance(effective) {
            report.fail(.effectiveGPUs, "\(label): effectiveGPUs \(fmt(plan.metrics.effectiveGPUs)), entries give \(fmt(effective))")
        }

        // Status / bound consistency (docs "Status, bound and gap").
        for (t, stage) in plan.stages.enumerated() where stage.status.rawValue == "optimal" {
            let value = t < values.count ? values[t] : stage.value
            if let bound = stage.bound {
                if abs(bound - stage.value) > 1e-6 * max(1, abs(stage.value)) {
                    report.fail(.statusGap, "\(label): \(stage.objective) optimal but value \(fmt(stage.value)) bound \(fmt(bound))")
                }
            } else {
                report.fail(.statusGap, "\(label): \(stage.objective) optimal without a bound (value \(fmt(value)))")
            }
        }

        // (i), (ii): conditional optima from the brute force (tiny) or the MIP (small).
        if read.violations.isEmpty && !terms.isEmpty {
            var optima: [Double?]
            if let brute {
                optima = brute.optima(terms: terms, conditions: values, allocation: plan.allocation)
            } else if let mip {
                optima = []
                for t in terms.indices {
                    let key = cacheKey(terms: Array(terms[0...t]), conditions: Array(values[0..<t]), allocation: plan.allocation)
                    if let cached = mipCache[key] {
                        optima.append(cached)
                    } else {
                        let keep = (0..<t).map { (term: terms[$0], value: values[$0]) }
                        let best = mip.optimum(terms[t], keep: keep, allocation: plan.allocation)
                        mipCache[key] = best
                        optima.append(best)
                    }
                }
            } else {
                optima = []
            }
            for (t, optimum) in optima.enumerated() {
                let stage = plan.stages[t], term = terms[t]
                guard let optimum else {
                    report.count("oracle optimum unknown (stage skipped)")
                    continue
                }
                report.count("stages checked against oracle")
                if term.isBetter(values[t], than: optimum) {
                    report.fail(.oracleSelfCheck, "\(label): plan's \(term) \(fmt(values[t])) beats oracle optimum \(fmt(optimum))")
                }
                if let bound = stage.bound, term.isBetter(optimum, than: bound) {
                    report.fail(.boundBeaten, "\(label): \(term) bound \(fmt(bound)), oracle reaches \(fmt(optimum)) (plan \(fmt(values[t])))")
                }
                if stage.status.rawValue == "optimal", abs(values[t] - optimum) > oracleTolerance(optimum) {
                    report.fail(.falseOptimal, "\(label): \(term) 'optimal' at \(fmt(values[t])), oracle \(fmt(optimum))")
                }
            }
        }

        // (iv) no idle job that fits; (v) strict priorities; (vi) reasons.
        let free = problem.freeCapacity(after: read.placements)
        let priorityPolicy = policies.contains(.priority)
        for (j, entry) in read.unplaced {
            let job = problem.jobs[j]
            if problem.fits(j, free: free, quotaLeft: problem.quotaLeft(j, holding: read.placements)) {
                report.fail(.idleFits, "\(label): \(job.id) (reason \(entry.reason?.code.rawValue ?? "-")) fits leftover")
            }
            if priorityPolicy {
                let kept = read.placements.filter { problem.jobs[$0.job].priority >= job.priority }
                if kept.count < read.placements.count,
                   problem.fits(j, free: problem.freeCapacity(after: kept), quotaLeft: problem.quotaLeft(j, holding: kept)) {
                    report.fail(.strictPriority, "\(label): \(job.id) (tier \(job.priority)) fits once lower tiers are removed")
                }
            }
            if let code = entry.reason?.code,
               let acceptable = problem.acceptableReasons(j, placements: read.placements, priorityPolicy: priorityPolicy) {
                report.count("reasons checked")
                if !acceptable.codes.contains(code) {
                    report.fail(.reason, "\(label): \(job.id) reason \(code.rawValue), docs allow \(acceptable.codes.map(\.rawValue).sorted()) (\(acceptable.why))")
                }
            }
        }
    }

    static func cacheKey(terms: [OracleTerm], conditions: [Double], allocation: Allocation?) -> String {
        var key = terms.map(\.description).joined(separator: ",") + "|" + conditions.map { String(format: "%.9g", $0) }.joined(separator: ",")
        if terms.contains(.allocationShare), let allocation {
            key += "|" + allocation.accelerators.joined(separator: ",") + ":"
                + allocation.jobs.map { "\($0.job)=\($0.fractions.map { String(format: "%.12g", $0) }.joined(separator: "/"))" }.joined(separator: ";")
        }
        return key
    }

    static func fmt(_ x: Double) -> String { String(format: "%.6g", x) }

    // MARK: Oracle self-checks (tiny instances)

    /// Brute force and MIP must agree on lexicographic optima of several term lists, and `fits` must agree
    /// with the brute force's placement enumeration in the empty pool.
    static func selfCheck(_ instance: OracleInstance, _ problem: OracleProblem, _ brute: OracleBruteForce,
                          _ mip: OracleMIP, _ report: inout DifferentialReport) {
        let tiers: [OracleTerm] = problem.priorities.map { .tier($0) }
        // A synthetic allocation so that the allocation-share term is exercised too.
        let allocation = Allocation(
            policy: "oracle", method: "synthetic", objective: 0, bound: nil, seconds: 0, partitions: 1,
            accelerators: problem.models, capacities: problem.models.map { _ in 0 },
            jobs: problem.jobs.enumerated().map { j, job in
                JobAllocation(job: job.id, fractions: problem.models.indices.map { Double(($0 + j) % 3) / 4 }, normalizedThroughput: 0)
            })
        let lists: [[OracleTerm]] = [
            tiers + [.utilization, .cost], [.throughput, .utilization, .cost], [.utilization, .availability],
            [.availability], [.allocationShare, .utilization, .cost], [.cost, .throughput],
        ]
        for terms in lists {
            let a = brute.optima(terms: terms, allocation: allocation)
            let b = mip.optima(terms: terms, allocation: allocation)
            report.count("self-check optima compared", terms.count)
            for t in terms.indices {
                guard let x = a[t], let y = b[t] else {
                    report.fail(.oracleSelfCheck, "\(instance.label) \(terms): stage \(t) brute \(a[t].map(fmt) ?? "nil") MIP \(b[t].map(fmt) ?? "nil")")
                    break
                }
                if abs(x - y) > oracleTolerance(x) {
                    report.fail(.oracleSelfCheck, "\(instance.label) \(terms): stage \(terms[t]) brute \(fmt(x)) MIP \(fmt(y))")
                    break
                }
            }
        }
        for j in problem.jobs.indices {
            let fitsEmpty = problem.fits(j, free: problem.emptyCapacity, quotaLeft: problem.workload.tenantQuotas[problem.jobs[j].tenant])
            if fitsEmpty != !brute.options[j].isEmpty {
                report.fail(.oracleSelfCheck, "\(instance.label) \(problem.jobs[j].id): fits(empty) \(fitsEmpty), brute force has \(brute.options[j].count) placements")
            }
        }
    }

    /// Policy lists whose heuristic plans also serve as conditions for a brute force vs MIP comparison.
    static let crossCheckedLists: [[PlanningPolicy]] = [[.priority, .maxThroughput, .minCost], [.maxAvailability], [.maxMinFairness]]

    /// Conditional optima given a real plan's (possibly suboptimal) stage values: brute force vs MIP.
    static func crossCheckConditional(_ plan: Plan, label: String, problem: OracleProblem, brute: OracleBruteForce,
                                      mip: OracleMIP, report: inout DifferentialReport) {
        let read = problem.read(plan)
        guard read.violations.isEmpty else { return }
        let terms = plan.stages.map(\.objective).prefix { OracleTerm(objective: $0) != nil }.compactMap { OracleTerm(objective: $0) }
        let values = terms.map { problem.value($0, read.placements, allocation: plan.allocation) }
        let a = brute.optima(terms: terms, conditions: values, allocation: plan.allocation)
        let b = mip.optima(terms: terms, conditions: values, allocation: plan.allocation)
        report.count("self-check optima compared", terms.count)
        for t in terms.indices {
            let same = switch (a[t], b[t]) {
            case let (x?, y?): abs(x - y) <= oracleTolerance(x)
            default: false
            }
            if !same {
                report.fail(.oracleSelfCheck, "\(label) conditional \(terms[t]): brute \(a[t].map(fmt) ?? "nil") MIP \(b[t].map(fmt) ?? "nil")")
            }
        }
    }

    /// `fits` in the leftover capacity of a real plan against the brute force's placements.
    static func crossCheckFits(_ plan: Plan, label: String, problem: OracleProblem, brute: OracleBruteForce,
                               report: inout DifferentialReport) {
        let read = problem.read(plan)
        guard read.violations.isEmpty else { return }
        let free = problem.freeCapacity(after: read.placements)
        for (j, _) in read.unplaced {
            let left = problem.quotaLeft(j, holding: read.placements)
            let byBrute = brute.options[j].contains { option in
                let gpw = problem.shape(j, option.shape).gpusPerWorker
                return (left.map { problem.gpus(j, option.shape) <= $0 } ?? true)
                    && option.workers.allSatisfy { free[$0.key] >= $0.value * gpw }
            }
            if byBrute != problem.fits(j, free: free, quotaLeft: left) {
                report.fail(.oracleSelfCheck, "\(label): \(problem.jobs[j].id) fits \(!byBrute), brute force \(byBrute)")
            }
        }
    }
}
