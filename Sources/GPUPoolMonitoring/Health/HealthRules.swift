import Foundation
import Yams
import GPUPoolTelemetry

/// The health policy's configurable thresholds (YAML, see Docs/Monitoring.md). Every field may be
/// omitted and keeps its default.
///
/// Actions: a warning marks a node **suspect**, a critical reading **cordons** it (no new work),
/// serious faults **drain** it (its jobs move), telemetry missing for ``failAfterSeconds`` marks it
/// **failed**. A node whose problem persists escalates one step every ``escalateAfterSeconds``
/// (suspect → cordoned → draining); a node with no finding for ``cleanSeconds`` returns to service.
public struct HealthRules: Sendable, Hashable, Codable {
    /// A reading with a warning and a critical level and hysteresis: once above a level, the
    /// finding lasts until the reading drops `hysteresis` below that level.
    public struct Threshold: Sendable, Hashable, Codable {
        /// At or above: suspect.
        public var warn: Double
        /// At or above: cordon.
        public var critical: Double
        /// How far below a level the reading must fall to clear it.
        public var hysteresis: Double

        /// Creates a threshold.
        public init(warn: Double, critical: Double, hysteresis: Double) {
            self.warn = warn
            self.critical = critical
            self.hysteresis = hysteresis
        }
    }

    /// GPU temperature (°C). Default warn 85, critical 92, hysteresis 5.
    public var temperature: Threshold?
    /// Power draw (W); `nil` (default) disables the rule. Power above the enforced limit
    /// reported by the GPU always counts as a warning when ``powerAboveLimit`` is set.
    public var power: Threshold?
    /// Warn when a GPU draws more than its reported power limit (default true).
    public var powerAboveLimit: Bool
    /// An allocated GPU below this utilisation (%) for ``lowUtilizationSeconds`` marks its node
    /// suspect (a hung job). Default 5 %.
    public var lowUtilizationPct: Double?
    /// See ``lowUtilizationPct``. Default 900 s.
    public var lowUtilizationSeconds: Double
    /// Corrected ECC errors growing by at least this much within ``eccWindowSeconds``: suspect. Default 100.
    public var eccCorrectedGrowth: Int
    /// Window for ``eccCorrectedGrowth``. Default 3600 s.
    public var eccWindowSeconds: Double
    /// Any growth of uncorrected ECC errors: drain. Default true.
    public var drainOnUncorrectedECC: Bool
    /// Growth of uncorrectable remapped rows or a pending remap: cordon; a remap failure: drain. Default true.
    public var remappedRows: Bool
    /// XID codes that drain the node (default 48, 63, 64, 74, 79, 94, 95).
    public var seriousXIDs: [Int]
    /// XID codes blamed on the job, not the node (default 13, 31, 43): recorded as job faults.
    public var jobLevelXIDs: [Int]
    /// This many job-level XIDs on a node within ``jobLevelWindowSeconds`` mark it suspect. Default 3.
    public var jobLevelRepeats: Int
    /// See ``jobLevelRepeats``. Default 3600 s.
    public var jobLevelWindowSeconds: Double
    /// No sample from a node for this long: cordon. Default 120 s.
    public var staleAfterSeconds: Double
    /// No sample from a node for this long: failed. Default 600 s.
    public var failAfterSeconds: Double
    /// A persisting problem escalates one step (suspect → cordoned → draining) after this long in a state. Default 600 s.
    public var escalateAfterSeconds: Double
    /// A node with no finding for this long returns to healthy. Default 900 s.
    public var cleanSeconds: Double

    /// Creates rules; the defaults follow NVIDIA's XID guidance and common fleet practice.
    public init(
        temperature: Threshold? = Threshold(warn: 85, critical: 92, hysteresis: 5), power: Threshold? = nil,
        powerAboveLimit: Bool = true, lowUtilizationPct: Double? = 5, lowUtilizationSeconds: Double = 900,
        eccCorrectedGrowth: Int = 100, eccWindowSeconds: Double = 3600, drainOnUncorrectedECC: Bool = true,
        remappedRows: Bool = true, seriousXIDs: [Int] = [48, 63, 64, 74, 79, 94, 95], jobLevelXIDs: [Int] = [13, 31, 43],
        jobLevelRepeats: Int = 3, jobLevelWindowSeconds: Double = 3600, staleAfterSeconds: Double = 120,
        failAfterSeconds: Double = 600, escalateAfterSeconds: Double = 600, cleanSeconds: Double = 900
    ) {
        self.temperature = temperature
        self.power = power
        self.powerAboveLimit = powerAboveLimit
        self.lowUtilizationPct = lowUtilizationPct
        self.lowUtilizationSeconds = lowUtilizationSeconds
        self.eccCorrectedGrowth = eccCorrectedGrowth
        self.eccWindowSeconds = eccWindowSeconds
        self.drainOnUncorrectedECC = drainOnUncorrectedECC
        self.remappedRows = remappedRows
        self.seriousXIDs = seriousXIDs
        self.jobLevelXIDs = jobLevelXIDs
        self.jobLevelRepeats = jobLevelRepeats
        self.jobLevelWindowSeconds = jobLevelWindowSeconds
        self.staleAfterSeconds = staleAfterSeconds
        self.failAfterSeconds = failAfterSeconds
        self.escalateAfterSeconds = escalateAfterSeconds
        self.cleanSeconds = cleanSeconds
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case temperature, power, powerAboveLimit, lowUtilizationPct, lowUtilizationSeconds, eccCorrectedGrowth
        case eccWindowSeconds, drainOnUncorrectedECC, remappedRows, seriousXIDs, jobLevelXIDs, jobLevelRepeats
        case jobLevelWindowSeconds, staleAfterSeconds, failAfterSeconds, escalateAfterSeconds, cleanSeconds
    }

    /// Decodes rules; omitted fields keep their defaults. `temperature: null` disables the rule.
    public init(from decoder: any Decoder) throws {
        let d = HealthRules()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        temperature = c.contains(.temperature) ? try c.decodeIfPresent(Threshold.self, forKey: .temperature) : d.temperature
        power = try c.decodeIfPresent(Threshold.self, forKey: .power)
        powerAboveLimit = try c.decodeIfPresent(Bool.self, forKey: .powerAboveLimit) ?? d.powerAboveLimit
        lowUtilizationPct = c.contains(.lowUtilizationPct) ? try c.decodeIfPresent(Double.self, forKey: .lowUtilizationPct) : d.lowUtilizationPct
        lowUtilizationSeconds = try c.decodeIfPresent(Double.self, forKey: .lowUtilizationSeconds) ?? d.lowUtilizationSeconds
        eccCorrectedGrowth = try c.decodeIfPresent(Int.self, forKey: .eccCorrectedGrowth) ?? d.eccCorrectedGrowth
        eccWindowSeconds = try c.decodeIfPresent(Double.self, forKey: .eccWindowSeconds) ?? d.eccWindowSeconds
        drainOnUncorrectedECC = try c.decodeIfPresent(Bool.self, forKey: .drainOnUncorrectedECC) ?? d.drainOnUncorrectedECC
        remappedRows = try c.decodeIfPresent(Bool.self, forKey: .remappedRows) ?? d.remappedRows
        seriousXIDs = try c.decodeIfPresent([Int].self, forKey: .seriousXIDs) ?? d.seriousXIDs
        jobLevelXIDs = try c.decodeIfPresent([Int].self, forKey: .jobLevelXIDs) ?? d.jobLevelXIDs
        jobLevelRepeats = try c.decodeIfPresent(Int.self, forKey: .jobLevelRepeats) ?? d.jobLevelRepeats
        jobLevelWindowSeconds = try c.decodeIfPresent(Double.self, forKey: .jobLevelWindowSeconds) ?? d.jobLevelWindowSeconds
        staleAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .staleAfterSeconds) ?? d.staleAfterSeconds
        failAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .failAfterSeconds) ?? d.failAfterSeconds
        escalateAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .escalateAfterSeconds) ?? d.escalateAfterSeconds
        cleanSeconds = try c.decodeIfPresent(Double.self, forKey: .cleanSeconds) ?? d.cleanSeconds
    }

    /// Problems with the values (empty when valid).
    public func problems() -> [String] {
        var p: [String] = []
        func positive(_ name: String, _ v: Double) { if !(v > 0) || !v.isFinite { p.append("\(name) \(v) must be a positive number of seconds") } }
        for (name, t) in [("temperature", temperature), ("power", power)] {
            guard let t else { continue }
            if !t.warn.isFinite || !t.critical.isFinite || !(t.hysteresis >= 0) || !t.hysteresis.isFinite {
                p.append("\(name): warn, critical and hysteresis must be finite numbers, hysteresis ≥ 0")
            } else if t.critical < t.warn {
                p.append("\(name): critical \(t.critical) is below warn \(t.warn)")
            }
        }
        if let u = lowUtilizationPct, !(0...100).contains(u) { p.append("lowUtilizationPct \(u) must be in 0...100") }
        positive("lowUtilizationSeconds", lowUtilizationSeconds)
        positive("eccWindowSeconds", eccWindowSeconds)
        positive("jobLevelWindowSeconds", jobLevelWindowSeconds)
        positive("staleAfterSeconds", staleAfterSeconds)
        positive("failAfterSeconds", failAfterSeconds)
        positive("escalateAfterSeconds", escalateAfterSeconds)
        positive("cleanSeconds", cleanSeconds)
        if failAfterSeconds < staleAfterSeconds { p.append("failAfterSeconds \(failAfterSeconds) is below staleAfterSeconds \(staleAfterSeconds)") }
        if eccCorrectedGrowth < 1 { p.append("eccCorrectedGrowth \(eccCorrectedGrowth) must be at least 1") }
        if jobLevelRepeats < 1 { p.append("jobLevelRepeats \(jobLevelRepeats) must be at least 1") }
        let both = Set(seriousXIDs).intersection(jobLevelXIDs)
        if !both.isEmpty { p.append("XID codes \(both.sorted()) are both serious and job-level") }
        return p
    }

    /// Parses rules from YAML text; `fileName` names the source in errors.
    /// - Throws: ``MonitoringError/invalidRules(_:)`` naming the file and the problem.
    public static func parse(yaml: String, fileName: String = "rules") throws(MonitoringError) -> HealthRules {
        let rules: HealthRules
        do {
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            if let top = try Yams.load(yaml: yaml) as? [String: Any] {
                let unknown = top.keys.filter { !known.contains($0) }.sorted()
                if !unknown.isEmpty {
                    throw MonitoringError.invalidRules(unknown.map { "\(fileName): unknown rule '\($0)' (known: \(known.sorted().joined(separator: ", ")))" })
                }
            } else if !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw MonitoringError.invalidRules(["\(fileName): expected a mapping of rule names to values"])
            }
            rules = yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? HealthRules() : try YAMLDecoder().decode(HealthRules.self, from: yaml)
        } catch let error as MonitoringError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.keyNotFound(_, context), let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .invalidRules(["\(fileName): \(path.isEmpty ? "" : path + ": ")\(context.debugDescription)"])
        } catch {
            throw .invalidRules(["\(fileName): \(error)"])
        }
        let problems = rules.problems()
        if !problems.isEmpty { throw .invalidRules(problems.map { "\(fileName): \($0)" }) }
        return rules
    }

    /// Reads rules from a YAML file.
    public static func read(path: String) throws(MonitoringError) -> HealthRules {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "cannot be read") }
        return try parse(yaml: String(decoding: data, as: UTF8.self), fileName: path)
    }
}
