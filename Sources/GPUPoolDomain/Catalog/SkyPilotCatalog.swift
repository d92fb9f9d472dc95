import Foundation

/// A SkyPilot `vms.csv` catalog (as in `skypilot-org/skypilot-catalog`) imported into GPU offers.
///
/// Handles the quirks of the real files: CRLF line endings, trailing empty fields, column order that
/// differs per cloud (columns are read by header name), float counts (`8.0`), `GpuInfo` as Python-dict
/// text, marketplace catalogs whose `SizeInMiB` is the total over all GPUs, Lambda's
/// `TotalGpuMemoryInMiB` that equals the per-GPU size, CPU-only rows (skipped and counted) and
/// quoted free-text regions. Malformed rows are skipped and reported in ``warnings`` with their line.
public struct SkyPilotCatalog: Sendable {
    /// Provider id the offers belong to.
    public var providerID: String
    /// Kind of that provider.
    public var kind: ProviderKind
    /// File name used in warnings.
    public var fileName: String
    /// One offer per GPU row, in file order.
    public var offers: [SkyPilotOffer]
    /// Rows skipped as malformed, each with file, line and reason.
    public var warnings: [Problem]
    /// Rows without an accelerator (CPU-only instances), skipped.
    public var cpuOnlyRows: Int

    /// The provider record for this catalog.
    public var provider: Provider { Provider(id: providerID, kind: kind, name: providerID) }

    /// How to read `GpuInfo`'s `SizeInMiB`.
    public enum MemoryConvention: Sendable, Hashable {
        /// `SizeInMiB` is memory per GPU (SkyPilot's intent; Lambda, FluidStack).
        case perGPU
        /// `SizeInMiB` is memory summed over the instance's GPUs (Vast.ai's catalog).
        case totalAcrossGPUs
        /// Per row: pick whichever reading (size or size / count) is closer to the model's memory in the
        /// throughput table; for models the table lacks, total for catalogs named like "vast", else per GPU.
        case automatic
    }

    static let requiredColumns = ["InstanceType", "AcceleratorName", "AcceleratorCount", "Price", "Region"]

    /// Reads and parses a catalog file.
    public static func read(path: String, providerID: String, kind: ProviderKind = .cloud,
                            memory: MemoryConvention = .automatic, table: ThroughputTable = .standard) throws -> SkyPilotCatalog
    {
        try parse(text: DocumentReader.readText(path: path), fileName: path, providerID: providerID, kind: kind,
                  memory: memory, table: table)
    }

    /// Parses catalog text.
    ///
    /// - Throws: ``DomainError`` when the file cannot be used at all (no header, a required column missing,
    ///   an unterminated quote). Bad rows do not throw: they are skipped and listed in ``warnings``.
    public static func parse(text: String, fileName: String, providerID: String, kind: ProviderKind = .cloud,
                             memory: MemoryConvention = .automatic, table: ThroughputTable = .standard) throws -> SkyPilotCatalog
    {
        let records: [CSVRecord]
        do { records = try CSVParser.parse(text) } catch {
            throw DomainError(problems: [Problem(file: fileName, line: error.line, item: "CSV", message: error.message)])
        }
        guard let header = records.first else {
            throw DomainError(problems: [Problem(file: fileName, line: 1, item: "header", message: "file has no header row")])
        }
        var column: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, column[trimmed] == nil { column[trimmed] = index }
        }
        let missing = requiredColumns.filter { column[$0] == nil }
        if !missing.isEmpty {
            throw DomainError(problems: missing.map {
                Problem(file: fileName, line: header.line, item: "header", message: "required column \"\($0)\" is missing")
            })
        }
        let isMarketplace = fileName.lowercased().contains("vast") || providerID.lowercased().contains("vast")
        var catalog = SkyPilotCatalog(providerID: providerID, kind: kind, fileName: fileName, offers: [], warnings: [], cpuOnlyRows: 0)
        for record in records.dropFirst() {
            let row = Row(record: record, column: column, header: header.fields, fileName: fileName)
            switch row.offer(providerID: providerID, memory: memory, isMarketplace: isMarketplace, table: table) {
            case .offer(let offer): catalog.offers.append(offer)
            case .cpuOnly: catalog.cpuOnlyRows += 1
            case .malformed(let problem): catalog.warnings.append(problem)
            }
        }
        return catalog
    }

    /// How many nodes to create for each offer.
    public enum NodesPerOffer: Sendable {
        /// The same number for every offer.
        case each(Int)
        /// A number chosen per offer (0 skips it), e.g. one node per instance type in one region.
        case select(@Sendable (SkyPilotOffer) -> Int)
    }

    /// Nodes for these offers: `nodesPerOffer` copies of each, with ids
    /// `<provider>-<instance type>-<region>-<n>` (sanitised, made unique), price per GPU-hour = price / count.
    ///
    /// - Parameters:
    ///   - availability: P_i for every node; `nil` leaves it to the provider/kind default.
    ///   - maxNodes: stop after this many nodes (protects against a selector returning huge counts).
    public static func makeNodes(_ offers: [SkyPilotOffer], nodesPerOffer: NodesPerOffer, availability: Double? = nil,
                                 health: HealthState = .healthy, maxNodes: Int = 100_000) -> [Node]
    {
        var nodes: [Node] = []
        var usedIDs = Set<String>()
        for offer in offers {
            let count: Int
            switch nodesPerOffer {
            case .each(let n): count = n
            case .select(let choose): count = choose(offer)
            }
            guard count > 0 else { continue }
            let base = sanitisedID("\(offer.providerID)-\(offer.instanceType)-\(offer.region)")
            for _ in 0..<count {
                guard nodes.count < maxNodes else { return nodes }
                var serial = 1
                var id = "\(base)-\(serial)"
                while usedIDs.contains(id) {
                    serial += 1
                    id = "\(base)-\(serial)"
                }
                usedIDs.insert(id)
                nodes.append(Node(
                    id: id, provider: offer.providerID, accelerator: offer.accelerator, vendor: offer.vendor,
                    gpuCount: offer.gpuCount, gpuMemoryGiB: offer.gpuMemoryGiB, interconnect: offer.interconnect,
                    region: offer.region, zone: offer.zone, pricePerGPUHour: offer.pricePerGPUHour,
                    spotPricePerGPUHour: offer.spotPricePerGPUHour, availability: availability, health: health))
            }
        }
        return nodes
    }

    /// Nodes for this catalog's offers (see ``makeNodes(_:nodesPerOffer:availability:health:maxNodes:)``).
    public func makeNodes(nodesPerOffer: NodesPerOffer, availability: Double? = nil, health: HealthState = .healthy) -> [Node] {
        Self.makeNodes(offers, nodesPerOffer: nodesPerOffer, availability: availability, health: health)
    }

    /// The interconnect heuristic: NVLink when the instance name says SXM/NVLink/NVL, or for 8-GPU instances of
    /// data-center parts normally sold as SXM/OAM baseboards (V100, A100, H100, H200, GH200, B200, MI300X, MI250X)
    /// unless the name says PCIe; no interconnect for single-GPU instances; PCIe otherwise.
    public static func inferInterconnect(instanceType: String, accelerator: String, gpuCount: Int) -> Interconnect {
        if gpuCount <= 1 { return .none }
        let name = AcceleratorName.normalise(instanceType)
        if name.contains("PCIE") { return .pcie }
        if name.contains("SXM") || name.contains("NVLINK") || name.contains("NVL") { return .nvlink }
        let baseboardParts: Set<String> = ["V100", "A100", "A100-80GB", "H100", "H200", "GH200", "B200", "MI300X", "MI250X"]
        if gpuCount >= 8, baseboardParts.contains(accelerator) { return .nvlink }
        return .pcie
    }

    static func sanitisedID(_ text: String) -> String {
        var result = ""
        var lastWasDash = false
        for scalar in text.unicodeScalars {
            let keep = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_" || scalar == "."
            if keep {
                result.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                result.append("-")
                lastWasDash = true
            }
        }
        return result.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
