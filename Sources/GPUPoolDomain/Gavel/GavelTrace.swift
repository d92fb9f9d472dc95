import Foundation

/// Reader for Gavel job traces: tab-separated, 7 columns (`msr` traces: job type, command, steps argument,
/// needs data dir, total steps, arrival seconds, scale factor) or 10 columns (`physical_cluster` traces:
/// job type, command, working directory, steps argument, needs data dir, total steps, scale factor,
/// priority weight, SLO, arrival seconds).
public enum GavelTrace {
    /// Largest scale factor accepted (Gavel's traces go up to 64).
    public static let maxScaleFactor = 4096

    /// Reads and parses a trace file.
    public static func read(path: String) throws -> [GavelTraceEntry] {
        try parse(text: DocumentReader.readText(path: path), fileName: path)
    }

    /// Parses trace text. Blank lines are skipped; every malformed line is reported (up to 1,000, to keep the
    /// report readable for files that are not traces at all).
    ///
    /// - Throws: ``DomainError`` listing each bad line (wrong column count, non-numeric or out-of-range values).
    public static func parse(text: String, fileName: String) throws -> [GavelTraceEntry] {
        var entries: [GavelTraceEntry] = []
        var problems: [Problem] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy(\.isWhitespace) { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch parseLine(columns, line: lineNumber) {
            case .success(let entry): entries.append(entry)
            case .failure(let failure):
                problems.append(Problem(file: fileName, line: lineNumber, item: failure.item, message: failure.message))
            }
            if problems.count >= 1000 { break }
        }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return entries
    }

    private struct LineFailure: Error {
        var item: String
        var message: String
    }

    private static func parseLine(_ columns: [String], line: Int) -> Result<GavelTraceEntry, LineFailure> {
        let names: [String]
        switch columns.count {
        case 7: names = ["job type", "command", "steps argument", "needs data dir", "total steps", "arrival time", "scale factor"]
        case 10:
            names = ["job type", "command", "working directory", "steps argument", "needs data dir", "total steps",
                     "scale factor", "priority weight", "SLO", "arrival time"]
        default:
            return .failure(LineFailure(item: "line", message: "has \(columns.count) tab-separated columns, expected 7 or 10"))
        }
        var value: [String: String] = [:]
        for (name, text) in zip(names, columns) { value[name] = text.trimmingCharacters(in: .whitespaces) }
        func number(_ name: String) -> Result<Double, LineFailure> {
            guard let text = value[name], let number = Double(text), number.isFinite else {
                return .failure(LineFailure(item: "column \(name)", message: "is not a number: \"\(value[name] ?? "")\""))
            }
            return .success(number)
        }
        do {
            let jobType = value["job type"] ?? ""
            guard !jobType.isEmpty else { throw LineFailure(item: "column job type", message: "is empty") }
            let totalSteps = try number("total steps").get()
            guard totalSteps >= 0 else { throw LineFailure(item: "column total steps", message: "must be ≥ 0") }
            let arrival = try number("arrival time").get()
            guard arrival >= 0 else { throw LineFailure(item: "column arrival time", message: "must be ≥ 0") }
            let scale = try number("scale factor").get()
            guard scale >= 1, scale <= Double(maxScaleFactor), scale.rounded() == scale else {
                throw LineFailure(item: "column scale factor", message: "must be a whole number between 1 and \(maxScaleFactor)")
            }
            let needsData = value["needs data dir"] ?? ""
            guard needsData == "0" || needsData == "1" else {
                throw LineFailure(item: "column needs data dir", message: "must be 0 or 1, got \"\(needsData)\"")
            }
            var weight = 1.0
            var slo: Double?
            if columns.count == 10 {
                weight = try number("priority weight").get()
                guard weight > 0 else { throw LineFailure(item: "column priority weight", message: "must be > 0") }
                let sloValue = try number("SLO").get()
                slo = sloValue < 0 ? nil : sloValue
            }
            return .success(GavelTraceEntry(
                jobType: jobType, command: value["command"] ?? "", workingDirectory: value["working directory"],
                stepsArgument: value["steps argument"] ?? "", needsDataDirectory: needsData == "1",
                totalSteps: totalSteps, arrivalSeconds: arrival, scaleFactor: Int(scale), priorityWeight: weight,
                slo: slo, line: line))
        } catch let failure as LineFailure {
            return .failure(failure)
        } catch {
            return .failure(LineFailure(item: "line", message: "\(error)"))
        }
    }
}
