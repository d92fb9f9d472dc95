// swift-tools-version: 6.1
// Builds apple/swift-openapi-generator's command-line tool for scripts/generate-openapi.sh. Kept
// apart from the main package so that no consumer of GPUPool compiles the generator.
import PackageDescription

let package = Package(
    name: "OpenAPIGeneratorTool",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.0.0"),
    ],
    targets: []
)
