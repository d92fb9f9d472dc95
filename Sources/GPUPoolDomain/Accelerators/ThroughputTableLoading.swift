import Foundation

/// The on-disk form of a throughput table (`Resources/accelerators.json`) and of override files.
struct ThroughputTableDocument: Codable {
    /// Human-readable statement that the figures are estimates.
    var label: String?
    /// Reference model (relative throughput 1.0).
    var reference: String?
    /// Full specs.
    var accelerators: [AcceleratorSpec]?
    /// Short form for overrides: model → relative throughput.
    var relativeThroughput: [String: Double]?
}

extension ThroughputTable {
    /// The shipped estimate table (`Resources/accelerators.json`, reference V100 = 1.0).
    ///
    /// - Throws: ``DomainError`` if the resource is missing or malformed (a packaging error).
    public static func builtIn() throws -> ThroughputTable {
        guard let url = Bundle.module.url(forResource: "accelerators", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "accelerators", withExtension: "json")
        else {
            throw DomainError(problems: [Problem(file: "accelerators.json", item: "resource", message: "missing from the GPUPoolDomain bundle")])
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DomainError(problems: [Problem(file: url.path, item: "resource", message: "cannot read: \(error.localizedDescription)")])
        }
        return try parse(data: data, fileName: "accelerators.json")
    }

    /// The shipped table, or — should the resource be unreadable — a table holding only the reference V100.
    /// Use ``builtIn()`` to see the error instead.
    public static let standard: ThroughputTable = (try? builtIn())
        ?? ThroughputTable(specs: [AcceleratorSpec(name: "V100", vendor: "NVIDIA", memoryGiB: 32, relativeThroughput: 1, basis: "reference")])

    /// The shipped table with these relative throughputs (model → speed vs V100) replacing or adding entries.
    public static func load(overrides: [String: Double]) throws -> ThroughputTable {
        let table = try builtIn()
        var problems: [Problem] = []
        for (model, value) in overrides.sorted(by: { $0.key < $1.key }) where !(value.isFinite && value > 0) {
            problems.append(Problem(item: "override \"\(model)\"", message: "relative throughput must be a finite number > 0, got \(value)"))
        }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return table.merging(relative: overrides)
    }

    /// The shipped table merged with an override file (JSON, or YAML by extension `.yaml`/`.yml`) holding
    /// `relativeThroughput: {MODEL: speed, …}` and/or full `accelerators: [spec, …]` entries.
    public static func load(overridesFile path: String) throws -> ThroughputTable {
        let text = try DocumentReader.readText(path: path)
        let format = DocumentFormat(path: path) ?? .json
        let document: ThroughputTableDocument = try DocumentReader.decode(
            ThroughputTableDocument.self, text: text, fileName: path, format: format)
        var table = try builtIn()
        var problems: [Problem] = []
        for spec in document.accelerators ?? [] {
            if spec.relativeThroughput.isFinite && spec.relativeThroughput > 0 {
                table.specs[AcceleratorName.canonical(spec.name)] = spec
            } else {
                problems.append(Problem(file: path, item: "accelerator \"\(spec.name)\"", message: "relativeThroughput must be a finite number > 0"))
            }
        }
        for (model, value) in (document.relativeThroughput ?? [:]).sorted(by: { $0.key < $1.key }) where !(value.isFinite && value > 0) {
            problems.append(Problem(file: path, item: "relativeThroughput \"\(model)\"", message: "must be a finite number > 0, got \(value)"))
        }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return table.merging(relative: document.relativeThroughput ?? [:])
    }

    /// Parses a table document (the format of `Resources/accelerators.json`).
    public static func parse(data: Data, fileName: String) throws -> ThroughputTable {
        let document: ThroughputTableDocument
        do { document = try JSONDecoder().decode(ThroughputTableDocument.self, from: data) } catch {
            throw DomainError(problems: [Problem(file: fileName, item: "throughput table", message: DecodingMessages.describe(error))])
        }
        guard let specs = document.accelerators, !specs.isEmpty else {
            throw DomainError(problems: [Problem(file: fileName, item: "throughput table", message: "no \"accelerators\" entries")])
        }
        return ThroughputTable(reference: document.reference ?? "V100", specs: specs)
    }

    /// The label shipped with the table, stating that its figures are estimates.
    public static var estimateLabel: String {
        guard let url = Bundle.module.url(forResource: "accelerators", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "accelerators", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            let document = try? JSONDecoder().decode(ThroughputTableDocument.self, from: data)
        else { return "ESTIMATE" }
        return document.label ?? "ESTIMATE"
    }
}
