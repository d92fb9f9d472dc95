// swift-tools-version: 6.1
import PackageDescription

/// GLPK is optional: `swift build --disable-default-traits` builds everything that
/// does not need exact solving (model API, formats, heuristics) without libglpk.
let glpk: TargetDependencyCondition? = .when(traits: ["GLPK"])

let package = Package(
    name: "GPUPool",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "GPUPoolModel", targets: ["GPUPoolModel"]),
        .library(name: "GPUPoolFormats", targets: ["GPUPoolFormats"]),
        .library(name: "GPUPoolHeuristics", targets: ["GPUPoolHeuristics"]),
        .library(name: "GPUPoolSolver", targets: ["GPUPoolSolver"]),
        .library(name: "GPUPoolValidation", targets: ["GPUPoolValidation"]),
        .library(name: "GPUPoolDomain", targets: ["GPUPoolDomain"]),
        .library(name: "GPUPoolPlanner", targets: ["GPUPoolPlanner"]),
        .library(name: "GPUPoolMonitoring", targets: ["GPUPoolMonitoring"]),
        .library(name: "GPUPoolSimulator", targets: ["GPUPoolSimulator"]),
        .library(name: "GPUPoolService", targets: ["GPUPoolService"]),
        .executable(name: "gpupool", targets: ["GPUPoolCLI"]),
    ],
    traits: [
        .default(enabledTraits: ["GLPK"]),
        .trait(name: "GLPK", description: "Exact LP/MIP solving through GLPK (needs libglpk-dev)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
    ],
    targets: [
        // Model-building API and the lowered sparse form. No GLPK here.
        .target(name: "GPUPoolModel"),
        // MPS (free/fixed), CPLEX LP and JSON model formats.
        .target(name: "GPUPoolFormats", dependencies: ["GPUPoolModel"]),
        // Thin C shim over GLPK: turns GLPK's abort() on misuse into an error code.
        .target(
            name: "CGLPK",
            linkerSettings: [.linkedLibrary("glpk", .when(traits: ["GLPK"]))]
        ),
        // Exact solving through GLPK.
        .target(name: "GPUPoolGLPK", dependencies: ["GPUPoolModel", .target(name: "CGLPK", condition: glpk)]),
        // Pure-Swift heuristics (greedy + local search). No GLPK here.
        .target(
            name: "GPUPoolHeuristics",
            dependencies: ["GPUPoolModel", .product(name: "Collections", package: "swift-collections")]
        ),
        // One entry point that picks a method: heuristics, GLPK, or "auto" (both).
        .target(
            name: "GPUPoolSolver",
            dependencies: [
                "GPUPoolModel", "GPUPoolHeuristics",
                .target(name: "GPUPoolGLPK", condition: glpk),
            ]
        ),
        // Measures heuristics against known or exact optima (`gpupool validate`).
        .target(name: "GPUPoolValidation", dependencies: ["GPUPoolHeuristics", "GPUPoolModel", "GPUPoolSolver"]),
        // The GPU pool: providers, nodes, jobs, catalogs, traces, throughput estimates, file formats.
        .target(
            name: "GPUPoolDomain",
            dependencies: [.product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")]
        ),
        // Policies, allocation (LP) and placement (integer), plan checker, re-planning.
        .target(
            name: "GPUPoolPlanner",
            dependencies: ["GPUPoolDomain", "GPUPoolModel", "GPUPoolHeuristics", "GPUPoolSolver"]
        ),
        // Telemetry parsers, health policy, failover re-planning, SQLite history.
        .target(
            name: "GPUPoolMonitoring",
            dependencies: [
                "GPUPoolDomain", "GPUPoolPlanner",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Trace-driven discrete-event simulation of a pool under a policy.
        .target(name: "GPUPoolSimulator", dependencies: ["GPUPoolDomain", "GPUPoolModel", "GPUPoolPlanner", "GPUPoolMonitoring"]),
        // The HTTP solve service (`gpupool serve`), generated from openapi.yaml.
        .target(
            name: "GPUPoolService",
            dependencies: [
                "GPUPoolModel", "GPUPoolFormats", "GPUPoolSolver", "GPUPoolHeuristics", "GPUPoolValidation",
                "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolMonitoring",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .executableTarget(
            name: "GPUPoolCLI",
            dependencies: [
                "GPUPoolModel", "GPUPoolFormats", "GPUPoolHeuristics", "GPUPoolSolver",
                "GPUPoolDomain", "GPUPoolPlanner", "GPUPoolValidation", "GPUPoolMonitoring",
                "GPUPoolSimulator", "GPUPoolService",
                .target(name: "GPUPoolGLPK", condition: glpk),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GPUPoolModelTests", dependencies: ["GPUPoolModel"]),
        .testTarget(name: "GPUPoolFormatsTests", dependencies: ["GPUPoolFormats", "GPUPoolModel"]),
        .testTarget(
            name: "GPUPoolGLPKTests",
            dependencies: ["GPUPoolGLPK", "GPUPoolModel", "GPUPoolFormats"]
        ),
        .testTarget(name: "GPUPoolHeuristicsTests", dependencies: ["GPUPoolHeuristics", "GPUPoolModel"]),
        .testTarget(
            name: "GPUPoolSolverTests",
            dependencies: ["GPUPoolSolver", "GPUPoolModel", "GPUPoolFormats", "GPUPoolHeuristics"]
        ),
        .testTarget(
            name: "GPUPoolValidationTests",
            dependencies: ["GPUPoolValidation", "GPUPoolHeuristics", "GPUPoolSolver", "GPUPoolModel"]
        ),
        .testTarget(name: "GPUPoolDomainTests", dependencies: ["GPUPoolDomain"]),
        .testTarget(
            name: "GPUPoolPlannerTests",
            dependencies: ["GPUPoolPlanner", "GPUPoolDomain", "GPUPoolModel", "GPUPoolSolver", "GPUPoolHeuristics"]
        ),
        .testTarget(
            name: "GPUPoolMonitoringTests",
            dependencies: ["GPUPoolMonitoring", "GPUPoolDomain", "GPUPoolPlanner"]
        ),
        .testTarget(name: "GPUPoolSimulatorTests", dependencies: ["GPUPoolSimulator", "GPUPoolDomain", "GPUPoolPlanner"]),
        .testTarget(
            name: "GPUPoolServiceTests",
            dependencies: [
                "GPUPoolService", "GPUPoolModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "GPUPoolCLITests", dependencies: ["GPUPoolCLI"]),
    ]
)
