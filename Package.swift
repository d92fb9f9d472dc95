// swift-tools-version: 6.1
import PackageDescription

/// GLPK is optional: `swift build --disable-default-traits` builds everything that
/// does not need exact solving (model API, formats, heuristics) without libglpk.
let glpk: TargetDependencyCondition? = .when(traits: ["GLPK"])
/// The HTTP service in the executables is optional too: `--traits GLPK` builds a `gpupool` without
/// `serve` in less than half the time (scripts/demo.sh does), as SwiftNIO and Hummingbird are not compiled.
let service: TargetDependencyCondition? = .when(traits: ["Service"])

let package = Package(
    name: "GPUPool",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "GPUPoolSupport", targets: ["GPUPoolSupport"]),
        .library(name: "GPUPoolModel", targets: ["GPUPoolModel"]),
        .library(name: "GPUPoolFormats", targets: ["GPUPoolFormats"]),
        .library(name: "GPUPoolHeuristics", targets: ["GPUPoolHeuristics"]),
        .library(name: "GPUPoolSolver", targets: ["GPUPoolSolver"]),
        .library(name: "GPUPoolValidation", targets: ["GPUPoolValidation"]),
        .library(name: "GPUPoolDomain", targets: ["GPUPoolDomain"]),
        .library(name: "GPUPoolPlanner", targets: ["GPUPoolPlanner"]),
        .library(name: "GPUPoolWorkloads", targets: ["GPUPoolWorkloads"]),
        .library(name: "GPUPoolTelemetry", targets: ["GPUPoolTelemetry"]),
        .library(name: "GPUPoolMonitoring", targets: ["GPUPoolMonitoring"]),
        .library(name: "GPUPoolHistory", targets: ["GPUPoolHistory"]),
        .library(name: "GPUPoolSimulator", targets: ["GPUPoolSimulator"]),
        .library(name: "GPUPoolService", targets: ["GPUPoolService"]),
        .library(name: "GPUPoolClusters", targets: ["GPUPoolClusters"]),
        .executable(name: "gpupool", targets: ["GPUPoolCLI"]),
        .executable(name: "gpupool-bench", targets: ["GPUPoolBench"]),
    ],
    traits: [
        .default(enabledTraits: ["GLPK", "Service"]),
        .trait(name: "GLPK", description: "Exact LP/MIP solving through GLPK (needs libglpk-dev)."),
        .trait(
            name: "Service",
            description: "`gpupool serve` and `gpupool-bench serve` in the executables (SwiftNIO, Hummingbird, OpenAPI runtime). The GPUPoolService library does not need it."
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // Small shared helpers with no dependencies: seeded RNG, ordered JSON writer (the one JSON
        // escaper), HTML escaping, text tables, percentiles, Duration conversions.
        // Thin C shim over glibc's spawn extensions (pipe2, chdir and closefrom for posix_spawn).
        .target(name: "CSpawn"),
        .target(name: "GPUPoolSupport", dependencies: ["CSpawn"]),
        // Model-building API and the lowered sparse form. No GLPK here.
        .target(name: "GPUPoolModel", dependencies: ["GPUPoolSupport"]),
        // MPS (free/fixed), CPLEX LP and JSON model formats.
        .target(name: "GPUPoolFormats", dependencies: ["GPUPoolModel", "GPUPoolSupport"]),
        // Thin C shim over GLPK: turns GLPK's abort() on misuse into an error code.
        .target(
            name: "CGLPK",
            // With the trait, a missing glpk.h stops the build with a message at compile time:
            // a shim compiled without it would otherwise stay in the build cache after GLPK is
            // installed, and the build would link but report that it has no GLPK.
            cSettings: [.define("CGLPK_REQUIRE_GLPK", .when(traits: ["GLPK"]))],
            linkerSettings: [.linkedLibrary("glpk", .when(traits: ["GLPK"]))]
        ),
        // Thin C shim over glibc's mallopt (the service's allocator setting for large bodies).
        .target(name: "CAllocator"),
        // Exact solving through GLPK.
        .target(name: "GPUPoolGLPK", dependencies: ["GPUPoolModel", "GPUPoolSupport", .target(name: "CGLPK", condition: glpk)]),
        // Pure-Swift heuristics (greedy + local search). No GLPK here.
        .target(
            name: "GPUPoolHeuristics",
            dependencies: ["GPUPoolModel", "GPUPoolSupport", .product(name: "HeapModule", package: "swift-collections")]
        ),
        // One entry point that picks a method: heuristics, GLPK, or "auto" (both).
        .target(
            name: "GPUPoolSolver",
            dependencies: [
                "GPUPoolModel", "GPUPoolHeuristics", "GPUPoolSupport",
                .target(name: "GPUPoolGLPK", condition: glpk),
            ]
        ),
        // Measures heuristics against known or exact optima (`gpupool validate`).
        .target(
            name: "GPUPoolValidation",
            dependencies: [
                "GPUPoolFormats", "GPUPoolHeuristics", "GPUPoolModel", "GPUPoolSolver", "GPUPoolSupport",
                "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolWorkloads",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The GPU pool: providers, nodes, jobs, catalogs, traces, throughput estimates, file formats.
        .target(
            name: "GPUPoolDomain",
            dependencies: ["GPUPoolSupport", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")]
        ),
        // Policies, allocation (LP) and placement (integer), plan checker, re-planning.
        .target(
            name: "GPUPoolPlanner",
            dependencies: ["GPUPoolDomain", "GPUPoolModel", "GPUPoolHeuristics", "GPUPoolSolver", "GPUPoolSupport"]
        ),
        // Seeded pool and workload generators (simple, feature-rich, Gavel-style) for tests,
        // benchmarks and research.
        .target(name: "GPUPoolWorkloads", dependencies: ["GPUPoolDomain", "GPUPoolPlanner", "GPUPoolSupport"]),
        // Telemetry parsers (nvidia-smi, DCGM). Foundation only.
        .target(name: "GPUPoolTelemetry", dependencies: ["GPUPoolSupport"]),
        // Health policy, failover re-planning and the monitoring loop (poll → ingest → re-plan).
        .target(
            name: "GPUPoolMonitoring",
            dependencies: [
                "GPUPoolTelemetry", "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolSupport",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Monitoring history in SQLite (GRDB): samples, events, availability, usage reports.
        .target(
            name: "GPUPoolHistory",
            dependencies: ["GPUPoolMonitoring", "GPUPoolTelemetry", "GPUPoolDomain", "GPUPoolPlanner", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Kubernetes and Slurm: GPU inventories in (node/pod and node/job listings → a pool), plans out
        // (manifests and sbatch scripts).
        .target(
            name: "GPUPoolClusters",
            dependencies: ["GPUPoolDomain", "GPUPoolPlanner", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")]
        ),
        // Trace-driven discrete-event simulation of a pool under a policy.
        .target(name: "GPUPoolSimulator", dependencies: ["GPUPoolDomain", "GPUPoolModel", "GPUPoolPlanner", "GPUPoolSupport"]),
        // The HTTP solve service (`gpupool serve`). The OpenAPI types and server stubs are generated
        // from openapi.yaml by scripts/generate-openapi.sh and committed (Generated/), so no build
        // compiles the generator; CI checks that they are current.
        .target(
            name: "GPUPoolService",
            dependencies: [
                "GPUPoolModel", "GPUPoolFormats", "GPUPoolSolver", "GPUPoolHeuristics", "GPUPoolValidation",
                "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolTelemetry", "GPUPoolMonitoring", "GPUPoolSupport",
                "GPUPoolServiceSpec", "CAllocator",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            exclude: ["openapi-generator-config.yaml", "Generated/.checksums"]
        ),
        // The service's openapi.yaml as a resource: served as is, and the generator's input.
        .target(name: "GPUPoolServiceSpec", resources: [.copy("openapi.yaml")]),
        // What both executables share: input errors with exit code 2, atomic writes, option groups.
        .target(
            name: "GPUPoolCommandLine",
            dependencies: [
                "GPUPoolSupport", "GPUPoolModel", "GPUPoolSolver", "GPUPoolPlanner", "GPUPoolDomain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "GPUPoolCLI",
            dependencies: [
                "GPUPoolCommandLine", "GPUPoolSupport",
                "GPUPoolModel", "GPUPoolFormats", "GPUPoolHeuristics", "GPUPoolSolver",
                "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolValidation", "GPUPoolTelemetry", "GPUPoolMonitoring",
                "GPUPoolHistory", "GPUPoolSimulator", "GPUPoolClusters",
                .target(name: "GPUPoolService", condition: service),
                .target(name: "GPUPoolGLPK", condition: glpk),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `gpupool-bench`: the benchmarks whose figures README quotes, kept out of the product.
        .executableTarget(
            name: "GPUPoolBench",
            dependencies: [
                "GPUPoolCommandLine", "GPUPoolSupport",
                "GPUPoolModel", "GPUPoolFormats", "GPUPoolHeuristics", "GPUPoolSolver", "GPUPoolValidation",
                "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolWorkloads", "GPUPoolTelemetry", "GPUPoolMonitoring",
                "GPUPoolHistory",
                .target(name: "GPUPoolService", condition: service),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Helpers every test target shares (fixture paths, GLPK availability, seeded scenarios).
        .target(
            name: "GPUPoolTestSupport",
            dependencies: ["GPUPoolSupport"],
            path: "Tests/GPUPoolTestSupport"
        ),
        .testTarget(name: "GPUPoolModelTests", dependencies: ["GPUPoolModel", "GPUPoolTestSupport"]),
        .testTarget(name: "GPUPoolFormatsTests", dependencies: ["GPUPoolFormats", "GPUPoolModel", "GPUPoolSupport", "GPUPoolTestSupport"]),
        .testTarget(
            name: "GPUPoolGLPKTests",
            dependencies: ["GPUPoolGLPK", "GPUPoolModel", "GPUPoolFormats", "GPUPoolSupport", "GPUPoolTestSupport"]
        ),
        .testTarget(name: "GPUPoolHeuristicsTests", dependencies: ["GPUPoolHeuristics", "GPUPoolModel", "GPUPoolSupport", "GPUPoolTestSupport"]),
        .testTarget(
            name: "GPUPoolSolverTests",
            dependencies: ["GPUPoolSolver", "GPUPoolModel", "GPUPoolFormats", "GPUPoolHeuristics", "GPUPoolTestSupport"]
        ),
        .testTarget(
            name: "GPUPoolValidationTests",
            dependencies: [
                "GPUPoolValidation", "GPUPoolHeuristics", "GPUPoolSolver", "GPUPoolModel", "GPUPoolFormats", "GPUPoolSupport",
                "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolTestSupport",
            ]
        ),
        .testTarget(name: "GPUPoolSupportTests", dependencies: ["GPUPoolSupport"]),
        .testTarget(name: "GPUPoolDomainTests", dependencies: ["GPUPoolDomain", "GPUPoolTestSupport"]),
        .testTarget(
            name: "GPUPoolPlannerTests",
            dependencies: [
                "GPUPoolPlanner", "GPUPoolDomain", "GPUPoolModel", "GPUPoolSolver", "GPUPoolHeuristics",
                "GPUPoolWorkloads", "GPUPoolTestSupport",
            ]
        ),
        .testTarget(name: "GPUPoolTelemetryTests", dependencies: ["GPUPoolTelemetry", "GPUPoolTestSupport"]),
        .testTarget(
            name: "GPUPoolMonitoringTests",
            dependencies: [
                "GPUPoolTelemetry", "GPUPoolMonitoring", "GPUPoolHistory", "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "GPUPoolSimulatorTests",
            dependencies: ["GPUPoolSimulator", "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolTestSupport"]
        ),
        .testTarget(
            name: "GPUPoolServiceTests",
            dependencies: [
                "GPUPoolService", "GPUPoolModel", "GPUPoolSupport", "GPUPoolTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "GPUPoolClustersTests",
            dependencies: [
                "GPUPoolClusters", "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolWorkloads", "GPUPoolSupport", "GPUPoolTestSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "GPUPoolCLITests", dependencies: ["GPUPoolCLI", "GPUPoolBench", "GPUPoolSupport", "GPUPoolTestSupport"]),
    ]
)
