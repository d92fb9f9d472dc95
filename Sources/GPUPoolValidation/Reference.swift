import Foundation
import GPUPoolHeuristics
import GPUPoolModel
import GPUPoolPlanner
import GPUPoolSupport
import GPUPoolSolver
import GRDB

/// The value a heuristic is measured against, labelled by what is known of it.
public struct Reference: Sendable, Hashable, Codable {
    /// What the reference value is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Proven optimal (by GLPK, or claimed by a known-optima file).
        case optimum
        /// A feasible value not proven optimal (a time-limited exact run, or a best-known value).
        case bestKnown = "best_known"
        /// Only a bound is known (no feasible point).
        case bound
        /// Proven (or claimed) infeasible.
        case infeasible
        /// Nothing is known.
        case unknown
    }

    public var kind: Kind
    /// The reference objective (`nil` for ``Kind/bound``, ``Kind/infeasible``, ``Kind/unknown``).
    public var objective: Double?
    /// The best bound, when known.
    public var bound: Double?
    /// Relative gap between objective and bound, when both are known.
    public var gap: Double?
    /// The exact solver's termination status, or `known` for a known-optima entry.
    public var status: String
    /// `glpk`, `cache` (a stored GLPK run), `known` (a known-optima file).
    public var source: String
    /// Seconds the exact run took (`nil` for known values).
    public var seconds: Double?

    public init(kind: Kind, objective: Double?, bound: Double? = nil, gap: Double? = nil, status: String, source: String, seconds: Double? = nil) {
        self.kind = kind
        self.objective = objective
        self.bound = bound
        self.gap = gap
        self.status = status
        self.source = source
        self.seconds = seconds
    }

    /// The reference from an exact solve's outcome: `optimal` → optimum; a point without proof →
    /// best-known; only a bound → bound; `infeasible` → infeasible.
    public static func fromExact(status: TerminationStatus, objective: Double?, bound: Double?, seconds: Double, source: String = "glpk") -> Reference {
        let kind: Kind
        switch status {
        case .optimal: kind = objective == nil ? .unknown : .optimum
        case .infeasible: kind = .infeasible
        default: kind = objective != nil ? .bestKnown : (bound != nil ? .bound : .unknown)
        }
        var gap: Double?
        if let objective, let bound, objective.isFinite, bound.isFinite {
            gap = abs(objective - bound) / max(1e-9, abs(objective))
        }
        return Reference(kind: kind, objective: kind == .bound ? nil : objective, bound: bound?.isFinite == true ? bound : nil,
                         gap: gap, status: status.rawValue, source: source, seconds: seconds)
    }
}

/// Known optima from a MIPLIB-style `.solu` file: lines `=opt= NAME VALUE`, `=best= NAME VALUE`,
/// `=inf= NAME` (also `=unkn= NAME`, `=bestdual= NAME VALUE`; other lines and `#` comments are
/// ignored). `=opt=` is an optimum, `=best=` a best-known value.
public enum SoluFile {
    /// Parses `.solu` text into references keyed by instance name.
    /// - Throws: ``ValidationInputError`` naming the line that cannot be read.
    public static func parse(_ text: String, file: String = "<solu>") throws(ValidationInputError) -> [String: Reference] {
        var out: [String: Reference] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let tag = fields.first, tag.hasPrefix("="), !tag.hasPrefix("#") else { continue }
            func bad(_ why: String) -> ValidationInputError {
                ValidationInputError(file: file, problem: nil, message: "line \(n + 1): \(why)")
            }
            guard fields.count >= 2 else { throw bad("\(tag) without an instance name") }
            let name = fields[1]
            func value() throws(ValidationInputError) -> Double {
                guard fields.count >= 3, let v = Double(fields[2]), v.isFinite else { throw bad("\(tag) \(name) needs a finite value") }
                return v
            }
            switch tag {
            case "=opt=": out[name] = Reference(kind: .optimum, objective: try value(), bound: try value(), gap: 0, status: "known", source: "known")
            case "=best=": out[name] = Reference(kind: .bestKnown, objective: try value(), status: "known", source: "known")
            case "=inf=": out[name] = Reference(kind: .infeasible, objective: nil, status: "known", source: "known")
            case "=bestdual=":
                let v = try value()
                if var r = out[name] { r.bound = v; out[name] = r } else { out[name] = Reference(kind: .bound, objective: nil, bound: v, status: "known", source: "known") }
            case "=unkn=": if out[name] == nil { out[name] = Reference(kind: .unknown, objective: nil, status: "known", source: "known") }
            default: throw bad("unknown tag \(tag) (expected =opt=, =best=, =inf=, =unkn=, =bestdual=)")
            }
        }
        return out
    }

    /// Reads a `.solu` file.
    public static func load(path: String) throws(ValidationInputError) -> [String: Reference] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ValidationInputError(file: path, problem: nil, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }
}

/// A stable 128-bit fingerprint (hex) of a lowered program: sense, objective, matrix, bounds and
/// integrality (names excluded), as the reference store's key. Not cryptographic.
public enum InstanceHash {
    /// The fingerprint of a planner instance: its documented JSON form (keys sorted), prefixed so that
    /// it never meets a program's key.
    public static func of(_ planning: PlanningCase) throws -> String {
        let data = try planning.instanceJSON()
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in data {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 ^ (b >> 29)
        }
        return "plan-" + String(format: "%016llx%016llx", a, b)
    }

    public static func of(_ p: LinearProgram) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
        func mix(_ x: UInt64) {
            var v = x
            for _ in 0..<8 {
                let byte = v & 0xff
                a = (a ^ byte) &* 0x0000_0100_0000_01b3
                b = (b ^ byte) &* 0x0000_0100_0000_01b3 ^ (b >> 29)
                v >>= 8
            }
        }
        func mix(_ d: Double) { mix((d == 0 ? 0.0 : d).bitPattern) }  // -0 and +0 alike
        func mix(_ ds: [Double]) { mix(UInt64(ds.count)); for d in ds { mix(d) } }
        mix(p.sense == .maximize ? 1 as UInt64 : 0)
        mix(UInt64(p.rowCount)); mix(UInt64(p.columnCount))
        mix(p.objective); mix(p.objectiveConstant)
        mix(UInt64(p.matrix.columnStarts.count)); for s in p.matrix.columnStarts { mix(UInt64(s)) }
        mix(UInt64(p.matrix.rowIndices.count)); for r in p.matrix.rowIndices { mix(UInt64(UInt32(bitPattern: r))) }
        mix(p.matrix.values)
        mix(p.rowLower); mix(p.rowUpper); mix(p.columnLower); mix(p.columnUpper)
        for i in p.isInteger { mix(i ? 1 as UInt64 : 0) }
        return String(format: "%016llx%016llx", a, b)
    }
}

/// Exact references cached in SQLite (GRDB), keyed by ``InstanceHash`` of the lowered instance, so a
/// second run reuses them. A stored run is reused when it proved its answer (optimal or
/// infeasible) or ran at least as long as the time limit now asked for.
public final class ReferenceStore: Sendable {
    public let path: String
    private let database: DatabaseQueue

    /// Opens (creating if needed) the store at `path`.
    public init(path: String) throws(ValidationInputError) {
        self.path = path
        do {
            database = try DatabaseQueue(path: path)
            var m = DatabaseMigrator()
            m.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE refs(
                        key TEXT PRIMARY KEY, instance TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
                        objective REAL, bound REAL, gap REAL, seconds REAL, time_limit REAL NOT NULL, created REAL NOT NULL)
                    """)
            }
            try m.migrate(database)
        } catch {
            throw ValidationInputError(file: path, problem: nil, message: "reference store: \(error)")
        }
    }

    /// The stored reference for `key` if it may be reused under `timeLimit`.
    public func lookup(key: String, timeLimit: Double) throws(ValidationInputError) -> Reference? {
        do {
            return try database.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM refs WHERE key = ?", arguments: [key]) else { return nil }
                let kind = Reference.Kind(rawValue: row["kind"]) ?? .unknown
                let limit: Double = row["time_limit"]
                guard kind == .optimum || kind == .infeasible || limit >= timeLimit else { return nil }
                return Reference(kind: kind, objective: row["objective"], bound: row["bound"], gap: row["gap"],
                                 status: row["status"], source: "cache", seconds: row["seconds"])
            }
        } catch {
            throw ValidationInputError(file: path, problem: nil, message: "reference store: \(error)")
        }
    }

    /// Stores (replacing) the reference for `key`.
    public func store(key: String, instance: String, reference r: Reference, timeLimit: Double) throws(ValidationInputError) {
        do {
            try database.write { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO refs(key, instance, kind, status, objective, bound, gap, seconds, time_limit, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [key, instance, r.kind.rawValue, r.status, r.objective, r.bound, r.gap, r.seconds, timeLimit,
                                     Date().timeIntervalSince1970])
            }
        } catch {
            throw ValidationInputError(file: path, problem: nil, message: "reference store: \(error)")
        }
    }

    /// Number of stored references.
    public func count() throws -> Int { try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM refs") ?? 0 } }
}

/// Computes exact references with GLPK (method auto under a time limit), through a store when given.
public struct ReferenceSolver: Sendable {
    public var timeLimit: Double
    public var store: ReferenceStore?

    public init(timeLimit: Double = 20, store: ReferenceStore? = nil) {
        self.timeLimit = timeLimit
        self.store = store
    }

    /// The reference of `problem`: from the store if reusable, else solved (and stored).
    public func reference(for problem: ValidationProblem) throws(ValidationInputError) -> Reference {
        if let planning = problem.planning { return try reference(for: planning, problem: problem) }
        let program: LinearProgram
        do { program = try problem.lowered() } catch {
            throw ValidationInputError(file: problem.file, problem: problem.index, message: "cannot lower: \(error)")
        }
        let key = InstanceHash.of(program)
        if let store, let cached = try store.lookup(key: key, timeLimit: timeLimit) { return cached }
        let r: Reference
        do throws(SolverError) {
            if let gap = problem.assignment {
                let s = try AssignmentSolver.solve(gap, method: .auto, heuristic: AssignmentHeuristic(method: .tabu, timeLimit: 1, seed: 1), timeLimit: timeLimit)
                r = Reference.fromExact(status: s.termination, objective: s.objective, bound: s.bound, seconds: s.seconds)
            } else {
                let s = try Solver.solve(program, options: SolveOptions(method: .auto, timeLimit: timeLimit))
                r = Reference.fromExact(status: s.termination, objective: s.hasSolution ? s.objective : nil, bound: s.bestBound, seconds: s.seconds)
            }
        } catch {
            throw ValidationInputError(file: problem.file, problem: problem.index, message: "exact reference: \(error.description)")
        }
        if let store { try store.store(key: key, instance: problem.instance, reference: r, timeLimit: timeLimit) }
        return r
    }

    /// A planner instance's reference: the planner's exact method (`auto`) under the instance's policy,
    /// scored like every heuristic plan (``GPUPoolPlanner/PlanScore``).
    ///
    /// `max-utilization` and `max-throughput` are the first stage of their policy, so a proven stage is an
    /// optimum and its bound a bound. `min-cost` and `max-availability` come after maximum utilization
    /// (work conservation, Docs/Planning.md): the planner's value is the best among plans of maximum
    /// utilization, which a plan placing fewer GPUs may beat, so it is a best-known value without a bound.
    private func reference(for planning: PlanningCase, problem: ValidationProblem) throws(ValidationInputError) -> Reference {
        let key: String
        do { key = try InstanceHash.of(planning) } catch {
            throw ValidationInputError(file: problem.file, problem: problem.index, message: "cannot encode the instance: \(error)")
        }
        if let store, let cached = try store.lookup(key: key, timeLimit: timeLimit) { return cached }
        let start = ContinuousClock.now
        let plan: Plan
        let value: Double
        do throws(PlannerError) {
            plan = try Planner(options: PlannerOptions(policies: [planning.policy], method: .auto, timeLimit: timeLimit))
                .plan(pool: planning.pool, workload: planning.workload)
            value = try PlanScore.value(of: plan, policy: planning.policy, pool: planning.pool, workload: planning.workload)
        } catch {
            throw ValidationInputError(file: problem.file, problem: problem.index, message: "exact reference: \(error.description)")
        }
        let seconds = (ContinuousClock.now - start).seconds
        let first = PlanningPolicy.effectiveOrder([planning.policy]).first == planning.policy
        let stage = plan.stages.first { $0.objective == planning.policy.rawValue }
        let r: Reference
        if first, let stage, stage.status == .optimal {
            r = Reference(kind: .optimum, objective: value, bound: stage.bound, gap: stage.gap, status: "optimal", source: "planner", seconds: seconds)
        } else if first, let stage {
            r = Reference(kind: .bestKnown, objective: value, bound: stage.bound, gap: stage.gap, status: "feasible", source: "planner", seconds: seconds)
        } else {
            r = Reference(kind: .bestKnown, objective: value, status: stage?.status.rawValue ?? "feasible", source: "planner", seconds: seconds)
        }
        if let store { try store.store(key: key, instance: problem.instance, reference: r, timeLimit: timeLimit) }
        return r
    }
}
