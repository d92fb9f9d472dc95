import GPUPoolSupport
internal import Foundation

/// Why the pool did not run a piece of work.
public enum WorkerPoolError: Error, Sendable, Equatable {
    /// Every worker busy and the queue full.
    case overloaded
    /// The pool is shutting down and takes no new work.
    case shuttingDown
    /// The caller's task was cancelled (e.g. the client disconnected) while the work waited.
    case cancelled
}

/// A fixed set of dedicated threads with a bounded queue in front.
///
/// Solver work is synchronous and long (GLPK runs on the calling thread), so it must never run on
/// the event loop or on Swift's cooperative pool: each worker is its own `Thread`, and one solve
/// stays on one thread from start to end. A caller whose task is cancelled while its work is still
/// queued gets ``WorkerPoolError/cancelled`` and the work never starts; work that already started
/// runs to its end (solves are bounded by their time limits).
public final class WorkerPool: @unchecked Sendable {
    /// One submitted piece of work; `state` is guarded by the pool's lock, and `run`/`reject` are
    /// set before the job is queued and called at most once between them.
    private final class Job: @unchecked Sendable {
        enum State { case pending, queued, running, finished, cancelled }
        var state = State.pending
        var run: () -> Void = {}
        var reject: (WorkerPoolError) -> Void = { _ in }
    }

    /// Number of worker threads.
    public let workers: Int
    /// Most jobs waiting beyond the idle workers.
    public let queueLimit: Int

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var queueHead = 0
    private var running = 0
    private var accepting = true
    private var stopped = false
    private let onChange: @Sendable (_ queued: Int, _ running: Int) -> Void

    /// Starts `workers` threads.
    /// - Parameter onChange: called (under no lock the caller can observe) with the queue depth and
    ///   the number of running jobs whenever either changes; used for metrics.
    public init(workers: Int, queueLimit: Int, onChange: @escaping @Sendable (_ queued: Int, _ running: Int) -> Void = { _, _ in }) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
        self.onChange = onChange
        for k in 0..<self.workers {
            let thread = Thread { [self] in workerLoop() }
            thread.name = "gpupool-worker-\(k)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    deinit { stop() }

    /// Jobs waiting for a worker.
    public var queuedCount: Int { condition.withLock { queue.count - queueHead } }
    /// Jobs running now.
    public var runningCount: Int { condition.withLock { running } }
    /// Whether new work would be refused as overloaded right now.
    public var isFull: Bool { condition.withLock { !hasRoomLocked } }

    /// Runs `work` on a worker thread and returns its result.
    /// - Throws: ``WorkerPoolError`` when the pool is full or shutting down, or the caller's task
    ///   is cancelled before the work starts.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(WorkerPoolError) -> T {
        let job = Job()
        let result: Result<T, WorkerPoolError> = await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<T, WorkerPoolError>, Never>) in
                // Resumed exactly once: by `run` on a worker, or by `reject` (refused, cancelled
                // while queued, pool stopped); the job's state decides which.
                job.run = { continuation.resume(returning: .success(work())) }
                job.reject = { continuation.resume(returning: .failure($0)) }
                enqueue(job)
            }
        } onCancel: {
            cancel(job)
        }
        return try result.get()
    }

    private func enqueue(_ job: Job) {
        var refusal: WorkerPoolError?
        condition.lock()
        if job.state == .cancelled {
            refusal = .cancelled
        } else if !accepting {
            refusal = .shuttingDown
        } else if !hasRoomLocked {
            refusal = .overloaded
        } else {
            job.state = .queued
            queue.append(job)
            condition.signal()
        }
        let (q, r) = (queue.count - queueHead, running)
        condition.unlock()
        if let refusal { job.reject(refusal) } else { onChange(q, r) }
    }

    private func cancel(_ job: Job) {
        condition.lock()
        switch job.state {
        case .pending:
            job.state = .cancelled
            condition.unlock()
        case .queued:
            job.state = .cancelled
            if let index = queue[queueHead...].firstIndex(where: { $0 === job }) { queue.remove(at: index) }
            let (q, r) = (queue.count - queueHead, running)
            condition.unlock()
            job.reject(.cancelled)
            onChange(q, r)
        case .running, .finished, .cancelled:
            condition.unlock()
        }
    }

    /// Room for one more job: an idle worker, or a free queue slot.
    private var hasRoomLocked: Bool { (queue.count - queueHead) < (workers - running) + queueLimit }

    private func workerLoop() {
        while true {
            condition.lock()
            while queue.count == queueHead && !stopped { condition.wait() }
            if queue.count == queueHead && stopped { condition.unlock(); return }
            let job = queue[queueHead]
            queueHead += 1
            if queueHead > 64 && queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            job.state = .running
            running += 1
            var (q, r) = (queue.count - queueHead, running)
            condition.unlock()
            onChange(q, r)
            job.run()
            condition.lock()
            job.state = .finished
            running -= 1
            (q, r) = (queue.count - queueHead, running)
            // No wake-up here: idle workers wait for new work (signalled by `enqueue`), and
            // `waitUntilIdle` polls; waking them at every finished job only cost futex calls.
            condition.unlock()
            onChange(q, r)
        }
    }

    /// Stops taking new work; queued and running work still completes.
    public func stopAccepting() {
        condition.withLock { accepting = false }
    }

    /// Waits until no work is queued or running, or `timeout` seconds pass.
    /// - Returns: whether the pool went idle in time.
    public func waitUntilIdle(timeout: Double) async -> Bool {
        let deadline = ContinuousClock.now + .clamped(seconds: timeout)
        while ContinuousClock.now < deadline {
            if condition.withLock({ queue.count == queueHead && running == 0 }) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition.withLock { queue.count == queueHead && running == 0 }
    }

    /// Stops taking work, refuses what is still queued, and lets the threads end once idle.
    public func stop() {
        condition.lock()
        accepting = false
        stopped = true
        let dropped = queue[queueHead...].filter { $0.state == .queued }
        for job in dropped { job.state = .cancelled }
        queue.removeAll()
        queueHead = 0
        condition.broadcast()
        condition.unlock()
        for job in dropped { job.reject(.shuttingDown) }
    }
}
