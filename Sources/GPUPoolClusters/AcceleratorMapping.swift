import Foundation
import GPUPoolDomain
import Yams

/// How cluster product names and GRES types become GPUPool accelerator models, with the user's overrides.
///
/// A mapping file (YAML or JSON) may hold four maps, all optional:
///
/// ```yaml
/// products:            # product label or GRES type, as the cluster writes it → accelerator
///   NVIDIA-A16-4Q: A16
///   m60: M60
/// nodes:               # node name → accelerator (wins over everything; for typeless GRES like gpu:4)
///   gpu-07: A100-80GB
/// memoryGiB:           # accelerator → memory per GPU, when the cluster does not say
///   M60: 8
/// prices:              # accelerator → USD per GPU-hour for the imported pool
///   A100-80GB: 1.10
/// ```
///
/// Without an entry, ``resolve(product:node:)`` applies the built-in rules documented in Docs/Clusters.md:
/// vendor words (`NVIDIA`, `Tesla`, `AMD`, `Instinct`, `Radeon`) are dropped, the longest leading run of
/// words that ``AcceleratorName`` knows gives the model (`NVIDIA-A100-SXM4-80GB` → `A100-80GB`,
/// `NVIDIA-H100-80GB-HBM3` → `H100`, `AMD_Instinct_MI300X_OAM` → `MI300X`), and MIG slices keep their
/// profile (`NVIDIA-A100-SXM4-40GB-MIG-1g.5gb` → `A100-MIG-1g.5gb`, a model of its own).
public struct AcceleratorMapping: Sendable, Hashable {
    public var products: [String: String]
    public var nodes: [String: String]
    public var memoryGiB: [String: Double]
    public var prices: [String: Double]

    public init(products: [String: String] = [:], nodes: [String: String] = [:], memoryGiB: [String: Double] = [:],
                prices: [String: Double] = [:]) {
        self.products = products
        self.nodes = nodes
        self.memoryGiB = Dictionary(memoryGiB.map { (AcceleratorName.canonical($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.prices = Dictionary(prices.map { (AcceleratorName.canonical($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// A resolved accelerator: the model and whether GPUPool's tables know it.
    public struct Resolution: Sendable, Hashable {
        public var accelerator: String
        public var known: Bool
        /// Where the answer came from: `node mapping`, `product mapping`, `built-in`, `unknown`.
        public var source: String

        public init(accelerator: String, known: Bool, source: String) {
            self.accelerator = accelerator
            self.known = known
            self.source = source
        }
    }

    /// The accelerator of `product` on node `node`: node mapping, then product mapping, then the built-in rules.
    public func resolve(product: String, node: String) -> Resolution {
        if let model = nodes[node] {
            let canonical = AcceleratorName.canonical(model)
            return Resolution(accelerator: canonical, known: true, source: "node mapping")
        }
        if let model = products[product] ?? products.first(where: { $0.key.caseInsensitiveCompare(product) == .orderedSame })?.value {
            return Resolution(accelerator: AcceleratorName.canonical(model), known: true, source: "product mapping")
        }
        return Self.builtIn(product)
    }

    /// Vendor words that prefix product names and say nothing about the model.
    private static let vendorWords: Set<String> = ["NVIDIA", "TESLA", "AMD", "INSTINCT", "RADEON"]

    /// The built-in rules (see the type's documentation).
    public static func builtIn(_ product: String) -> Resolution {
        let trimmed = product.trimmingCharacters(in: .whitespaces)
        // MIG slices (single strategy): `<GPU>-MIG-<profile>`.
        if let range = trimmed.range(of: "-MIG-", options: .caseInsensitive) {
            let base = builtIn(String(trimmed[..<range.lowerBound]))
            let family = base.accelerator.hasSuffix("-80GB") ? String(base.accelerator.dropLast(5)) : base.accelerator
            return Resolution(accelerator: "\(family)-MIG-\(trimmed[range.upperBound...])", known: false, source: "unknown")
        }
        var words = trimmed.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " }).map(String.init)
        while let first = words.first, vendorWords.contains(first.uppercased()), words.count > 1 { words.removeFirst() }
        for count in stride(from: words.count, through: 1, by: -1) {
            let candidate = words[0..<count].joined(separator: "-")
            if AcceleratorName.isKnown(candidate) {
                return Resolution(accelerator: AcceleratorName.canonical(candidate), known: true, source: "built-in")
            }
        }
        return Resolution(accelerator: words.joined(separator: "-"), known: false, source: "unknown")
    }

    /// Memory per GPU for `accelerator` when the cluster does not report it: the mapping, then the
    /// shipped accelerator table.
    public func memory(of accelerator: String) -> Double? {
        memoryGiB[accelerator]
            ?? memoryGiB.first { $0.key.caseInsensitiveCompare(accelerator) == .orderedSame }?.value
            ?? ThroughputTable.standard.specs[accelerator]?.memoryGiB
    }

    /// Reads a mapping file (YAML or JSON by extension). Unknown top-level keys and bad values are errors
    /// naming the file.
    public static func read(path: String) throws -> AcceleratorMapping {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DomainError(problems: [Problem(file: path, item: "mapping file", message: "cannot read: \(error.localizedDescription)")])
        }
        return try parse(text: text, fileName: path)
    }

    /// Parses mapping text (YAML, of which JSON is a subset).
    public static func parse(text: String, fileName: String) throws -> AcceleratorMapping {
        struct Document: Decodable {
            var products: [String: String]?
            var nodes: [String: String]?
            var memoryGiB: [String: Double]?
            var prices: [String: Double]?
        }
        let known = ["products", "nodes", "memoryGiB", "prices"]
        let document: Document
        do {
            if let top = try Yams.load(yaml: text) as? [String: Any] {
                if let unknown = top.keys.sorted().first(where: { !known.contains($0) }) {
                    throw DomainError(problems: [Problem(file: fileName, item: "key \"\(unknown)\"", message: "unknown (known: \(known.joined(separator: ", ")))")])
                }
            }
            document = try YAMLDecoder().decode(Document.self, from: text)
        } catch let error as DomainError {
            throw error
        } catch {
            throw DomainError(problems: [Problem(file: fileName, item: "mapping file", message: "\(error)")])
        }
        var problems: [Problem] = []
        for (model, value) in document.memoryGiB ?? [:] where !(value > 0 && value.isFinite) {
            problems.append(Problem(file: fileName, item: "memoryGiB \"\(model)\"", message: "must be a number > 0, got \(value)"))
        }
        for (model, value) in document.prices ?? [:] where !(value >= 0 && value.isFinite) {
            problems.append(Problem(file: fileName, item: "prices \"\(model)\"", message: "must be a number ≥ 0, got \(value)"))
        }
        for (key, value) in (document.products ?? [:]).merging(document.nodes ?? [:], uniquingKeysWith: { a, _ in a })
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(Problem(file: fileName, item: "\"\(key)\"", message: "maps to an empty accelerator name"))
        }
        if !problems.isEmpty { throw DomainError(problems: problems.sorted { $0.item < $1.item }) }
        return AcceleratorMapping(products: document.products ?? [:], nodes: document.nodes ?? [:],
                                  memoryGiB: document.memoryGiB ?? [:], prices: document.prices ?? [:])
    }
}
