import NIOCore
import Synchronization

/// Cancels a request's task when its client hangs up, and never after the request has finished
/// (an `UnsafeCurrentTask` must not be used once its task may have ended).
final class DisconnectWatch: Sendable {
    private let state = Mutex<(task: UnsafeCurrentTask?, done: Bool)>((nil, false))

    func arm(_ task: UnsafeCurrentTask) { state.withLock { $0.task = task } }

    func fire() {
        state.withLock { s in
            if !s.done, let task = s.task { task.cancel() }
            s.done = true
        }
    }

    func disarm() { state.withLock { $0 = (nil, true) } }
}

/// Sits first in a connection's pipeline and reports when the client closes its side.
///
/// The server allows half-closure, so a client that hangs up shows as an `inputClosed` event
/// rather than a closed channel; NIO delivers inbound events from the head, so this handler sees
/// it even while the request's handler is busy and nobody reads the connection. One watcher per
/// connection, installed by the first request that needs it; requests register a callback each.
final class InputClosedWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private var callbacks: [UInt64: @Sendable () -> Void] = [:]
    private var nextID: UInt64 = 0
    private var closed = false

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

    private func fireAll() {
        closed = true
        let pending = callbacks.values
        callbacks.removeAll()
        for callback in pending { callback() }
    }

    /// Registers `callback`; runs it at once if the client already hung up. Event loop only.
    func register(_ callback: @escaping @Sendable () -> Void) -> UInt64? {
        if closed { callback(); return nil }
        nextID += 1
        callbacks[nextID] = callback
        return nextID
    }

    /// Event loop only.
    func unregister(_ id: UInt64) { callbacks[id] = nil }

    /// Calls `onClose` when the client of `channel` hangs up, until the returned function is called.
    static func watch(_ channel: any Channel, onClose: @escaping @Sendable () -> Void) async -> @Sendable () -> Void {
        let loop = channel.eventLoop
        let registration = try? await loop.submit { () -> (NIOLoopBound<InputClosedWatcher>, UInt64?) in
            let pipeline = channel.pipeline.syncOperations
            let watcher: InputClosedWatcher
            if let existing = try? pipeline.handler(type: InputClosedWatcher.self) {
                watcher = existing
            } else {
                watcher = InputClosedWatcher()
                try pipeline.addHandler(watcher, position: .first)
            }
            return (NIOLoopBound(watcher, eventLoop: loop), watcher.register(onClose))
        }.get()
        guard let (bound, id) = registration, let id else { return {} }
        return { loop.execute { bound.value.unregister(id) } }
    }
}
