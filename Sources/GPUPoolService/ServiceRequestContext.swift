import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the connection, so the pipeline can
/// notice a client that hangs up while its request's work waits in the queue or runs.
struct ServiceRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client connection.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// The connection of the request being handled, as far as its handlers need it.
enum RequestConnection {
    /// Signalled when the client hangs up; set by ``RequestPipeline`` for `/v1/…` requests.
    /// ``APIHandler/onWorker(_:)`` cancels the request's work when it fires.
    @TaskLocal static var hangUp: HangUpSignal?
}

/// The raw body of the request being handled, set by ``RequestPipeline`` once it has read it
/// (bounded by the body limit). Handlers read models from these bytes, so errors carry the
/// line numbers of what the client sent.
enum RequestBytes {
    /// A body as the pipeline read it.
    enum Body: Sendable {
        /// `/v1/solve`: read straight into an array, the request's only copy.
        case bytes([UInt8])
        /// Other operations: the buffer their generated code decodes.
        case buffer(ByteBuffer)
    }

    @TaskLocal static var current: Body?
    /// Set when a `/v1/solve` body in the JSON model format was handed to the generated code as
    /// text: the model is then parsed once, by GPUPool's JSON model reader (which names line and
    /// JSON path), instead of first into a generic JSON container — that generic decode took a
    /// third of the CPU time of a small solve.
    @TaskLocal static var isJSONModel = false
}
