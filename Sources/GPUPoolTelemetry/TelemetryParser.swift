import Foundation

/// Parses nvidia-smi `--query-gpu` CSV, `nvidia-smi dmon` and DCGM exporter text, alone or as
/// sections of a capture file (banners `# $ nvidia-smi …`).
///
/// ```swift
/// let result = try TelemetryParser().parse(contentsOf: "node-1.prom")
/// for issue in result.issues { print(issue) }          // "line 7: …", the line was skipped
/// let samples = result.records.compactMap { $0.sample(node: "node-1", fallbackTimestamp: now) }
/// ```
///
/// Malformed lines are reported in ``TelemetryParseResult/issues`` with their line number and
/// skipped; every other line is kept. Parsing works on bytes (no per-line regex or `String`).
public struct TelemetryParser: Sendable {
    /// Which format(s) to read; `auto` detects each section.
    public var format: TelemetryFormat
    /// Field names for header-less CSV (`--format=csv,noheader`) when the input has neither a
    /// header nor a `# $ nvidia-smi --query-gpu=…` banner naming them.
    public var csvFields: [String]?
    /// Spacing of `dmon` samples without Date/Time columns, in seconds (dmon's default `-d 1`).
    public var dmonIntervalSeconds: Double

    /// Creates a parser.
    public init(format: TelemetryFormat = .auto, csvFields: [String]? = nil, dmonIntervalSeconds: Double = 1) {
        self.format = format
        self.csvFields = csvFields
        self.dmonIntervalSeconds = dmonIntervalSeconds
    }

    /// Reads and parses a file.
    /// - Throws: ``TelemetryError/unreadable(path:reason:)`` when the file cannot be read.
    public func parse(contentsOf path: String) throws(TelemetryError) -> TelemetryParseResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw .unreadable(path: path, reason: !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be read")
        }
        return parse(data)
    }

    /// Parses telemetry text.
    public func parse(_ data: Data) -> TelemetryParseResult {
        data.withUnsafeBytes { raw in
            parse(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count))
        }
    }

    /// Parses telemetry text.
    public func parse(_ text: String) -> TelemetryParseResult {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    private enum Section {
        case unknown, skip, dcgm
        case csvAwaitingHeader
        case csv(NvidiaSMICSVLayout, firstHeader: String)
        case dmon(DmonLayout?)
    }

    /// Parses bytes.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> TelemetryParseResult {
        let text = ByteText(bytes: bytes)
        var result = TelemetryParseResult()
        var records: [TelemetryRecord] = []
        var issues: [TelemetryIssue] = []
        var section: Section = .unknown
        var dcgm = DCGMParser()
        var isCapture = false
        var context: Double?
        var fields: [Range<Int>] = []
        var words: [Range<Int>] = []
        // dmon rounds: a GPU index seen twice starts a new round.
        var dmonRound = 0
        var dmonSeen = Set<Int>()
        var dmonBase: Double?
        let allowCSV = format == .auto || format == .nvidiaSMICSV
        let allowDmon = format == .auto || format == .dmon
        let allowDCGM = format == .auto || format == .dcgm
        if format == .nvidiaSMICSV, let csvFields { section = .csv(NvidiaSMICSVLayout(names: csvFields), firstHeader: "") }

        var lineNumber = 0
        var start = 0
        let count = bytes.count
        while start < count {
            var end = start
            while end < count, bytes[end] != ByteText.newline { end += 1 }
            lineNumber += 1
            let line = text.trimmed(start..<end)
            start = end + 1
            if line.isEmpty { continue }
            let first = bytes[line.lowerBound]

            if first == ByteText.hash {
                if text.hasPrefix(line, "# $ ") {
                    isCapture = true
                    let command = text.string(line)
                    if command.contains("--query-gpu=") {
                        if allowCSV, let parsed = NvidiaSMICSVLayout.command(command) {
                            section = parsed.noheader ? .csv(NvidiaSMICSVLayout(names: parsed.fields), firstHeader: "") : .csvAwaitingHeader
                        } else {
                            section = .skip
                        }
                    } else if command.contains(" dmon") {
                        section = allowDmon ? .dmon(nil) : .skip
                        dmonBase = context
                        dmonRound = 0
                        dmonSeen.removeAll()
                    } else {
                        section = .skip
                    }
                    continue
                }
                if text.hasPrefix(line, "##########") { isCapture = true; continue }
                switch section {
                case .dmon, .unknown:
                    if allowDmon, let layout = DmonLayout.header(text, line, words: &words) {
                        if case .unknown = section { dmonBase = context; dmonRound = 0; dmonSeen.removeAll() }
                        section = .dmon(layout)
                        continue
                    }
                default: break
                }
                if case .unknown = section, allowDCGM, text.hasPrefix(line, "# HELP ") || text.hasPrefix(line, "# TYPE ") {
                    section = .dcgm
                }
                continue
            }

            switch section {
            case .skip:
                continue
            case .dcgm:
                if text.hasPrefix(line, "HELP ") || text.hasPrefix(line, "TYPE ") {
                    issues.append(TelemetryIssue(line: lineNumber, message: "Prometheus HELP/TYPE line without the leading '#'; skipped"))
                } else {
                    dcgm.line(text, line, number: lineNumber, issues: &issues)
                }
            case .csvAwaitingHeader:
                text.split(line, separator: ByteText.comma, into: &fields)
                let tokens = fields.map { text.string($0) }
                if let layout = NvidiaSMICSVLayout.header(tokens) {
                    section = .csv(layout, firstHeader: tokens.first ?? "")
                } else {
                    issues.append(TelemetryIssue(line: lineNumber, message: "expected the nvidia-smi CSV header naming the query fields; section skipped"))
                    section = .skip
                }
            case let .csv(layout, firstHeader):
                text.split(line, separator: ByteText.comma, into: &fields)
                if !firstHeader.isEmpty, let f = fields.first, f.count == firstHeader.utf8.count, text.string(f) == firstHeader {
                    // A repeated header (e.g. concatenated outputs): re-read the layout.
                    if let again = NvidiaSMICSVLayout.header(fields.map { text.string($0) }) {
                        section = .csv(again, firstHeader: firstHeader)
                        continue
                    }
                }
                if let record = layout.record(text, fields: fields, line: lineNumber, issues: &issues) {
                    if let t = record.timestamp { context = t }
                    records.append(record)
                    result.formats.insert(.nvidiaSMICSV)
                }
            case let .dmon(layout):
                guard let layout else {
                    issues.append(TelemetryIssue(line: lineNumber, message: "dmon row before the '# gpu …' header; skipped"))
                    continue
                }
                text.words(line, into: &words)
                guard let parsed = layout.record(text, words: words, line: lineNumber, issues: &issues) else { continue }
                var record = parsed.0
                let date = parsed.date
                if let gpu = record.gpu, !dmonSeen.insert(gpu).inserted {
                    dmonRound += 1
                    dmonSeen = [gpu]
                }
                if let date {
                    record.timestamp = date
                } else if let dmonBase {
                    record.timestamp = dmonBase + Double(dmonRound + 1) * dmonIntervalSeconds
                }
                if let t = record.timestamp { context = max(context ?? t, t) }
                records.append(record)
                result.formats.insert(.dmon)
            case .unknown:
                if allowDCGM, text.hasPrefix(line, "DCGM_") {
                    section = .dcgm
                    dcgm.line(text, line, number: lineNumber, issues: &issues)
                    continue
                }
                if text.hasPrefix(line, "collected_at:") {
                    context = text.timestamp(text.trimmed((line.lowerBound + 13)..<line.upperBound)) ?? context
                    continue
                }
                if allowCSV, text.contains(line, ",") {
                    text.split(line, separator: ByteText.comma, into: &fields)
                    let tokens = fields.map { text.string($0) }
                    if let layout = NvidiaSMICSVLayout.header(tokens) {
                        section = .csv(layout, firstHeader: tokens.first ?? "")
                        continue
                    }
                }
                if allowDCGM, text.hasPrefix(line, "HELP ") || text.hasPrefix(line, "TYPE ") {
                    issues.append(TelemetryIssue(line: lineNumber, message: "Prometheus HELP/TYPE line without the leading '#'; skipped"))
                    section = .dcgm
                    continue
                }
                if !isCapture {
                    issues.append(TelemetryIssue(line: lineNumber, message: "unrecognised line (not nvidia-smi CSV, dmon or DCGM text); skipped"))
                }
            }
        }
        let dcgmRecords = dcgm.finish()
        if !dcgmRecords.isEmpty {
            result.formats.insert(.dcgm)
            records.append(contentsOf: dcgmRecords)
            records.sort { $0.line < $1.line }
        }
        result.records = records
        result.issues = issues
        result.lineCount = lineNumber
        return result
    }
}
