import DequeModule
import Dispatch
import GPUPoolSupport
import Synchronization
import Foundation

/// Why the pool did not run a piece of work.
public enum WorkerPoolError: Error, Sendable, Equatable {
    /// Every worker busy and the queue full.
    case overloaded
    /// The pool is shutting down and takes no new work.
    case shuttingDown
    /// The caller's task was cancelled (e.g. the client disconnected) while the work waited.
    case cancelled
    /// The work was running when shutdown gave up on it (``WorkerPool/abandonRunning()``): its
    /// caller is answered now; the thread finishes the work later and its result is dropped.
    case abandoned
}

/// A fixed set of dedicated threads with a bounded queue in front.
///
/// Solver work is synchronous and long (GLPK runs on the calling thread), so it must never run on
/// the event loop or on Swift's cooperative pool: each worker is its own `Thread`, and one solve
/// stays on one thread from start to end. A caller whose task is cancelled while its work is still
/// queued gets ``WorkerPoolError/cancelled`` and the work never starts; work that already started
/// runs to its end (the caller stops a solve through its `SolveCancellation`).
///
/// All mutable state is one ``State`` value inside a `Mutex`; the workers sleep on a counting
/// semaphore (one wake-up per queued job), so nothing here needs `@unchecked Sendable`.
public final class WorkerPool: Sendable {
    /// One queued piece of work. `run` and `reject` resume the caller's continuation; the job is
    /// in the queue until one of them is called, and only the code that takes it out of the queue
    /// under the lock (a worker, a cancellation, ``stop()``) or refuses to put it in
    /// (``enqueue(_:)``) calls one. A running job can also be rejected by ``abandonRunning()``
    /// while its worker still runs it: ``Answer`` lets only the first of the two resume the caller.
    private struct Job: Sendable {
        let id: UInt64
        let run: @Sendable () -> Void
        let reject: @Sendable (WorkerPoolError) -> Void
    }

    /// A caller's continuation that is resumed at most once; later answers are dropped.
    private final class Answer<T: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<Result<T, WorkerPoolError>, Never>?>
        init(_ continuation: CheckedContinuation<Result<T, WorkerPoolError>, Never>) {
            self.continuation = Mutex(continuation)
        }
        func resume(_ result: Result<T, WorkerPoolError>) {
            continuation.withLock { c in
                defer { c = nil }
                return c
            }?.resume(returning: result)
        }
    }

    private struct State {
        var queue = Deque<Job>()
        /// Jobs on a worker now, by id (so shutdown can answer their callers).
        var runningJobs: [UInt64: Job] = [:]
        var running: Int { runningJobs.count }
        var accepting = true
        var stopped = false
        /// Callers of ``waitUntilIdle(timeout:)`` waiting for the pool to go idle, by id.
        var idleWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]

        var isIdle: Bool { queue.isEmpty && running == 0 }

        /// The idle waiters to resume, when the pool is idle now.
        mutating func takeIdleWaiters() -> [CheckedContinuation<Bool, Never>] {
            guard isIdle, !idleWaiters.isEmpty else { return [] }
            defer { idleWaiters.removeAll() }
            return Array(idleWaiters.values)
        }
    }

    /// Number of worker threads.
    public let workers: Int
    /// Most jobs waiting beyond the idle workers.
    public let queueLimit: Int

    private let state = Mutex(State())
    /// Wake-ups for the workers: one per queued job, and one per worker at ``stop()``. A job taken
    /// out of the queue by a cancellation leaves its wake-up behind; the worker that gets it finds
    /// the queue empty and waits again. So there are always at least as many wake-ups pending (or
    /// workers between waking and taking the lock) as jobs queued: no job waits beside an idle worker.
    private let wakeUps = DispatchSemaphore(value: 0)
    /// Ids of jobs and idle waiters (a cancellation handler finds its job or waiter by id).
    private let nextID = Atomic<UInt64>(0)
    private let onChange: @Sendable (_ queued: Int, _ running: Int) -> Void

    /// Starts `workers` threads.
    /// - Parameter onChange: called (under no lock the caller can observe) with the queue depth and
    ///   the number of running jobs whenever either changes; used for metrics.
    public init(workers: Int, queueLimit: Int, onChange: @escaping @Sendable (_ queued: Int, _ running: Int) -> Void = { _, _ in }) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
        self.onChange = onChange
        for k in 0..<self.workers {
            // The thread holds the pool until ``stop()`` lets it end. It names itself: on Linux a
            // name set before `start()` is not applied, and one longer than 15 bytes is ignored.
            let name = "gpupool-wk-\(k)"
            let thread = Thread { [self] in
                Thread.current.name = name
                workerLoop()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    deinit { stop() }

    /// Jobs waiting for a worker.
    public var queuedCount: Int { state.withLock { $0.queue.count } }
    /// Jobs running now.
    public var runningCount: Int { state.withLock { $0.running } }
    /// Whether new work would be refused as overloaded right now.
    public var isFull: Bool { state.withLock { !hasRoom($0) } }

    /// Room for one more job: an idle worker, or a free queue slot.
    private func hasRoom(_ state: borrowing State) -> Bool {
        state.queue.count < (workers - state.running) + queueLimit
    }

    private func makeID() -> UInt64 { nextID.wrappingAdd(1, ordering: .relaxed).newValue }

    /// Runs `work` on a worker thread and returns its result.
    /// - Throws: ``WorkerPoolError`` when the pool is full or shutting down, or the caller's task
    ///   is cancelled before the work starts.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(WorkerPoolError) -> T {
        let id = makeID()
        let result: Result<T, WorkerPoolError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, WorkerPoolError>, Never>) in
                let answer = Answer(continuation)
                enqueue(Job(
                    id: id,
                    run: { answer.resume(.success(work())) },
                    reject: { answer.resume(.failure($0)) }
                ))
            }
        } onCancel: {
            cancelQueued(id)
        }
        return try result.get()
    }

    /// Queues `job`, or rejects it at once. Runs on the caller's task (inside the continuation's
    /// body), so `Task.isCancelled` is the caller's: it is read under the lock, and a cancellation
    /// handler takes the same lock after the task's cancelled flag is set. Either the handler ran
    /// first (found nothing to remove) and this sees the flag, or this queues first and the handler
    /// finds the job in the queue and takes it out.
    private func enqueue(_ job: Job) {
        let (refusal, queued, running) = state.withLock { s -> (WorkerPoolError?, Int, Int) in
            if Task.isCancelled { return (.cancelled, s.queue.count, s.running) }
            if !s.accepting { return (.shuttingDown, s.queue.count, s.running) }
            if !hasRoom(s) { return (.overloaded, s.queue.count, s.running) }
            s.queue.append(job)
            return (nil, s.queue.count, s.running)
        }
        if let refusal {
            job.reject(refusal)
        } else {
            wakeUps.signal()
            onChange(queued, running)
        }
    }

    /// Takes the job `id` out of the queue if it is still there, and rejects it as cancelled.
    private func cancelQueued(_ id: UInt64) {
        let taken = state.withLock { s -> (job: Job, queued: Int, running: Int, waiters: [CheckedContinuation<Bool, Never>])? in
            guard let index = s.queue.firstIndex(where: { $0.id == id }) else { return nil }
            let job = s.queue.remove(at: index)
            return (job, s.queue.count, s.running, s.takeIdleWaiters())
        }
        guard let taken else { return }
        taken.job.reject(.cancelled)
        onChange(taken.queued, taken.running)
        for waiter in taken.waiters { waiter.resume(returning: true) }
    }

    private func workerLoop() {
        while true {
            wakeUps.wait()
            let next = state.withLock { s -> (job: Job?, exit: Bool, queued: Int, running: Int) in
                guard let job = s.queue.popFirst() else { return (nil, s.stopped, 0, s.running) }
                s.runningJobs[job.id] = job
                return (job, false, s.queue.count, s.running)
            }
            guard let job = next.job else {
                if next.exit { return }
                continue  // the wake-up of a job that was cancelled while queued
            }
            onChange(next.queued, next.running)
            job.run()
            let done = state.withLock { s -> (queued: Int, running: Int, waiters: [CheckedContinuation<Bool, Never>]) in
                s.runningJobs[job.id] = nil
                return (s.queue.count, s.running, s.takeIdleWaiters())
            }
            onChange(done.queued, done.running)
            for waiter in done.waiters { waiter.resume(returning: true) }
        }
    }

    /// Stops taking new work; queued and running work still completes.
    public func stopAccepting() {
        state.withLock { $0.accepting = false }
    }

    /// Waits until no work is queued or running, or `timeout` seconds pass.
    /// - Returns: whether the pool went idle in time.
    public func waitUntilIdle(timeout: Double) async -> Bool {
        let wentIdle = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.idle() }
            group.addTask {
                try? await Task.sleep(for: .clamped(seconds: timeout))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return wentIdle || state.withLock { $0.isIdle }
    }

    /// Returns `true` once the pool is idle, or `false` when the calling task is cancelled first.
    private func idle() async -> Bool {
        let id = makeID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                // As in `enqueue`: the cancellation flag is read under the lock the handler takes.
                let now = state.withLock { s -> Bool? in
                    if s.isIdle { return true }
                    if Task.isCancelled { return false }
                    s.idleWaiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { $0.idleWaiters.removeValue(forKey: id) }?.resume(returning: false)
        }
    }

    /// Answers the callers of every running job with ``WorkerPoolError/abandoned`` now, without
    /// waiting for the work (the last step of a shutdown whose running work did not stop in time:
    /// the process is about to exit). The workers finish the work later; its results are dropped.
    /// - Returns: how many callers were answered.
    @discardableResult
    public func abandonRunning() -> Int {
        let (abandoned, waiters) = state.withLock { s in
            let jobs = Array(s.runningJobs.values)
            s.runningJobs.removeAll()
            return (jobs, s.takeIdleWaiters())
        }
        for job in abandoned { job.reject(.abandoned) }
        if !abandoned.isEmpty { onChange(queuedCount, 0) }
        for waiter in waiters { waiter.resume(returning: true) }
        return abandoned.count
    }

    /// Stops taking work, refuses what is still queued, and lets the threads end once idle.
    public func stop() {
        let (dropped, firstStop, queued, running, waiters) = state.withLock { s in
            let firstStop = !s.stopped
            s.accepting = false
            s.stopped = true
            let dropped = Array(s.queue)
            s.queue.removeAll()
            return (dropped, firstStop, s.queue.count, s.running, s.takeIdleWaiters())
        }
        if firstStop {
            for _ in 0..<workers { wakeUps.signal() }
        }
        for job in dropped { job.reject(.shuttingDown) }
        if !dropped.isEmpty { onChange(queued, running) }
        for waiter in waiters { waiter.resume(returning: true) }
    }
}
