/// One GPU reading as parsed from a telemetry source, before it is attributed to a pool node.
public struct TelemetryRecord: Sendable, Hashable {
    /// GPU index on its host (`index` / `gpu` label), if reported.
    public var gpu: Int?
    /// GPU UUID, if reported.
    public var uuid: String?
    /// Product name, e.g. `"NVIDIA H100 80GB HBM3"`.
    public var name: String?
    /// Host name reported by the source (DCGM `Hostname` label, nvidia-smi `hostname` field).
    public var hostname: String?
    /// MIG GPU-instance id (DCGM `GPU_I_ID`), when the reading is for a MIG instance.
    public var migInstance: String?
    /// MIG profile (DCGM `GPU_I_PROFILE`), e.g. `"1g.5gb"`.
    public var migProfile: String?
    /// Seconds since 1970 (UTC), when the source gives or implies a time.
    public var timestamp: Double?
    /// The readings.
    public var metrics: GPUMetrics
    /// 1-based line of the source where the reading starts.
    public var line: Int

    /// Creates a record.
    public init(gpu: Int? = nil, uuid: String? = nil, name: String? = nil, hostname: String? = nil,
                migInstance: String? = nil, migProfile: String? = nil, timestamp: Double? = nil,
                metrics: GPUMetrics = GPUMetrics(), line: Int)
    {
        self.gpu = gpu
        self.uuid = uuid
        self.name = name
        self.hostname = hostname
        self.migInstance = migInstance
        self.migProfile = migProfile
        self.timestamp = timestamp
        self.metrics = metrics
        self.line = line
    }

    /// The record as a sample of pool node `node`; `fallbackTimestamp` is used when the record has none.
    /// Returns `nil` when the record has no GPU index.
    public func sample(node: String, fallbackTimestamp: Double) -> TelemetrySample? {
        guard let gpu else { return nil }
        return TelemetrySample(node: node, gpu: gpu, timestamp: timestamp ?? fallbackTimestamp, metrics: metrics)
    }
}

/// A reading attributed to a pool node: the unit of the push API (``HealthMonitor/ingest(_:)``,
/// ``HistoryStore/record(samples:)``).
public struct TelemetrySample: Sendable, Hashable, Codable {
    /// ``GPUPoolDomain/Node/id`` of the node.
    public var node: String
    /// GPU index on the node (0-based).
    public var gpu: Int
    /// Seconds since 1970 (UTC). The health policy uses only these times, never the wall clock.
    public var timestamp: Double
    /// The readings.
    public var metrics: GPUMetrics

    /// Creates a sample.
    public init(node: String, gpu: Int, timestamp: Double, metrics: GPUMetrics) {
        self.node = node
        self.gpu = gpu
        self.timestamp = timestamp
        self.metrics = metrics
    }
}

/// A line of a telemetry source that could not be used, with why.
public struct TelemetryIssue: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Creates an issue.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}

/// The result of parsing one telemetry source.
public struct TelemetryParseResult: Sendable, Hashable {
    /// Readings in source order.
    public var records: [TelemetryRecord]
    /// Lines that were skipped, with reasons; the other lines were kept.
    public var issues: [TelemetryIssue]
    /// Lines read.
    public var lineCount: Int
    /// The formats found (e.g. a capture file holds nvidia-smi CSV and dmon sections).
    public var formats: Set<TelemetryFormat>

    /// Creates a result.
    public init(records: [TelemetryRecord] = [], issues: [TelemetryIssue] = [], lineCount: Int = 0, formats: Set<TelemetryFormat> = []) {
        self.records = records
        self.issues = issues
        self.lineCount = lineCount
        self.formats = formats
    }
}

/// Telemetry source formats.
public enum TelemetryFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Detect per section: capture banners (`# $ nvidia-smi …`), CSV headers, `# gpu` dmon headers,
    /// `DCGM_FI_…` series.
    case auto
    /// `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]`.
    case nvidiaSMICSV = "nvidia-smi-csv"
    /// `nvidia-smi dmon` fixed-width output.
    case dmon
    /// DCGM exporter Prometheus text.
    case dcgm
}
