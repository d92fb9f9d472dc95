/// Iteration and wall-clock limits of a search.
///
/// The searches count iterations and look at the clock only every ``clockInterval`` iterations.
/// With the same seed they therefore make exactly the same moves until they stop; only *where*
/// they stop can depend on the machine's speed, and only when the time limit, not the iteration
/// limit, ends the search.
struct SearchBudget: Sendable {
    static let clockInterval = 8

    let start: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant?
    let iterationLimit: Int
    private(set) var iterations = 0
    private(set) var stoppedByTime = false

    init(timeLimit: Double?, iterationLimit: Int?) {
        start = ContinuousClock.now
        if let timeLimit, timeLimit.isFinite {
            deadline = start.advanced(by: .nanoseconds(Int64(max(0, min(timeLimit, 1e9)) * 1e9)))
        } else {
            deadline = nil
        }
        self.iterationLimit = max(0, iterationLimit ?? Int.max)
    }

    /// Whether the budget is spent (without consuming an iteration).
    var exhausted: Bool { stoppedByTime || iterations >= iterationLimit }

    /// Consumes one iteration; `false` when none is left.
    @inline(__always) mutating func next() -> Bool {
        guard !stoppedByTime, iterations < iterationLimit else { return false }
        iterations += 1
        if iterations % Self.clockInterval == 0, let deadline, ContinuousClock.now >= deadline {
            stoppedByTime = true
        }
        return true
    }

    /// Seconds since the budget was created.
    var elapsedSeconds: Double {
        let elapsed = start.duration(to: ContinuousClock.now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
