import Foundation
import GPUPoolFormats
import GPUPoolHeuristics
import GPUPoolModel
import GPUPoolPlanner

/// One problem to validate: where it came from and the problem itself — a generalized-assignment
/// problem (GAP), a general LP/MIP, or a planner instance (a pool and workload under a policy).
///
/// Build one in memory with ``init(assignment:name:family:)`` or ``init(program:name:family:)``,
/// read files with ``load(files:sense:)`` (OR-Library GAP files, MPS, fixed MPS, LP, JSON models,
/// folders of them), or generate seeded GAP instances with ``generated(type:items:bins:count:seed:sense:)``.
///
/// ```swift
/// let gap = try ValidationProblem.generated(type: .d, items: 40, bins: 5, count: 3, seed: 7)
/// let mip = ValidationProblem(program: try model.lowered(), name: "my-model")
/// ```
public struct ValidationProblem: Sendable {
    /// What the problem is.
    public enum Content: Sendable {
        /// A generalized-assignment problem, checked by `AssignmentProblem.check`.
        case assignment(AssignmentProblem)
        /// A general LP or MIP, checked by `SolutionChecker`.
        case program(LinearProgram)
        /// A planner instance (a pool and workload under a policy), checked by `PlanChecker`.
        case planning(PlanningCase)
    }

    /// The file the problem came from (or a label for an in-memory problem).
    public var file: String
    /// 1-based index of the problem in its file.
    public var index: Int
    /// The problem.
    public var content: Content
    /// The instance name, used in reports and known-optima files.
    public var instance: String
    /// The family for summaries (by default the file name without extension).
    public var family: String

    /// A GAP problem read from `file` (problem `index` of it), named `FILE-K` as in known-optima files.
    public init(file: String, index: Int, assignment: AssignmentProblem) {
        self.file = file
        self.index = index
        self.content = .assignment(assignment)
        self.instance = KnownOptima.key(file: file, problem: index)
        self.family = KnownOptima.family(of: file)
    }

    /// A GAP problem built in memory.
    /// - Parameters:
    ///   - name: the instance name (default: the problem's own name, else `gap`).
    ///   - family: the family in summaries (default: `name` up to its last `-`).
    public init(assignment: AssignmentProblem, name: String? = nil, family: String? = nil) {
        let label = name ?? assignment.name ?? "gap"
        self.file = label
        self.index = 1
        self.content = .assignment(assignment)
        self.instance = label
        self.family = family ?? Self.defaultFamily(label)
    }

    /// A general LP/MIP built in memory (for example `try model.lowered()`).
    /// - Parameters:
    ///   - name: the instance name (default: the program's name, else `model`); `.solu` files key on it.
    ///   - family: the family in summaries (default: `mip` for a program with integer columns, else `lp`).
    public init(program: LinearProgram, name: String? = nil, family: String? = nil) {
        let label = name ?? program.name ?? "model"
        self.file = label
        self.index = 1
        self.content = .program(program)
        self.instance = label
        self.family = family ?? (program.hasIntegerColumns ? "mip" : "lp")
    }

    /// Any content with its labels (the other initialisers name things for their kind).
    init(content: Content, file: String, instance: String, family: String) {
        self.file = file
        self.index = 1
        self.content = content
        self.instance = instance
        self.family = family
    }

    /// The GAP problem, or `nil` for a general program.
    public var assignment: AssignmentProblem? {
        if case let .assignment(p) = content { return p }
        return nil
    }

    /// The general program, or `nil` for a GAP problem.
    public var program: LinearProgram? {
        if case let .program(p) = content { return p }
        return nil
    }

    /// The GAP problem. Only for GAP problems (as before general programs were accepted); use
    /// ``assignment`` when the problem may be a program.
    public var problem: AssignmentProblem {
        guard let assignment else { preconditionFailure("\(instance) is not an assignment problem") }
        return assignment
    }

    /// The problem in the lowered sparse form: the program itself, or the GAP problem's MIP model.
    public func lowered() throws -> LinearProgram {
        switch content {
        case let .program(p): return p
        case let .assignment(a): return try a.makeModel().lowered()
        case .planning: throw ValidationInputError(file: file, problem: index, message: "a planner instance has no lowered program; its plans are checked by PlanChecker")
        }
    }

    /// `"max"` or `"min"`.
    public var sense: String {
        switch content {
        case let .assignment(a): a.sense == .maximize ? "max" : "min"
        case let .program(p): p.sense == .maximize ? "max" : "min"
        case let .planning(p): PlanScore.maximizes(p.policy) ? "max" : "min"
        }
    }

    /// Whether larger objective values are better.
    public var maximizes: Bool { sense == "max" }

    /// Seeded random GAP instances of a Chu–Beasley type (A–E), via `AssignmentProblem.random`.
    /// Instance `k` (from 1) uses seed `seed + k - 1` and is named `gapTYPE-ITEMSxBINS-sSEED`.
    /// - Throws: ``ValidationInputError`` for out-of-range parameters.
    public static func generated(
        type: GAPInstanceType, items: Int, bins: Int, count: Int = 1, seed: UInt64 = 1, sense: AssignmentSense = .minimize
    ) throws(ValidationInputError) -> [ValidationProblem] {
        let family = "gen\(type.rawValue)-\(items)x\(bins)"
        var out: [ValidationProblem] = []
        for k in 0..<max(0, count) {
            let s = seed &+ UInt64(k)
            do {
                var p = try AssignmentProblem.random(items: items, bins: bins, type: type, seed: s, sense: sense)
                p.name = "\(family)-s\(s)"
                out.append(ValidationProblem(assignment: p, name: "\(family)-s\(s)", family: family))
            } catch {
                throw ValidationInputError(file: family, problem: k + 1, message: error.description)
            }
        }
        return out
    }

    /// Model file extensions read by ``load(files:sense:)`` as general programs.
    public static let modelExtensions: Set<String> = ["mps", "lp", "json"]

    /// Reads every problem of every file: OR-Library GAP files (`.txt`, several problems each) and
    /// model files (`.mps` free or fixed, `.lp`, `.json`, one program each; a `.json` file in the
    /// `AssignmentProblem` layout is read as a GAP problem); a folder stands for
    /// the files in it with those extensions, in name order. A file that cannot be read yields an
    /// error naming it; the other files still load.
    /// - Parameter sense: objective sense of GAP files (default by file name, gap1–12 max, gapa–d min).
    public static func load(files: [String], sense: AssignmentSense? = nil) -> (problems: [ValidationProblem], errors: [ValidationInputError]) {
        var problems: [ValidationProblem] = []
        var errors: [ValidationInputError] = []
        for path in expand(files) {
            let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
            if modelExtensions.contains(ext) {
                do {
                    let read = try ModelFile.read(path: path)
                    let program = try read.model.lowered()
                    var p = ValidationProblem(program: program, name: KnownOptima.family(of: path), family: nil)
                    p.file = path
                    problems.append(p)
                } catch {
                    // A .json file may also be a GAP problem in the AssignmentProblem layout (what the
                    // harness hands external heuristics).
                    if ext == "json", let data = FileManager.default.contents(atPath: path),
                       let gap = try? JSONDecoder().decode(AssignmentProblem.self, from: data) {
                        var p = ValidationProblem(assignment: gap, name: KnownOptima.family(of: path), family: nil)
                        p.file = path
                        problems.append(p)
                    } else {
                        errors.append(ValidationInputError(file: path, problem: nil, message: "\(error)"))
                    }
                }
            } else {
                let run = ValidationRun(sense: sense)
                let (ps, es) = run.loadProblems(files: [path])
                problems += ps
                errors += es
            }
        }
        return (problems, errors)
    }

    /// Folders replaced by their model files in name order (a known-optima `optima.json` is skipped); files kept as given.
    static func expand(_ files: [String]) -> [String] {
        var out: [String] = []
        for f in files {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: f, isDirectory: &isDir), isDir.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: f)) ?? []
                for n in names.sorted() where modelExtensions.contains(URL(fileURLWithPath: n).pathExtension.lowercased()) && n != "optima.json" {
                    out.append(URL(fileURLWithPath: f).appendingPathComponent(n).path)
                }
            } else {
                out.append(f)
            }
        }
        return out
    }

    static func defaultFamily(_ name: String) -> String {
        guard let dash = name.lastIndex(of: "-"), dash != name.startIndex else { return name }
        return String(name[..<dash])
    }
}
