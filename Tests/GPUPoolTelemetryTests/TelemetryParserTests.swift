import Foundation
@testable import GPUPoolTelemetry
import GPUPoolTestSupport
import Testing

/// The real nvidia-smi and DCGM captures in `../shared/data/telemetry`.
enum SharedTelemetry {
    static var available: Bool { TestPaths.hasShared("telemetry/nvidia-smi/README.md") }
    static func path(_ relative: String) -> String { TestPaths.shared("telemetry/" + relative) }
}

@Suite("Telemetry parsers on real captures", .enabled(if: SharedTelemetry.available, "../shared/data/telemetry is absent; skipping real-capture tests"))
struct RealCaptureTests {
    static let captures = [
        "linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt",
        "linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt",
        "linux-x86_64__nvidia-h100-mig__590.48.01.txt",
        "linux-x86_64__nvidia-h200__590.48.01.txt",
        "linux-x86_64__nvidia-l40s__595.80.txt",
    ]

    @Test("every nvidia-smi capture: 2 query-gpu rows and 10 dmon rows, no issues", arguments: captures)
    func capture(_ file: String) throws {
        let result = try TelemetryParser().parse(contentsOf: SharedTelemetry.path("nvidia-smi/" + file))
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.formats == [.nvidiaSMICSV, .dmon])
        #expect(result.records.count == 12)
        let csv = result.records.filter { $0.uuid != nil }
        #expect(csv.count == 2)
        for r in result.records {
            #expect(r.gpu == 0)
            #expect(r.timestamp != nil)
            #expect(r.metrics.temperatureC != nil)
            #expect(r.metrics.powerW != nil)
        }
        #expect(csv.allSatisfy { $0.metrics.memoryTotalMiB != nil && $0.name?.hasPrefix("NVIDIA") == true })
        // Timestamps never go backwards within a capture.
        let times = result.records.compactMap(\.timestamp)
        #expect(times == times.sorted())
    }

    @Test func h100Values() throws {
        let r = try TelemetryParser().parse(contentsOf: SharedTelemetry.path("nvidia-smi/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt")).records
        let idle = r[0], load = r[6]
        #expect(idle.name == "NVIDIA H100 80GB HBM3")
        #expect(idle.metrics.temperatureC == 41 && idle.metrics.powerW == 69.85 && idle.metrics.utilizationPct == 0)
        #expect(idle.metrics.memoryTotalMiB == 81559 && idle.metrics.memoryUsedMiB == 0)
        #expect(idle.metrics.eccCorrected == 0 && idle.metrics.eccUncorrected == 0)
        #expect(idle.metrics.remappedRowsCorrectable == 0 && idle.metrics.remappedRowsPending == false)
        // 2026/07/14 08:12:38.696 UTC
        #expect(abs((idle.timestamp ?? 0) - 1_784_016_758.696) < 1e-3)
        #expect(load.metrics.temperatureC == 59 && load.metrics.powerW == 631.95 && load.metrics.utilizationPct == 100)
        #expect(load.metrics.memoryUsedMiB == 19818)
        // First dmon row under load: 631 W, 63 °C, 57 °C memory, sm 100 %, clocks 2619/1980 MHz.
        let dmon = r[7]
        #expect(dmon.metrics.powerW == 631 && dmon.metrics.temperatureC == 63 && dmon.metrics.memoryTemperatureC == 57)
        #expect(dmon.metrics.utilizationPct == 100 && dmon.metrics.memoryClockMHz == 2619 && dmon.metrics.smClockMHz == 1980)
        #expect(dmon.timestamp == (load.timestamp ?? 0) + 1)
    }

    @Test func absentValuesStayAbsent() throws {
        let mig = try TelemetryParser().parse(contentsOf: SharedTelemetry.path("nvidia-smi/linux-x86_64__nvidia-h100-mig__590.48.01.txt")).records
        #expect(mig[0].metrics.utilizationPct == nil)            // [N/A] under MIG
        #expect(mig[0].metrics.remappedRowsCorrectable == nil)
        #expect(mig[1].metrics.utilizationPct == nil)            // dmon '-'
        #expect(mig[1].metrics.powerW == 70)
        let rtx = try TelemetryParser().parse(contentsOf: SharedTelemetry.path("nvidia-smi/linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt")).records
        #expect(rtx[0].metrics.memoryTemperatureC == nil)       // "N/A" without brackets
        #expect(rtx[0].metrics.eccCorrected == nil)             // consumer card: no ECC
        #expect(rtx[1].metrics.memoryTemperatureC == nil)       // dmon '-'
    }

    @Test func explicitFormatsReadOnlyTheirSections() throws {
        let path = SharedTelemetry.path("nvidia-smi/linux-x86_64__nvidia-l40s__595.80.txt")
        #expect(try TelemetryParser(format: .dmon).parse(contentsOf: path).records.count == 10)
        #expect(try TelemetryParser(format: .nvidiaSMICSV).parse(contentsOf: path).records.count == 2)
        #expect(try TelemetryParser(format: .dcgm).parse(contentsOf: path).records.isEmpty)
    }

    @Test func dcgmH100() throws {
        let result = try TelemetryParser().parse(contentsOf: SharedTelemetry.path("dcgm/h100.prom"))
        #expect(result.issues.isEmpty)
        #expect(result.records.count == 8)
        let gpu3 = try #require(result.records.first { $0.gpu == 3 })
        #expect(gpu3.metrics.temperatureC == 29 && gpu3.metrics.powerW == 69.771 && gpu3.metrics.utilizationPct == 0)
        #expect(gpu3.hostname == "ip-100-64-171-120.ec2.internal" && gpu3.name == "NVIDIA H100 80GB HBM3")
        #expect(gpu3.uuid == "GPU-3cc59718-d7df-49ac-07a3-a6cedfe263c6")
        #expect(result.records.filter { $0.metrics.memoryUtilizationPct != nil }.count == 6)
    }

    @Test func dcgmMIGAndWholeGPU() throws {
        let result = try TelemetryParser().parse(contentsOf: SharedTelemetry.path("dcgm/a100_mig.prom"))
        #expect(result.issues.isEmpty)
        #expect(result.records.count == 2)
        let whole = result.records[0], mig = result.records[1]
        #expect(whole.migInstance == nil && whole.metrics.temperatureC == 61 && whole.metrics.powerW == 409.692)
        #expect(whole.metrics.memoryUsedMiB == 4845 && whole.metrics.memoryFreeMiB == 35690 && whole.metrics.xid == 0)
        #expect(whole.metrics.memoryTemperatureC == 69 && whole.metrics.smClockMHz == 1215)
        #expect(mig.migInstance == "13" && mig.migProfile == "1g.5gb" && mig.metrics.xid == 0)
        #expect(abs((mig.metrics.utilizationPct ?? 0) - 99.5687) < 1e-9)
    }

    @Test func dcgmHelpWithoutHashIsReportedAndSkipped() throws {
        let result = try TelemetryParser().parse(contentsOf: SharedTelemetry.path("dcgm/a100.prom"))
        #expect(result.issues.map(\.line) == [1, 2])
        #expect(result.records.map(\.gpu) == [0, 1, 2, 4])
        #expect(result.records.map(\.metrics.powerW) == [266.172, 57.756, 61.132, 63.373])
    }

    @Test func dcgmT4() throws {
        let result = try TelemetryParser().parse(contentsOf: SharedTelemetry.path("dcgm/t4.prom"))
        #expect(result.issues.isEmpty)
        #expect(result.records.count == 1)
        let r = result.records[0]
        #expect(r.metrics.temperatureC == 43 && r.metrics.powerW == 15.507 && r.metrics.utilizationPct == 0 && r.metrics.memoryUsedMiB == 0)
        #expect(r.hostname == "hami-workshop" && r.name == "Tesla T4")
    }

    @Test("the DCGM reader knows the default exporter's health fields")
    func defaultCountersKnown() throws {
        let text = try String(contentsOfFile: SharedTelemetry.path("dcgm/default-counters.csv"), encoding: .utf8)
        let fields = text.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("DCGM_FI_") else { return nil }
            return t.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let wanted = ["DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED",
                      "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_XID_ERRORS"]
        for name in wanted {
            #expect(fields.contains(name))
            #expect(DCGMParser.Metric.names[name] != nil)
        }
        let remap = fields.filter { $0.contains("REMAPPED_ROWS") || $0.contains("ROW_REMAP") }
        #expect(remap.allSatisfy { DCGMParser.Metric.names[$0] != nil }, "\(remap)")
    }
}

@Suite("Telemetry parsers on synthetic input")
struct SyntheticTelemetryTests {
    @Test func csvAnyOrderNoUnitsAndMalformedRows() {
        let text = """
            utilization.gpu [%], index, power.draw [W], temperature.gpu, memory.used [MiB], uuid
            37 %, 1, 250.5 W, 71, 1024 MiB, GPU-a
            [Not Supported], 2, [N/A], 65, 2048 MiB, GPU-b
            12 %, 3, 100 W
            5 %, x, 100 W, 60, 0 MiB, GPU-c
            """
        let result = TelemetryParser().parse(text)
        #expect(result.records.count == 2)
        #expect(result.records[0].gpu == 1 && result.records[0].metrics.utilizationPct == 37 && result.records[0].metrics.powerW == 250.5)
        #expect(result.records[1].metrics.utilizationPct == nil && result.records[1].metrics.powerW == nil)
        #expect(result.records[1].metrics.temperatureC == 65 && result.records[1].uuid == "GPU-b")
        #expect(result.issues.map(\.line) == [4, 5])
        #expect(result.issues[0].message.contains("3 fields"))
    }

    @Test func noheaderCSVFromBannerOrFieldList() {
        let banner = """
            # $ nvidia-smi --query-gpu=index,temperature.gpu,power.draw --format=csv,noheader,nounits
            0, 55, 120.5
            1, 57, 130
            """
        let a = TelemetryParser().parse(banner)
        #expect(a.records.map(\.metrics.temperatureC) == [55, 57])
        let b = TelemetryParser(format: .nvidiaSMICSV, csvFields: ["index", "power.draw"]).parse("0, 300\n1, 310\n")
        #expect(b.records.map(\.metrics.powerW) == [300, 310] && b.issues.isEmpty)
    }

    @Test func dmonWithDateTimeAndSeveralGPUs() {
        let text = """
            #Date       Time        gpu    pwr  gtemp  mtemp     sm    mem
            #YYYYMMDD   HH:MM:SS    Idx      W      C      C      %      %
             20250101   00:00:01      0    100     50      -     10      5
             20250101   00:00:01      1    110     52      -     20      6
             20250101   00:00:02      0    101     51      -     11      5
             garbage
            """
        let result = TelemetryParser().parse(text)
        #expect(result.records.count == 3)
        #expect(result.records[0].timestamp == 1_735_689_601)
        #expect(result.records[2].timestamp == 1_735_689_602)
        #expect(result.records[1].gpu == 1 && result.records[1].metrics.powerW == 110)
        #expect(result.issues.map(\.line) == [6])
    }

    @Test func dcgmSentinelsScrapesAndMalformedLines() {
        let text = """
            # HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).
            DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-x",Hostname="n1"} 70
            DCGM_FI_DEV_ECC_DBE_VOL_TOTAL{gpu="0",UUID="GPU-x",Hostname="n1"} 9223372036854775794
            DCGM_FI_DEV_XID_ERRORS{gpu="0",UUID="GPU-x",Hostname="n1"} 79
            DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-x",Hostname="n1" 71
            DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-x",Hostname="n1"} hot
            DCGM_FI_DEV_GPU_TEMP{UUID="GPU-y"} 50
            DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-x",Hostname="n1"} 72 1700000000000
            """
        let result = TelemetryParser().parse(text)
        #expect(result.records.count == 2)
        #expect(result.records[0].metrics.temperatureC == 70 && result.records[0].metrics.eccUncorrected == nil)
        #expect(result.records[0].metrics.xid == 79 && result.records[0].hostname == "n1")
        #expect(result.records[1].metrics.temperatureC == 72 && result.records[1].timestamp == 1_700_000_000)
        #expect(result.issues.map(\.line) == [5, 6, 7])
    }

    @Test func unrecognisedLinesOutsideCapturesAreReported() {
        let result = TelemetryParser().parse("hello world\n")
        #expect(result.records.isEmpty && result.issues.map(\.line) == [1])
    }

    @Test func missingFileIsAnError() {
        #expect(throws: TelemetryError.self) { try TelemetryParser().parse(contentsOf: "/nonexistent/file.prom") }
    }
}
