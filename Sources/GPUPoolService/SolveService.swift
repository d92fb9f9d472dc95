import GPUPoolSupport
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import OpenAPIHummingbird
import OpenAPIRuntime
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The HTTP solve service behind `gpupool serve`.
///
/// ```swift
/// let service = try SolveService(configuration: ServiceConfiguration(port: 0, token: "secret"))
/// try await service.run(gracefulShutdownSignals: [.sigterm, .sigint]) { port in print("listening on \(port)") }
/// ```
///
/// The routes come from `openapi.yaml` (generated with swift-openapi-generator and served by
/// swift-openapi-hummingbird). Solves, plans and validations run on a ``WorkerPool`` of dedicated
/// threads behind a bounded queue. On graceful shutdown (SIGTERM, or ``shutdown()``) the server
/// stops accepting connections, lets running requests finish within
/// ``ServiceConfiguration/shutdownGracePeriod`` (new `/v1` requests, on new and open connections,
/// get 503 with `Retry-After`), interrupts the solves still running at its end so each answers with
/// its best point, and returns.
public final class SolveService: Sendable {
    /// The settings the service runs with.
    public let configuration: ServiceConfiguration
    /// The Prometheus metrics (also served at `/metrics`).
    public let metrics: ServiceMetrics
    private let logger: Logger
    private let pool: WorkerPool
    private let state = ServiceState()
    private let group = Mutex<ServiceGroup?>(nil)
    private let shutdownRequested = Atomic<Bool>(false)

    /// Checks the configuration and starts the worker threads.
    /// - Throws: ``ServiceSetupError`` listing every invalid setting.
    public convenience init(configuration: ServiceConfiguration, logger: Logger = Logger(label: "gpupool.serve")) throws(ServiceSetupError) {
        let problems = configuration.problems
        guard problems.isEmpty else { throw ServiceSetupError(problems.joined(separator: "\n")) }
        self.init(validated: configuration, logger: logger, observer: nil)
    }

    /// For tests: as the public initializer, and `observer` sees every metric update as it is
    /// recorded (queue changes, refusals, finished solves).
    convenience init(
        configuration: ServiceConfiguration, logger: Logger = Logger(label: "gpupool.serve"),
        observer: @escaping @Sendable (ServiceEvent) -> Void
    ) throws(ServiceSetupError) {
        let problems = configuration.problems
        guard problems.isEmpty else { throw ServiceSetupError(problems.joined(separator: "\n")) }
        self.init(validated: configuration, logger: logger, observer: observer)
    }

    // Separate from the throwing initializer: a throw before the stored properties are set
    // crashed the Swift 6.3.1 optimizer (CopyPropagation) in release builds.
    private init(validated configuration: ServiceConfiguration, logger: Logger, observer: (@Sendable (ServiceEvent) -> Void)?) {
        self.configuration = configuration
        self.logger = logger
        let metrics = ServiceMetrics(observer: observer)
        self.metrics = metrics
        pool = WorkerPool(workers: configuration.workers, queueLimit: configuration.queueLimit) { queued, running in
            metrics.recordQueue(queued: queued, running: running)
        }
    }

    deinit { pool.stop() }

    /// Serves until graceful shutdown (one of `gracefulShutdownSignals`, or ``shutdown()``).
    /// - Parameter onListening: called with the bound port once the server accepts connections
    ///   (useful with port 0).
    /// - Throws: when the address cannot be bound.
    public func run(gracefulShutdownSignals: [UnixSignal] = [], onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: RequestPipeline(configuration: configuration, metrics: metrics, state: state, logger: logger))
        let jobs = JobStore(retention: configuration.jobRetention, maxEnded: configuration.maxEndedJobs)
        let handler = APIHandler(configuration: configuration, pool: pool, metrics: metrics, state: state, jobs: jobs)
        try handler.registerHandlers(on: router, configuration: Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]))
        let logger = self.logger
        // A group of the configured size rather than NIO's singleton (one thread per core): the
        // I/O is light next to the solves, and fewer busy threads than cores left the workers
        // room (measured with `gpupool bench serve`, Docs/Service.md).
        let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: configuration.ioThreads)
        defer { eventLoops.shutdownGracefully { _ in } }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "gpupool"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice("listening", metadata: ["host": .string(channel.localAddress?.ipAddress ?? "?"), "port": .stringConvertible(port)])
                await onListening(port)
            },
            eventLoopGroupProvider: .shared(eventLoops),
            logger: logger
        )
        let drain = DrainService(pool: pool, state: state, gracePeriod: configuration.shutdownGracePeriod, logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            // Told in reverse order, each once the one before has ended: first the notice (`/readyz`
            // and `/v1` answer 503 from now on, on open connections too), then the drain (running
            // work finishes, or is interrupted at the end of the grace period), last the server
            // (stops accepting, answers what is in flight, closes the connections).
            services: [.init(service: app), .init(service: drain), .init(service: ShutdownNotice(state: state))],
            gracefulShutdownSignals: gracefulShutdownSignals, cancellationSignals: [], logger: logger
        )
        // The drain bounds itself (grace period, then the interrupt wait, then it answers for the
        // work itself), so the group's own deadline is only a backstop for the HTTP server's last
        // step; and a cancellation that takes long must never end in ServiceLifecycle's fatal error.
        groupConfiguration.maximumGracefulShutdownDuration = Duration.clamped(
            seconds: configuration.shutdownGracePeriod + ServiceConfiguration.interruptWait + 10)
        groupConfiguration.maximumCancellationDuration = nil
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        group.withLock { $0 = serviceGroup }
        if shutdownRequested.load(ordering: .acquiring) { await serviceGroup.triggerGracefulShutdown() }
        do {
            try await serviceGroup.run()
        } catch where state.shutdownWasRequested {
            // A shutdown was asked for, the grace period ran out and the group cancelled what was
            // left: still a clean exit. Any other failure (a port in use) is thrown to the caller.
            logger.warning("shutdown: cancelled work left after the grace period", metadata: ["error": .string("\(error)")])
        }
    }

    /// Starts a graceful shutdown, as SIGTERM does: new work is refused with 503, running work
    /// finishes within the grace period or is interrupted at its end.
    public func shutdown() async {
        state.recordShutdownRequest()
        state.beginShutdown()
        shutdownRequested.store(true, ordering: .releasing)
        let serviceGroup = group.withLock { $0 }
        await serviceGroup?.triggerGracefulShutdown()
    }
}

/// Listed last, so it is told first about a graceful shutdown: from then on `/readyz` answers 503.
struct ShutdownNotice: Service {
    let state: ServiceState

    func run() async throws {
        // Returns normally on a graceful shutdown (a signal); throws when the group is cancelled
        // because another service failed, which must not pass for a requested shutdown.
        do {
            try await gracefulShutdown()
            state.recordShutdownRequest()
        } catch {}
        state.beginShutdown()
    }
}

/// Listed after the HTTP server, so on graceful shutdown it is told before it: while the server
/// still answers (new `/v1` work with 503), the queued and running work gets the grace period to
/// finish. Then queued work is refused and running solves are interrupted, so each answers with
/// its best point (`interrupted`); a solve that does not stop within
/// ``ServiceConfiguration/interruptWait`` has its client answered 503 by the pool. Only then is the
/// server told to stop, with every request answered.
struct DrainService: Service {
    let pool: WorkerPool
    let state: ServiceState
    let gracePeriod: Double
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        state.beginShutdown()
        pool.stopAccepting()
        let start = ContinuousClock.now
        if await pool.waitUntilIdle(timeout: gracePeriod) {
            pool.stop()
            logger.notice("shutdown: work drained", metadata: ["seconds": .string(String(format: "%.3f", (ContinuousClock.now - start).seconds))])
            return
        }
        pool.stop()  // queued work is refused (503); running work goes on until interrupted
        let interrupted = state.interruptAll()
        logger.warning("shutdown: grace period over; interrupting running solves", metadata: [
            "grace_seconds": .stringConvertible(gracePeriod), "interrupted": .stringConvertible(interrupted),
        ])
        if !(await pool.waitUntilIdle(timeout: ServiceConfiguration.interruptWait)) {
            let abandoned = pool.abandonRunning()
            logger.error("shutdown: solves did not stop after their interrupt; their clients get 503", metadata: [
                "seconds": .stringConvertible(ServiceConfiguration.interruptWait), "abandoned": .stringConvertible(abandoned),
            ])
        }
    }
}

extension SolveService {
    /// Serves until SIGTERM or SIGINT (graceful shutdown), as `gpupool serve` does.
    public func runUntilTerminated(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await run(gracefulShutdownSignals: [.sigterm, .sigint], onListening: onListening)
    }
}
