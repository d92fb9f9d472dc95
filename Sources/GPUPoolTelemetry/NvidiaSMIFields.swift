import Foundation

/// The `--query-gpu` fields the parser reads. Other fields are accepted and ignored.
enum NvidiaSMIField: Sendable {
    case index, uuid, name, hostname, timestamp
    case temperatureGPU, temperatureMemory, powerDraw, powerDrawInstant, powerLimit
    case utilizationGPU, utilizationMemory, memoryUsed, memoryFree, memoryTotal, clockSM, clockMemory
    case eccCorrectedAggregate, eccUncorrectedAggregate, eccCorrectedVolatile, eccUncorrectedVolatile
    case remappedCorrectable, remappedUncorrectable, remappedPending, remappedFailure

    /// Field for a header or `--query-gpu` name (case-insensitive, a ` [unit]` suffix ignored).
    static func named(_ raw: String) -> NvidiaSMIField? {
        var name = Substring(raw)
        if let bracket = name.firstIndex(of: "[") { name = name[..<bracket] }
        return table[name.trimmingCharacters(in: .whitespaces).lowercased()]
    }

    private static let table: [String: NvidiaSMIField] = [
        "index": .index, "uuid": .uuid, "gpu_uuid": .uuid, "name": .name, "gpu_name": .name, "hostname": .hostname,
        "timestamp": .timestamp, "temperature.gpu": .temperatureGPU, "temperature.memory": .temperatureMemory,
        "power.draw": .powerDraw, "power.draw.instant": .powerDrawInstant, "enforced.power.limit": .powerLimit,
        "power.limit": .powerLimit, "utilization.gpu": .utilizationGPU, "utilization.memory": .utilizationMemory,
        "memory.used": .memoryUsed, "memory.free": .memoryFree, "memory.total": .memoryTotal,
        "clocks.sm": .clockSM, "clocks.current.sm": .clockSM, "clocks.mem": .clockMemory,
        "clocks.current.memory": .clockMemory,
        "ecc.errors.corrected.aggregate.total": .eccCorrectedAggregate,
        "ecc.errors.uncorrected.aggregate.total": .eccUncorrectedAggregate,
        "ecc.errors.corrected.volatile.total": .eccCorrectedVolatile,
        "ecc.errors.uncorrected.volatile.total": .eccUncorrectedVolatile,
        "remapped_rows.correctable": .remappedCorrectable, "remapped_rows.uncorrectable": .remappedUncorrectable,
        "remapped_rows.pending": .remappedPending, "remapped_rows.failure": .remappedFailure,
    ]

    /// Whether a header token looks like a query field name (letters, digits, `._`, optional ` [unit]`).
    static func looksLikeFieldName(_ token: String) -> Bool {
        var name = Substring(token)
        if let bracket = name.firstIndex(of: "[") {
            guard token.hasSuffix("]") else { return false }
            name = name[..<bracket]
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        return !trimmed.isEmpty && trimmed.unicodeScalars.allSatisfy {
            ($0.value >= 97 && $0.value <= 122) || ($0.value >= 65 && $0.value <= 90) || ($0.value >= 48 && $0.value <= 57)
                || $0 == "." || $0 == "_"
        }
    }
}

/// Column layout of one `--query-gpu` CSV section.
struct NvidiaSMICSVLayout: Sendable {
    /// The field of each column (`nil`: ignored).
    var columns: [NvidiaSMIField?]

    init(names: [String]) { columns = names.map(NvidiaSMIField.named) }

    /// The layout named by a header line when it names at least one known field and every
    /// token looks like a field name; else `nil`.
    static func header(_ tokens: [String]) -> NvidiaSMICSVLayout? {
        guard tokens.count >= 1, tokens.allSatisfy(NvidiaSMIField.looksLikeFieldName) else { return nil }
        let layout = NvidiaSMICSVLayout(names: tokens)
        return layout.columns.contains { $0 != nil } ? layout : nil
    }

    /// Fields and options of a banner command `nvidia-smi --query-gpu=a,b --format=csv,noheader`.
    static func command(_ text: String) -> (fields: [String], noheader: Bool)? {
        var fields: [String]?
        var noheader = false
        for word in text.split(separator: " ") {
            if word.hasPrefix("--query-gpu=") {
                fields = word.dropFirst("--query-gpu=".count).split(separator: ",").map(String.init)
            } else if word.hasPrefix("--format=") {
                noheader = word.dropFirst("--format=".count).split(separator: ",").contains("noheader")
            }
        }
        return fields.map { ($0, noheader) }
    }

    /// Parses one data row; returns an issue message when the row must be skipped.
    func record(_ text: ByteText, fields: [Range<Int>], line: Int, issues: inout [TelemetryIssue]) -> TelemetryRecord? {
        guard fields.count == columns.count else {
            issues.append(TelemetryIssue(line: line, message: "nvidia-smi CSV row has \(fields.count) fields, the header names \(columns.count); row skipped"))
            return nil
        }
        var record = TelemetryRecord(line: line)
        var m = GPUMetrics()
        var correctedVolatile: Int?, uncorrectedVolatile: Int?, instantPower: Double?
        for (k, column) in columns.enumerated() {
            guard let column else { continue }
            let r = fields[k]
            switch column {
            case .index:
                guard let v = text.counter(r), v < 1_000_000 else {
                    issues.append(TelemetryIssue(line: line, message: "nvidia-smi CSV: index '\(text.string(r))' is not a GPU index; row skipped"))
                    return nil
                }
                record.gpu = v
            case .uuid: if !text.isAbsent(r) { record.uuid = text.string(r) }
            case .name: if !text.isAbsent(r) { record.name = text.string(r) }
            case .hostname: if !text.isAbsent(r) { record.hostname = text.string(r) }
            case .timestamp: record.timestamp = text.timestamp(r)
            case .temperatureGPU: m.temperatureC = text.number(r)
            case .temperatureMemory: m.memoryTemperatureC = text.number(r)
            case .powerDraw: m.powerW = text.number(r)
            case .powerDrawInstant: instantPower = text.number(r)
            case .powerLimit: m.powerLimitW = m.powerLimitW ?? text.number(r)
            case .utilizationGPU: m.utilizationPct = text.number(r)
            case .utilizationMemory: m.memoryUtilizationPct = text.number(r)
            case .memoryUsed: m.memoryUsedMiB = text.number(r)
            case .memoryFree: m.memoryFreeMiB = text.number(r)
            case .memoryTotal: m.memoryTotalMiB = text.number(r)
            case .clockSM: m.smClockMHz = text.number(r)
            case .clockMemory: m.memoryClockMHz = text.number(r)
            case .eccCorrectedAggregate: m.eccCorrected = text.counter(r)
            case .eccUncorrectedAggregate: m.eccUncorrected = text.counter(r)
            case .eccCorrectedVolatile: correctedVolatile = text.counter(r)
            case .eccUncorrectedVolatile: uncorrectedVolatile = text.counter(r)
            case .remappedCorrectable: m.remappedRowsCorrectable = text.counter(r)
            case .remappedUncorrectable: m.remappedRowsUncorrectable = text.counter(r)
            case .remappedPending: m.remappedRowsPending = text.yesNo(r)
            case .remappedFailure: m.remappedRowsFailure = text.yesNo(r)
            }
        }
        m.eccCorrected = m.eccCorrected ?? correctedVolatile
        m.eccUncorrected = m.eccUncorrected ?? uncorrectedVolatile
        m.powerW = m.powerW ?? instantPower
        record.metrics = m
        return record
    }
}
