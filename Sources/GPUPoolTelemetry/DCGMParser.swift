import GPUPoolSupport
/// Reads DCGM exporter Prometheus text (`DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="…",…} 61`).
///
/// Series of the same GPU (same host, `gpu` label and MIG instance) are merged into one record;
/// when a metric repeats for a GPU, a new record starts (a new scrape). Values at or above 2^62 are
/// DCGM's blank sentinels and are treated as absent.
struct DCGMParser {
    enum Metric: Sendable {
        case gpuTemp, memoryTemp, power, gpuUtil, memCopyUtil, fbUsed, fbFree, fbTotal, smClock, memClock, xid
        case eccSBEVolatile, eccDBEVolatile, eccSBEAggregate, eccDBEAggregate
        case remapCorrectable, remapUncorrectable, remapFailure, remapPending, engineActive, other

        var bit: UInt32 {
            switch self {
            case .gpuTemp: 1 << 0
            case .memoryTemp: 1 << 1
            case .power: 1 << 2
            case .gpuUtil: 1 << 3
            case .memCopyUtil: 1 << 4
            case .fbUsed: 1 << 5
            case .fbFree: 1 << 6
            case .fbTotal: 1 << 7
            case .smClock: 1 << 8
            case .memClock: 1 << 9
            case .xid: 1 << 10
            case .eccSBEVolatile: 1 << 11
            case .eccDBEVolatile: 1 << 12
            case .eccSBEAggregate: 1 << 13
            case .eccDBEAggregate: 1 << 14
            case .remapCorrectable: 1 << 15
            case .remapUncorrectable: 1 << 16
            case .remapFailure: 1 << 17
            case .remapPending: 1 << 18
            case .engineActive: 1 << 19
            case .other: 0
            }
        }

        static let names: [String: Metric] = [
            "DCGM_FI_DEV_GPU_TEMP": .gpuTemp, "DCGM_FI_DEV_MEMORY_TEMP": .memoryTemp,
            "DCGM_FI_DEV_POWER_USAGE": .power, "DCGM_FI_DEV_GPU_UTIL": .gpuUtil,
            "DCGM_FI_DEV_MEM_COPY_UTIL": .memCopyUtil, "DCGM_FI_DEV_FB_USED": .fbUsed, "DCGM_FI_DEV_FB_FREE": .fbFree,
            "DCGM_FI_DEV_FB_TOTAL": .fbTotal, "DCGM_FI_DEV_SM_CLOCK": .smClock, "DCGM_FI_DEV_MEM_CLOCK": .memClock,
            "DCGM_FI_DEV_XID_ERRORS": .xid, "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL": .eccSBEVolatile,
            "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL": .eccDBEVolatile, "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL": .eccSBEAggregate,
            "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL": .eccDBEAggregate,
            "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS": .remapCorrectable,
            "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS": .remapUncorrectable,
            "DCGM_FI_DEV_ROW_REMAP_FAILURE": .remapFailure, "DCGM_FI_DEV_ROW_REMAP_PENDING": .remapPending,
            "DCGM_FI_PROF_GR_ENGINE_ACTIVE": .engineActive,
        ]
    }

    /// One GPU (or MIG instance) being assembled.
    private struct Slot {
        var record: TelemetryRecord
        var seen: UInt32 = 0
        var eccSBEVolatile: Int?, eccDBEVolatile: Int?, engineActive: Double?

        mutating func finish() -> TelemetryRecord {
            var r = record
            r.metrics.eccCorrected = r.metrics.eccCorrected ?? eccSBEVolatile
            r.metrics.eccUncorrected = r.metrics.eccUncorrected ?? eccDBEVolatile
            if r.metrics.utilizationPct == nil, let engineActive { r.metrics.utilizationPct = engineActive * 100 }
            return r
        }
    }

    private struct Identity: Hashable {
        var hostname: String?, gpu: Int, mig: String?
    }

    private var slots: [Slot?] = []
    private var slotOfIdentity: [Identity: Int] = [:]
    /// Label blocks seen, by FNV hash → (range of the first occurrence's text, identity).
    private var labelCache: [UInt64: (text: [UInt8], identity: Identity, uuid: String?, name: String?, profile: String?)] = [:]
    private var lastName: [UInt8] = []
    private var lastMetric: Metric = .other
    private var words: [Range<Int>] = []

    var records: [TelemetryRecord] = []

    /// Parses one non-comment line.
    mutating func line(_ text: ByteText, _ range: Range<Int>, number: Int, issues: inout [TelemetryIssue]) {
        let b = text.bytes
        var k = range.lowerBound
        let end = range.upperBound
        let nameStart = k
        while k < end, b[k] != ByteText.openBrace, !text.isSpace(b[k]) { k += 1 }
        let nameRange = nameStart..<k
        guard !nameRange.isEmpty else {
            issues.append(TelemetryIssue(line: number, message: "Prometheus line has no metric name; skipped"))
            return
        }
        // Metric name, cached across consecutive lines of the same series.
        let metric: Metric
        if nameRange.count == lastName.count, lastName.withUnsafeBufferPointer({ p in
            var same = true
            for j in 0..<p.count where p[j] != b[nameRange.lowerBound + j] { same = false; break }
            return same
        }) {
            metric = lastMetric
        } else {
            let name = text.string(nameRange)
            metric = Metric.names[name] ?? .other
            lastName = Array(b[nameRange])
            lastMetric = metric
        }
        var labelRange = k..<k
        if k < end, b[k] == ByteText.openBrace {
            let open = k
            var inQuotes = false
            k += 1
            while k < end {
                let c = b[k]
                if inQuotes {
                    if c == ByteText.backslash { k += 1 } else if c == ByteText.quote { inQuotes = false }
                } else if c == ByteText.quote {
                    inQuotes = true
                } else if c == ByteText.closeBrace {
                    break
                }
                k += 1
            }
            guard k < end else {
                issues.append(TelemetryIssue(line: number, message: "Prometheus line: label set not closed with '}'; skipped"))
                return
            }
            labelRange = (open + 1)..<k
            k += 1
        }
        // Value and optional timestamp (ms).
        text.words(k..<end, into: &words)
        guard words.count == 1 || words.count == 2 else {
            issues.append(TelemetryIssue(line: number, message: "Prometheus line: expected a value (and optional timestamp) after the series; skipped"))
            return
        }
        let valueRange = words[0]
        let value = text.number(valueRange)
        if value == nil {
            let v = text.string(valueRange)
            let known = ["NaN", "+Inf", "-Inf", "Inf"].contains(v) || v.allSatisfy { $0.isNumber }
            if !known {
                issues.append(TelemetryIssue(line: number, message: "Prometheus line: value '\(v)' is not a number; skipped"))
                return
            }
        }
        var timestamp: Double?
        if words.count == 2 {
            guard let ms = text.number(words[1]) else {
                issues.append(TelemetryIssue(line: number, message: "Prometheus line: timestamp '\(text.string(words[1]))' is not a number; skipped"))
                return
            }
            timestamp = ms / 1000
        }
        guard metric != .other else { return }
        guard let info = identity(text, labelRange, line: number, issues: &issues) else { return }

        var slotIndex: Int
        if let s = slotOfIdentity[info.identity], slots[s] != nil {
            slotIndex = s
            if let slot = slots[s], slot.seen & metric.bit != 0 {
                // The metric repeats: a new scrape of this GPU begins.
                var old = slot
                records.append(old.finish())
                slots[s] = nil
                slotIndex = newSlot(info, line: number)
            }
        } else {
            slotIndex = newSlot(info, line: number)
        }
        guard var slot = slots[slotIndex] else { return }
        slot.seen |= metric.bit
        if slot.record.timestamp == nil { slot.record.timestamp = timestamp }
        let counter: Int? = value.flatMap { $0 >= 0 && $0 < 9_007_199_254_740_992 ? Int($0) : nil }
        switch metric {
        case .gpuTemp: slot.record.metrics.temperatureC = value
        case .memoryTemp: slot.record.metrics.memoryTemperatureC = value
        case .power: slot.record.metrics.powerW = value
        case .gpuUtil: slot.record.metrics.utilizationPct = value
        case .memCopyUtil: slot.record.metrics.memoryUtilizationPct = value
        case .fbUsed: slot.record.metrics.memoryUsedMiB = value
        case .fbFree: slot.record.metrics.memoryFreeMiB = value
        case .fbTotal: slot.record.metrics.memoryTotalMiB = value
        case .smClock: slot.record.metrics.smClockMHz = value
        case .memClock: slot.record.metrics.memoryClockMHz = value
        case .xid: slot.record.metrics.xid = counter
        case .eccSBEVolatile: slot.eccSBEVolatile = counter
        case .eccDBEVolatile: slot.eccDBEVolatile = counter
        case .eccSBEAggregate: slot.record.metrics.eccCorrected = counter
        case .eccDBEAggregate: slot.record.metrics.eccUncorrected = counter
        case .remapCorrectable: slot.record.metrics.remappedRowsCorrectable = counter
        case .remapUncorrectable: slot.record.metrics.remappedRowsUncorrectable = counter
        case .remapFailure: slot.record.metrics.remappedRowsFailure = value.map { $0 != 0 }
        case .remapPending: slot.record.metrics.remappedRowsPending = value.map { $0 != 0 }
        case .engineActive: slot.engineActive = value
        case .other: break
        }
        slots[slotIndex] = slot
    }

    /// Records still being assembled, in order of first appearance.
    mutating func finish() -> [TelemetryRecord] {
        for s in slots.indices { if var slot = slots[s] { records.append(slot.finish()); slots[s] = nil } }
        return records
    }

    private mutating func newSlot(_ info: (identity: Identity, uuid: String?, name: String?, profile: String?), line: Int) -> Int {
        let record = TelemetryRecord(gpu: info.identity.gpu, uuid: info.uuid, name: info.name, hostname: info.identity.hostname,
                                     migInstance: info.identity.mig, migProfile: info.profile, line: line)
        slots.append(Slot(record: record))
        slotOfIdentity[info.identity] = slots.count - 1
        return slots.count - 1
    }

    /// The GPU a label block names, cached by the block's bytes.
    private mutating func identity(_ text: ByteText, _ range: Range<Int>, line: Int, issues: inout [TelemetryIssue])
        -> (identity: Identity, uuid: String?, name: String?, profile: String?)?
    {
        var fnv = FNV1a()
        for k in range { fnv.add(text.bytes[k]) }
        let hash = fnv.value
        if let cached = labelCache[hash], cached.text.count == range.count,
           cached.text.withUnsafeBufferPointer({ p in (0..<p.count).allSatisfy { p[$0] == text.bytes[range.lowerBound + $0] } })
        {
            return (cached.identity, cached.uuid, cached.name, cached.profile)
        }
        var labels: [String: String] = [:]
        var k = range.lowerBound
        let b = text.bytes
        while k < range.upperBound {
            while k < range.upperBound, b[k] == ByteText.comma || text.isSpace(b[k]) { k += 1 }
            guard k < range.upperBound else { break }
            let keyStart = k
            while k < range.upperBound, b[k] != ByteText.equals { k += 1 }
            guard k + 1 < range.upperBound, b[k + 1] == ByteText.quote else {
                issues.append(TelemetryIssue(line: line, message: "Prometheus line: malformed label set; skipped"))
                return nil
            }
            let key = text.string(text.trimmed(keyStart..<k))
            k += 2
            var value: [UInt8] = []
            while k < range.upperBound, b[k] != ByteText.quote {
                if b[k] == ByteText.backslash, k + 1 < range.upperBound { k += 1 }
                value.append(b[k])
                k += 1
            }
            guard k < range.upperBound else {
                issues.append(TelemetryIssue(line: line, message: "Prometheus line: unterminated label value; skipped"))
                return nil
            }
            k += 1
            labels[key] = String(decoding: value, as: UTF8.self)
        }
        guard let gpuText = labels["gpu"], let gpu = Int(gpuText), gpu >= 0, gpu < 1_000_000 else {
            issues.append(TelemetryIssue(line: line, message: "DCGM series without a numeric 'gpu' label; skipped"))
            return nil
        }
        let identity = Identity(hostname: labels["Hostname"] ?? labels["hostname"], gpu: gpu, mig: labels["GPU_I_ID"])
        let entry = (text: Array(b[range]), identity: identity, uuid: labels["UUID"], name: labels["modelName"],
                     profile: labels["GPU_I_PROFILE"])
        labelCache[hash] = entry
        return (identity, entry.uuid, entry.name, entry.profile)
    }
}
