/// Column layout of `nvidia-smi dmon` output, read from its `# gpu pwr gtemp …` header.
struct DmonLayout: Sendable {
    enum Column: Sendable { case gpu, power, gpuTemp, memTemp, sm, mem, memClock, smClock, framebuffer, date, time, ignored }

    var columns: [Column]

    /// The layout of a `#`-header whose words include `gpu`; `nil` for other comment lines
    /// (e.g. the `# Idx W C …` units line).
    static func header(_ text: ByteText, _ range: Range<Int>, words: inout [Range<Int>]) -> DmonLayout? {
        var r = range
        while r.lowerBound < r.upperBound, text.bytes[r.lowerBound] == ByteText.hash { r = (r.lowerBound + 1)..<r.upperBound }
        text.words(r, into: &words)
        var columns: [Column] = []
        var hasGPU = false
        for w in words {
            let name = text.string(w).lowercased()
            let column: Column
            switch name {
            case "gpu": column = .gpu; hasGPU = true
            case "pwr": column = .power
            case "gtemp": column = .gpuTemp
            case "mtemp": column = .memTemp
            case "sm": column = .sm
            case "mem": column = .mem
            case "mclk": column = .memClock
            case "pclk": column = .smClock
            case "fb": column = .framebuffer
            case "date": column = .date
            case "time": column = .time
            default: column = .ignored
            }
            columns.append(column)
        }
        // The header starts with `gpu` (or `Date`/`Time` with -o DT) and names at least one reading.
        guard hasGPU, let first = columns.first, first == .gpu || first == .date || first == .time,
              columns.contains(where: { $0 != .gpu && $0 != .date && $0 != .time && $0 != .ignored })
        else { return nil }
        return DmonLayout(columns: columns)
    }

    /// Parses one row. `nil` (with an issue) when the row does not match the header.
    func record(_ text: ByteText, words: [Range<Int>], line: Int, issues: inout [TelemetryIssue]) -> (TelemetryRecord, date: Double?)? {
        guard words.count == columns.count else {
            issues.append(TelemetryIssue(line: line, message: "dmon row has \(words.count) columns, the header names \(columns.count); row skipped"))
            return nil
        }
        var record = TelemetryRecord(line: line)
        var m = GPUMetrics()
        var day: Double?, seconds: Double?
        for (k, column) in columns.enumerated() {
            let r = words[k]
            switch column {
            case .gpu:
                guard let v = text.counter(r), v < 1_000_000 else {
                    issues.append(TelemetryIssue(line: line, message: "dmon: gpu '\(text.string(r))' is not a GPU index; row skipped"))
                    return nil
                }
                record.gpu = v
            case .power: m.powerW = text.number(r)
            case .gpuTemp: m.temperatureC = text.number(r)
            case .memTemp: m.memoryTemperatureC = text.number(r)
            case .sm: m.utilizationPct = text.number(r)
            case .mem: m.memoryUtilizationPct = text.number(r)
            case .memClock: m.memoryClockMHz = text.number(r)
            case .smClock: m.smClockMHz = text.number(r)
            case .framebuffer: m.memoryUsedMiB = text.number(r)
            case .date:
                // YYYYMMDD
                if r.count == 8, let v = text.counter(r) {
                    day = Double(ByteText.daysFromCivil(year: v / 10_000, month: (v / 100) % 100, day: v % 100)) * 86_400
                }
            case .time:
                // HH:MM:SS
                if r.count == 8, text.bytes[r.lowerBound + 2] == UInt8(ascii: ":"),
                   let h = text.counter(r.lowerBound..<(r.lowerBound + 2)),
                   let mi = text.counter((r.lowerBound + 3)..<(r.lowerBound + 5)),
                   let s = text.counter((r.lowerBound + 6)..<(r.lowerBound + 8))
                {
                    seconds = Double(h * 3600 + mi * 60 + s)
                }
            case .ignored: break
            }
        }
        record.metrics = m
        let date: Double? = day.map { $0 + (seconds ?? 0) }
        return (record, date)
    }
}
