import GPUPoolModel
import Synchronization

/// Where a running solve stands: time since it started, its best point's objective, its best
/// proven bound.
public struct SolveProgressReport: Sendable, Equatable {
    /// Seconds since the solve started.
    public var seconds: Double
    /// The objective of the best feasible point found so far, or `nil` before there is one. Points
    /// from the heuristics are verified; GLPK's is its incumbent (the node LP's objective, which
    /// can differ from the returned rounded point's in the last digits).
    public var incumbent: Double?
    /// The best proven bound on the optimum so far (a lower bound when minimising), or `nil`
    /// before there is one. LPs have one only when they end.
    public var bound: Double?

    public init(seconds: Double, incumbent: Double? = nil, bound: Double? = nil) {
        self.seconds = seconds
        self.incumbent = incumbent
        self.bound = bound
    }
}

/// Progress of one solve, readable from any thread while it runs, and optionally pushed.
///
/// Pass it to ``Solver/solve(_:options:cancellation:progress:)``; read ``current``, give it an
/// `onReport` closure, or iterate ``reports()`` from a task. Each source reports as it goes:
/// the heuristics every better point, GLPK's branch-and-cut every better incumbent and every move
/// of its best bound (at most every 20 ms), and the solver once more when the solve ends. The
/// incumbent and bound only ever improve (by the model's sense), whichever source found them; a
/// report is made only when one of them changed. `onReport` runs on the solving thread (GLPK
/// waits for it): record and return. Use a fresh object per solve.
///
/// ```swift
/// let progress = SolveProgress { report in print(report.seconds, report.incumbent ?? .nan) }
/// let solution = try Solver.solve(program, options: options, cancellation: nil, progress: progress)
/// ```
public final class SolveProgress: Sendable {
    private struct State {
        var start: ContinuousClock.Instant?
        var sense: ObjectiveSense = .minimize
        var incumbent: Double?
        var bound: Double?
        var last: SolveProgressReport?
        var streams: [Int: AsyncStream<SolveProgressReport>.Continuation] = [:]
        var nextStream = 0
        var ended = false
    }
    private let state = Mutex(State())
    private let onReport: (@Sendable (SolveProgressReport) -> Void)?
    private static let clock = ContinuousClock()

    /// - Parameter onReport: called with each new report, on the solving thread.
    public init(onReport: (@Sendable (SolveProgressReport) -> Void)? = nil) {
        self.onReport = onReport
    }

    /// The latest values; `seconds` is the time since the solve started (0 before it has).
    public var current: SolveProgressReport {
        state.withLock { s in
            SolveProgressReport(seconds: s.start.map { (Self.clock.now - $0).seconds } ?? 0, incumbent: s.incumbent, bound: s.bound)
        }
    }

    /// The last report made (`nil` before the first).
    public var lastReport: SolveProgressReport? { state.withLock { $0.last } }

    /// The reports as an `AsyncSequence`: each report made after the call (the latest one first,
    /// when there is one), ending when the solve ends. Buffers the newest 64 for a slow reader.
    public func reports() -> AsyncStream<SolveProgressReport> {
        let (stream, continuation) = AsyncStream.makeStream(of: SolveProgressReport.self, bufferingPolicy: .bufferingNewest(64))
        state.withLock { s in
            if let last = s.last { continuation.yield(last) }
            if s.ended {
                continuation.finish()
                return
            }
            let key = s.nextStream
            s.nextStream += 1
            s.streams[key] = continuation
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.streams.removeValue(forKey: key) }
            }
        }
        return stream
    }

    /// Starts the clock (once: a nested solve keeps the first start) and records the sense.
    func begin(sense: ObjectiveSense) {
        state.withLock { s in
            if s.start == nil {
                s.start = Self.clock.now
                s.sense = sense
            }
        }
    }

    /// Offers a better point's objective and/or a bound; reports when either improved.
    func offer(incumbent: Double?, bound: Double?) {
        let report: SolveProgressReport? = state.withLock { s in
            var changed = false
            let minimize = s.sense == .minimize
            if let incumbent, incumbent.isFinite, s.incumbent.map({ minimize ? incumbent < $0 : incumbent > $0 }) ?? true {
                s.incumbent = incumbent
                changed = true
            }
            if let bound, bound.isFinite, s.bound.map({ minimize ? bound > $0 : bound < $0 }) ?? true {
                s.bound = bound
                changed = true
            }
            guard changed else { return nil }
            let report = SolveProgressReport(
                seconds: s.start.map { (Self.clock.now - $0).seconds } ?? 0, incumbent: s.incumbent, bound: s.bound)
            s.last = report
            for continuation in s.streams.values { continuation.yield(report) }
            return report
        }
        if let report { onReport?(report) }
    }

    /// Records a finished solve's point and bound (an optimal LP's objective is its own bound).
    func finish(_ solution: Solution) {
        let objective = solution.hasSolution ? solution.objective : nil
        let bound = solution.termination == .optimal ? (solution.bestBound ?? objective) : solution.bestBound
        offer(incumbent: objective, bound: bound)
        close()
    }

    /// Ends the ``reports()`` streams (the solve is over, or threw before it ended).
    func close() {
        let streams = state.withLock { s in
            s.ended = true
            defer { s.streams = [:] }
            return Array(s.streams.values)
        }
        for continuation in streams { continuation.finish() }
    }
}
