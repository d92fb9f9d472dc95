import NIOCore
import Synchronization

/// A client's hang-up, as an event a request's code can wait for.
///
/// ``RequestPipeline`` makes one per request and has ``InputClosedWatcher`` signal it when the
/// client closes its side; ``APIHandler/onWorker(_:)`` races the request's work against
/// ``wait()`` in a task group and cancels the work's child task when the hang-up comes first.
/// Nothing holds on to a task: cancellation travels the structured path (task group → child task
/// → the cancellation handlers of ``WorkerPool`` and `SolveCancellation`), and it cannot reach a
/// request that has finished, because the group ends with the request's work.
final class HangUpSignal: Sendable {
    private struct State {
        var happened = false
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Whether the client has hung up.
    var hasHappened: Bool { state.withLock { $0.happened } }

    /// Records the hang-up and wakes every waiter; later calls do nothing.
    func signal() {
        let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            guard !s.happened else { return [] }
            s.happened = true
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Returns `true` once the client hangs up (at once if it already has), or `false` as soon as
    /// the calling task is cancelled.
    func wait() async -> Bool {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                // The task's cancelled flag is set before its cancellation handler runs, and the
                // handler takes this lock: either it ran before (found no waiter) and the flag is
                // seen here, or the waiter is registered first and the handler resumes it.
                let now = state.withLock { s -> Bool? in
                    if s.happened { return true }
                    if Task.isCancelled { return false }
                    s.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: false)
        }
    }
}

/// Sits first in a connection's pipeline and reports when the client closes its side.
///
/// The server allows half-closure, so a client that hangs up shows as an `inputClosed` event
/// rather than a closed channel; NIO delivers inbound events from the head, so this handler sees
/// it even while the request's handler is busy and nobody reads the connection. One watcher per
/// connection, installed on the connection's event loop by its first request; requests register
/// a callback each, from any thread, so later requests on a keep-alive connection find the
/// watcher in ``registry`` without a trip to the event loop.
final class InputClosedWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    private struct State {
        var callbacks: [UInt64: @Sendable () -> Void] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let key: ObjectIdentifier

    /// The watcher of each open connection, by channel identity.
    private static let registry = Mutex<[ObjectIdentifier: InputClosedWatcher]>([:])

    private init(channel: any Channel) { key = ObjectIdentifier(channel) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { fireAll() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fireAll()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fireAll()
    }

    private func fireAll() {
        let pending = state.withLock { s in
            s.closed = true
            defer { s.callbacks.removeAll() }
            return Array(s.callbacks.values)
        }
        _ = Self.registry.withLock { $0.removeValue(forKey: key) }
        for callback in pending { callback() }
    }

    /// Registers `callback`; runs it at once if the client already hung up.
    private func register(_ callback: @escaping @Sendable () -> Void) -> UInt64? {
        let id: UInt64? = state.withLock { s in
            if s.closed { return nil }
            s.nextID += 1
            s.callbacks[s.nextID] = callback
            return s.nextID
        }
        if id == nil { callback() }
        return id
    }

    private func unregister(_ id: UInt64) { _ = state.withLock { $0.callbacks.removeValue(forKey: id) } }

    /// Calls `onClose` when the client of `channel` hangs up, until the returned function is called.
    static func watch(_ channel: any Channel, onClose: @escaping @Sendable () -> Void) async -> @Sendable () -> Void {
        let watcher: InputClosedWatcher
        if let existing = registry.withLock({ $0[ObjectIdentifier(channel)] }) {
            watcher = existing
        } else {
            // First request on this connection: install the watcher on its event loop.
            let installed = try? await channel.eventLoop.submit { () -> InputClosedWatcher in
                let pipeline = channel.pipeline.syncOperations
                if let existing = try? pipeline.handler(type: InputClosedWatcher.self) { return existing }
                let watcher = InputClosedWatcher(channel: channel)
                try pipeline.addHandler(watcher, position: .first)
                if channel.isActive {
                    registry.withLock { $0[watcher.key] = watcher }
                } else {
                    watcher.fireAll()
                }
                return watcher
            }.get()
            guard let installed else {
                // The channel is gone (closing or closed): the client has hung up.
                onClose()
                return {}
            }
            watcher = installed
        }
        guard let id = watcher.register(onClose) else { return {} }
        return { watcher.unregister(id) }
    }
}
