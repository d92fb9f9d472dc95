import Dispatch
import Foundation
@testable import GPUPoolService
import Synchronization
import Testing

/// The worker pool on its own. Work blocks on a semaphore the test opens, and the test waits for
/// the pool's `onChange` reports (queue depth, running jobs), so nothing depends on timing.
/// The time limit only guards against a hang: the whole test run shares two cores and long
/// synchronous tests hold the cooperative threads, so a one-minute limit failed in CI (a test
/// waits as long as the run's busiest stretch, about 100 s there, before it gets a thread).
@Suite("WorkerPool: bounded queue, cancellation, shutdown", .timeLimit(.minutes(10)))
struct WorkerPoolTests {
    struct Change: Equatable, Sendable {
        var queued: Int
        var running: Int
    }

    /// Set once by work that should never run.
    final class Flag: Sendable {
        private let state = Atomic<Bool>(false)
        func set() { state.store(true, ordering: .relaxed) }
        var isSet: Bool { state.load(ordering: .relaxed) }
    }

    /// A pool that reports its changes to `changes`.
    static func pool(workers: Int, queueLimit: Int, changes: EventQueue<Change>.Sink) -> WorkerPool {
        WorkerPool(workers: workers, queueLimit: queueLimit) { changes.yield(Change(queued: $0, running: $1)) }
    }

    @Test("a full queue refuses work as overloaded; what was queued still runs")
    func fullQueue() async throws {
        var changes = EventQueue<Change>()
        let pool = Self.pool(workers: 1, queueLimit: 1, changes: changes.sink)
        defer { pool.stop() }
        let gate = DispatchSemaphore(value: 0)
        let first = Task { try await pool.run { gate.wait(); return 1 } }
        await changes.next { $0.running == 1 }
        #expect(!pool.isFull, "one queue slot is still free")
        let second = Task { try await pool.run { 2 } }
        await changes.next(Change(queued: 1, running: 1))
        #expect(pool.isFull)
        #expect(pool.queuedCount == 1 && pool.runningCount == 1)
        await #expect(throws: WorkerPoolError.overloaded) { try await pool.run { 3 } }
        gate.signal()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        // Both the queue gauge and the busy-worker gauge come back to zero.
        await changes.next(Change(queued: 0, running: 0))
        #expect(!pool.isFull)
    }

    @Test("cancelling a caller whose work is queued takes the work out of the queue; it never runs")
    func cancelQueued() async throws {
        var changes = EventQueue<Change>()
        let pool = Self.pool(workers: 1, queueLimit: 4, changes: changes.sink)
        defer { pool.stop() }
        let gate = DispatchSemaphore(value: 0)
        let ran = Flag()
        let first = Task { try await pool.run { gate.wait(); return 1 } }
        await changes.next { $0.running == 1 }
        let second = Task { try await pool.run { ran.set(); return 2 } }
        await changes.next(Change(queued: 1, running: 1))
        second.cancel()
        await #expect(throws: WorkerPoolError.cancelled) { try await second.value }
        await changes.next(Change(queued: 0, running: 1))
        #expect(pool.queuedCount == 0)
        gate.signal()
        #expect(try await first.value == 1)
        #expect(await pool.waitUntilIdle(timeout: 600))
        #expect(!ran.isSet, "the cancelled work ran")
        // The worker is still there for new work (the cancelled job's wake-up did no harm).
        #expect(try await pool.run { 4 } == 4)
    }

    @Test("a caller cancelled before it submits is refused at once")
    func cancelledBeforeSubmitting() async throws {
        let pool = WorkerPool(workers: 1, queueLimit: 1)
        defer { pool.stop() }
        let ran = Flag()
        let task = Task {
            try? await Task.sleep(for: .seconds(3600))  // ends as soon as the task is cancelled
            return try await pool.run { ran.set(); return 1 }
        }
        task.cancel()
        await #expect(throws: WorkerPoolError.cancelled) { try await task.value }
        #expect(await pool.waitUntilIdle(timeout: 600))
        #expect(!ran.isSet)
    }

    @Test("stopAccepting refuses new work but finishes queued and running work; waitUntilIdle waits for it")
    func drain() async throws {
        var changes = EventQueue<Change>()
        let pool = Self.pool(workers: 1, queueLimit: 4, changes: changes.sink)
        defer { pool.stop() }
        let gate = DispatchSemaphore(value: 0)
        let first = Task { try await pool.run { gate.wait(); return 1 } }
        await changes.next { $0.running == 1 }
        let second = Task { try await pool.run { 2 } }
        await changes.next(Change(queued: 1, running: 1))
        pool.stopAccepting()
        await #expect(throws: WorkerPoolError.shuttingDown) { try await pool.run { 3 } }
        #expect(await pool.waitUntilIdle(timeout: 0.05) == false, "work is blocked, so the pool cannot be idle")
        let idle = Task { await pool.waitUntilIdle(timeout: 600) }
        gate.signal()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        #expect(await idle.value)
        #expect(pool.queuedCount == 0 && pool.runningCount == 0)
    }

    @Test("stop refuses queued work as shutting down; the running job completes")
    func stop() async throws {
        var changes = EventQueue<Change>()
        let pool = Self.pool(workers: 1, queueLimit: 4, changes: changes.sink)
        let gate = DispatchSemaphore(value: 0)
        let ran = Flag()
        let first = Task { try await pool.run { gate.wait(); return 1 } }
        await changes.next { $0.running == 1 }
        let second = Task { try await pool.run { ran.set(); return 2 } }
        await changes.next(Change(queued: 1, running: 1))
        pool.stop()
        await #expect(throws: WorkerPoolError.shuttingDown) { try await second.value }
        await #expect(throws: WorkerPoolError.shuttingDown) { try await pool.run { 3 } }
        gate.signal()
        #expect(try await first.value == 1)
        #expect(await pool.waitUntilIdle(timeout: 600))
        #expect(!ran.isSet)
        pool.stop()  // a second stop does nothing
    }

    @Test("abandonRunning answers a running job's caller at once; the late result is dropped")
    func abandonRunning() async throws {
        var changes = EventQueue<Change>()
        let pool = Self.pool(workers: 1, queueLimit: 4, changes: changes.sink)
        let gate = DispatchSemaphore(value: 0)
        let finished = Flag()
        let stuck = Task { try await pool.run { gate.wait(); finished.set(); return 1 } }
        await changes.next { $0.running == 1 }
        pool.stop()
        #expect(pool.abandonRunning() == 1)
        await changes.next(Change(queued: 0, running: 0))  // reported by abandonRunning
        await #expect(throws: WorkerPoolError.abandoned) { try await stuck.value }
        #expect(await pool.waitUntilIdle(timeout: 600), "the pool counts nothing as running once abandoned")
        // The worker finishes later: its answer must go nowhere (a second resume would trap).
        gate.signal()
        await changes.next(Change(queued: 0, running: 0))  // reported by the worker when its job ends
        #expect(finished.isSet)
        #expect(pool.abandonRunning() == 0)
    }

    @Test("each worker is a thread of its own: as many jobs run at once as there are workers")
    func workersRunAtOnce() async throws {
        let pool = WorkerPool(workers: 3, queueLimit: 0)
        defer { pool.stop() }
        let gate = DispatchSemaphore(value: 0)
        var started = EventQueue<String>()
        let sink = started.sink
        let jobs = (0..<3).map { k in
            Task { try await pool.run { sink.yield("\(pthread_self())"); gate.wait(); return k } }
        }
        // Three jobs running at once on three distinct threads (thread ids; names are cosmetic and
        // a thread's name can lag behind its start on Linux).
        var threads: Set<String> = []
        for _ in 0..<3 {
            if let thread = await started.next(where: { _ in true }) { threads.insert(thread) }
        }
        #expect(threads.count == 3)
        #expect(pool.runningCount == 3 && pool.isFull)
        await #expect(throws: WorkerPoolError.overloaded) { try await pool.run { -1 } }
        for _ in 0..<3 { gate.signal() }
        var results: [Int] = []
        for job in jobs { results.append(try await job.value) }
        #expect(results == [0, 1, 2])
    }

    @Test("HangUpSignal: waiters wake at the hang-up, later ones at once, cancelled ones with false")
    func hangUpSignal() async {
        let signal = HangUpSignal()
        let waiter = Task { await signal.wait() }
        signal.signal()
        #expect(await waiter.value)
        #expect(await signal.wait(), "a hang-up that already happened is seen at once")
        #expect(signal.hasHappened)

        let quiet = HangUpSignal()
        let cancelled = Task { await quiet.wait() }
        cancelled.cancel()
        #expect(await cancelled.value == false)
        #expect(!quiet.hasHappened)
    }
}
