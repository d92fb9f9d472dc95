import Foundation

/// Gavel's measured isolated throughputs (`simulation_throughputs.json`): steps/s per worker type and job
/// key `('<job type>', <scale factor>)`. Only the `"null"` (no co-located job) entries are kept.
public struct GavelThroughputs: Sendable, Hashable {
    /// A job type at a scale factor.
    public struct JobKey: Sendable, Hashable, Comparable {
        /// Job type, e.g. `"ResNet-50 (batch size 64)"`.
        public var jobType: String
        /// GPUs.
        public var scaleFactor: Int

        /// Creates a key.
        public init(jobType: String, scaleFactor: Int) {
            self.jobType = jobType
            self.scaleFactor = scaleFactor
        }

        /// Gavel's text form: `('ResNet-50 (batch size 64)', 1)`.
        public var text: String { "('\(jobType)', \(scaleFactor))" }

        /// Parses Gavel's text form.
        public init?(text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("('"), trimmed.hasSuffix(")"), let split = trimmed.range(of: "', ", options: .backwards)
            else { return nil }
            let typeStart = trimmed.index(trimmed.startIndex, offsetBy: 2)
            guard typeStart <= split.lowerBound else { return nil }
            let scaleText = trimmed[split.upperBound..<trimmed.index(before: trimmed.endIndex)]
            guard let scale = Int(scaleText.trimmingCharacters(in: .whitespaces)), scale > 0 else { return nil }
            jobType = String(trimmed[typeStart..<split.lowerBound])
            scaleFactor = scale
        }

        /// Orders by job type, then scale factor.
        public static func < (a: JobKey, b: JobKey) -> Bool {
            (a.jobType, a.scaleFactor) < (b.jobType, b.scaleFactor)
        }
    }

    /// Gavel worker types and the canonical accelerator models they stand for.
    public static let workerTypeModels: [String: String] = ["v100": "V100", "p100": "P100", "k80": "K80"]

    /// Isolated steps/s: worker type (`"v100"`, `"p100"`, `"k80"`, `"v100_unconsolidated"` …) → job key → value.
    public var isolated: [String: [JobKey: Double]]

    /// Creates a matrix.
    public init(isolated: [String: [JobKey: Double]]) { self.isolated = isolated }

    /// Parses `simulation_throughputs.json` (or a subset with the same structure).
    ///
    /// - Throws: ``DomainError`` naming every malformed worker type, job key or value.
    public static func parse(data: Data, fileName: String = "simulation_throughputs.json") throws -> GavelThroughputs {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw DomainError(problems: [Problem(file: fileName, item: "JSON", message: "cannot be parsed: \(error.localizedDescription)")])
        }
        guard let workers = root as? [String: Any] else {
            throw DomainError(problems: [Problem(file: fileName, item: "document", message: "top level must be an object of worker types")])
        }
        var problems: [Problem] = []
        var isolated: [String: [JobKey: Double]] = [:]
        for (workerType, jobsValue) in workers.sorted(by: { $0.key < $1.key }) {
            guard let jobs = jobsValue as? [String: Any] else {
                problems.append(Problem(file: fileName, item: "worker type \"\(workerType)\"", message: "must be an object of job keys"))
                continue
            }
            var values: [JobKey: Double] = [:]
            for (keyText, entry) in jobs {
                guard let key = JobKey(text: keyText) else {
                    problems.append(Problem(file: fileName, item: "\(workerType) job key \"\(keyText)\"",
                                            message: "expected ('<job type>', <scale factor>)"))
                    continue
                }
                guard let entryObject = entry as? [String: Any], let number = entryObject["null"] as? NSNumber,
                      isNotBoolean(number), number.doubleValue.isFinite, number.doubleValue >= 0
                else {
                    problems.append(Problem(file: fileName, item: "\(workerType) \(keyText)",
                                            message: "needs a \"null\" entry with a finite throughput ≥ 0"))
                    continue
                }
                values[key] = number.doubleValue
            }
            isolated[workerType] = values
        }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return GavelThroughputs(isolated: isolated)
    }

    /// Reads and parses a throughputs file.
    public static func read(path: String) throws -> GavelThroughputs {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "cannot be read: \(error.localizedDescription)")])
        }
        return try parse(data: data, fileName: path)
    }

    /// Isolated steps/s of `jobType` at `scaleFactor` GPUs on `workerType`.
    ///
    /// When the matrix lacks that scale factor (Gavel measured 1, 2, 4, 8 GPUs; traces go up to 64), the
    /// largest measured smaller scale is scaled linearly: `value(s) × scaleFactor / s` — an optimistic estimate.
    public func throughput(jobType: String, scaleFactor: Int, workerType: String) -> Double? {
        guard let table = isolated[workerType] else { return nil }
        if let exact = table[JobKey(jobType: jobType, scaleFactor: scaleFactor)] { return exact }
        let smaller = table.keys.filter { $0.jobType == jobType && $0.scaleFactor < scaleFactor }
        guard let base = smaller.max(by: { $0.scaleFactor < $1.scaleFactor }), let value = table[base] else { return nil }
        return value * Double(scaleFactor) / Double(base.scaleFactor)
    }

    /// Job types present for a worker type.
    public func jobTypes(workerType: String = "v100") -> [String] {
        Array(Set((isolated[workerType] ?? [:]).keys.map(\.jobType))).sorted()
    }
}

/// JSONSerialization yields NSNumber for both booleans and numbers; reject booleans.
private func isNotBoolean(_ number: NSNumber) -> Bool {
    String(cString: number.objCType) != "c"
}
