import Foundation

/// The service's OpenAPI document: the bundled `openapi.yaml`, the very file from which
/// scripts/generate-openapi.sh generates the service's types and handlers, so the document served
/// at `GET /openapi.yaml` and the code cannot drift.
///
/// A module of its own because a resource bundle's accessor imports Foundation implicitly, which
/// cannot sit beside the generated code's access-level imports in one module.
public enum OpenAPISpec {
    /// The YAML text of `openapi.yaml`, read once from this module's resources.
    public static let yaml: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // The resource is part of the target: its absence is a packaging fault, not bad input.
            preconditionFailure("openapi.yaml is missing from GPUPoolServiceSpec's resources")
        }
        return text
    }()
}
