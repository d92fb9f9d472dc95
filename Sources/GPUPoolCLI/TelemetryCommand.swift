import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolMonitoring
import GPUPoolTelemetry

/// `gpupool telemetry …`: telemetry tools.
struct TelemetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry",
        abstract: "Read GPU telemetry (nvidia-smi CSV, nvidia-smi dmon, DCGM exporter text).",
        subcommands: [TelemetryParseCommand.self]
    )
}

/// `gpupool telemetry parse FILE`: one JSON object (or table row) per sample.
struct TelemetryParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a telemetry file; malformed lines are reported on stderr with their line numbers and skipped.",
        discussion: """
            With --json, prints one JSON object per sample with the keys gpu, uuid, name, hostname, mig_instance, \
            mig_profile, timestamp, temperature_c, memory_temperature_c, power_w, power_limit_w, utilization_pct, \
            memory_utilization_pct, memory_used_mib, memory_free_mib, memory_total_mib, sm_clock_mhz, memory_clock_mhz, \
            xid, ecc_corrected, ecc_uncorrected, remapped_rows_correctable, remapped_rows_uncorrectable, \
            remapped_rows_pending, remapped_rows_failure, line; absent values are omitted.
            """
    )

    @Argument(help: "The telemetry file.")
    var file: String

    @Option(help: "Telemetry format.")
    var format: TelemetryFormat = .auto

    @Option(
        name: .customLong("fields"), help: CommaList<String>.help("The --query-gpu fields of a header-less CSV, in order."),
        transform: CommaList.parse
    )
    var fields: [CommaList<String>] = []

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let json = outputOptions.json
        let csvFields: [String] = fields.flattened()
        let parser = TelemetryParser(format: format, csvFields: csvFields.isEmpty ? nil : csvFields)
        let result: TelemetryParseResult
        do { result = try parser.parse(contentsOf: file) } catch { throw InputError(error.description) }
        for issue in result.issues { FileHandle.standardError.write(Data("\(file):\(issue.line): \(issue.message)\n".utf8)) }
        if json {
            var out = ""
            for record in result.records { out += TelemetryJSON.object(record).serialized + "\n" }
            FileHandle.standardOutput.write(Data(out.utf8))
        } else {
            var rows = [["line", "gpu", "name", "temp °C", "power W", "util %", "mem used MiB", "xid"]]
            for r in result.records {
                rows.append([String(r.line), r.gpu.map(String.init) ?? "-", r.name ?? r.migProfile ?? "-", TelemetryJSON.text(r.metrics.temperatureC),
                             TelemetryJSON.text(r.metrics.powerW), TelemetryJSON.text(r.metrics.utilizationPct),
                             TelemetryJSON.text(r.metrics.memoryUsedMiB), r.metrics.xid.map(String.init) ?? "-"])
            }
            print(TextTable.render(rows))
            print("\(result.records.count) samples from \(result.lineCount) lines (\(result.formats.map(\.rawValue).sorted().joined(separator: ", "))); \(result.issues.count) lines skipped")
        }
    }
}

/// The JSON layout of a telemetry record.
enum TelemetryJSON {
    static func object(_ r: TelemetryRecord) -> JSONText {
        var pairs: [(String, JSONText)] = []
        func add(_ key: String, _ value: Double?) { if let value, value.isFinite { pairs.append((key, .number(value))) } }
        func add(_ key: String, _ value: Int?) { if let value { pairs.append((key, .integer(value))) } }
        func add(_ key: String, _ value: String?) { if let value { pairs.append((key, .string(value))) } }
        func add(_ key: String, _ value: Bool?) { if let value { pairs.append((key, .bool(value))) } }
        let m = r.metrics
        add("gpu", r.gpu)
        add("uuid", r.uuid)
        add("name", r.name)
        add("hostname", r.hostname)
        add("mig_instance", r.migInstance)
        add("mig_profile", r.migProfile)
        add("timestamp", r.timestamp)
        add("temperature_c", m.temperatureC)
        add("memory_temperature_c", m.memoryTemperatureC)
        add("power_w", m.powerW)
        add("power_limit_w", m.powerLimitW)
        add("utilization_pct", m.utilizationPct)
        add("memory_utilization_pct", m.memoryUtilizationPct)
        add("memory_used_mib", m.memoryUsedMiB)
        add("memory_free_mib", m.memoryFreeMiB)
        add("memory_total_mib", m.memoryTotalMiB)
        add("sm_clock_mhz", m.smClockMHz)
        add("memory_clock_mhz", m.memoryClockMHz)
        add("xid", m.xid)
        add("ecc_corrected", m.eccCorrected)
        add("ecc_uncorrected", m.eccUncorrected)
        add("remapped_rows_correctable", m.remappedRowsCorrectable)
        add("remapped_rows_uncorrectable", m.remappedRowsUncorrectable)
        add("remapped_rows_pending", m.remappedRowsPending)
        add("remapped_rows_failure", m.remappedRowsFailure)
        add("line", r.line)
        return .object(pairs)
    }

    static func text(_ v: Double?) -> String {
        guard let v else { return "-" }
        return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.2f", v)
    }
}
