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
