/// One job of a Gavel trace (`stanford-futuredata/gavel`, `scheduler/traces`).
public struct GavelTraceEntry: Codable, Sendable, Hashable {
    /// Job type, e.g. `"ResNet-50 (batch size 64)"`; with the scale factor it keys the throughput matrix.
    public var jobType: String
    /// Command line template.
    public var command: String
    /// Working directory (10-column format only).
    public var workingDirectory: String?
    /// Name of the command's steps argument, e.g. `-step`.
    public var stepsArgument: String
    /// Whether the job needs the data directory.
    public var needsDataDirectory: Bool
    /// Steps the job must run.
    public var totalSteps: Double
    /// Arrival time in seconds from the trace start.
    public var arrivalSeconds: Double
    /// Number of GPUs (one worker per GPU).
    public var scaleFactor: Int
    /// Priority weight (1 in the 7-column format).
    public var priorityWeight: Double
    /// SLO in seconds, `nil` when the trace says -1 (none) or in the 7-column format.
    public var slo: Double?
    /// 1-based line in the trace file.
    public var line: Int

    /// The model family, e.g. `"ResNet-50"` for `"ResNet-50 (batch size 64)"`.
    public var family: String {
        guard let open = jobType.range(of: " (") else { return jobType }
        return String(jobType[..<open.lowerBound])
    }
}
