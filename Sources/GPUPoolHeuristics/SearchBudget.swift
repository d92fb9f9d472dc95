import GPUPoolSupport
import GPUPoolModel

/// Iteration and wall-clock limits of a search.
///
/// The searches count iterations and look at the clock every ``clockInterval`` iterations (every
/// iteration: one costs far more than reading the clock). The clock never steers a move, so with
/// the same seed the searches make exactly the same moves until they stop; only *where* they stop
/// depends on the machine's speed, and only when the time limit, not the iteration limit, ends
/// the search.
struct SearchBudget: Sendable {
    static let clockInterval = 1
    /// Share of the time limit kept back for the steps after the search (polish, verification).
    static let reserve = 0.03

    let start: ContinuousClock.Instant
    private(set) var deadline: ContinuousClock.Instant?
    let iterationLimit: Int
    private(set) var iterations = 0
    /// Set when the time limit passed or the ``stop`` flag was raised.
    private(set) var stoppedByTime = false
    /// Raised from another thread to end the search as at a time limit.
    var stop: SearchStop?

    init(timeLimit: Double?, iterationLimit: Int?, stop: SearchStop? = nil) {
        self.stop = stop
        start = ContinuousClock.now
        if let timeLimit, timeLimit.isFinite {
            let seconds = max(0, min(timeLimit, 1e9)) * (1 - Self.reserve)
            deadline = start.advanced(by: .clamped(seconds: seconds))
        } else {
            deadline = nil
        }
        self.iterationLimit = max(0, iterationLimit ?? Int.max)
    }

    /// A budget of `iterations` for the steps after the search, running until the full time
    /// limit (the part ``reserve`` kept back).
    func finalPhase(iterations: Int) -> SearchBudget {
        var limit: Double? = nil
        if let deadline {
            let reserved = start.duration(to: deadline) / (1 - Self.reserve) * Self.reserve
            let remaining = ContinuousClock.now.duration(to: deadline + reserved)
            limit = max(0, remaining.seconds)
        }
        var budget = SearchBudget(timeLimit: limit, iterationLimit: iterations, stop: stop)
        budget.deadline = limit.map { budget.start.advanced(by: .clamped(seconds: $0)) }
        return budget
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
        if let stop, stop.isRaised { stoppedByTime = true }
        return true
    }

    /// Whether the deadline has passed or the stop flag is raised (consumes nothing).
    var timeIsUp: Bool {
        if let stop, stop.isRaised { return true }
        guard let deadline else { return false }
        return ContinuousClock.now >= deadline
    }

    /// Share of the time limit used so far (0 without a time limit).
    var fractionUsed: Double {
        guard let deadline else { return 0 }
        let total = start.duration(to: deadline)
        guard total > .zero else { return 1 }
        return start.duration(to: ContinuousClock.now) / total
    }

    /// Seconds since the budget was created.
    var elapsedSeconds: Double {
        start.duration(to: ContinuousClock.now).seconds
    }
}
