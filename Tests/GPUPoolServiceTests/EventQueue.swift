/// Events from the code under test, and the test's one reader of them: tests wait for the state
/// they need (a job running, a request dropped) instead of sleeping for a while.
struct EventQueue<Event: Sendable> {
    typealias Sink = AsyncStream<Event>.Continuation
    /// Where the code under test sends its events.
    let sink: Sink
    private var iterator: AsyncStream<Event>.Iterator

    init() {
        let (stream, sink) = AsyncStream.makeStream(of: Event.self)
        self.sink = sink
        iterator = stream.makeAsyncIterator()
    }

    /// Waits for the next event that satisfies `predicate`, skipping the others; `nil` when the
    /// stream ended or the waiting task was cancelled.
    @discardableResult
    mutating func next(where predicate: (Event) -> Bool) async -> Event? {
        while let event = await iterator.next() {
            if predicate(event) { return event }
        }
        return nil
    }
}

extension EventQueue where Event: Equatable {
    /// Waits for the next event equal to `expected`.
    @discardableResult
    mutating func next(_ expected: Event) async -> Event? {
        await next { $0 == expected }
    }
}
