import Foundation

extension Pool {
    /// Every problem in the pool: duplicate or empty ids, unknown providers, non-positive or huge GPU counts,
    /// NaN/negative prices, availability outside (0, 1], empty names. Lines come from ``origin`` when the pool
    /// was read from a file.
    public func problems() -> [Problem] {
        var collector = ProblemCollector(origin: origin)
        let suppressedProviderIDs = origin?.undecodedIDs ?? []
        var providerIDs = Set<String>()
        for (index, provider) in providers.enumerated() {
            let item = ProblemCollector.itemName("provider", id: provider.id, index: index)
            let path = "providers[\(index)]"
            if provider.id.trimmingCharacters(in: .whitespaces).isEmpty {
                collector.add(item, at: "\(path).id", "id is empty")
            } else if !providerIDs.insert(provider.id).inserted {
                collector.add(item, at: "\(path).id", "duplicate provider id")
            }
            if let availability = provider.availability {
                collector.checkNumber(availability, in: Double.leastNonzeroMagnitude...1, item: item, path: path,
                                      field: "availability", expectation: "in (0, 1]")
            }
        }
        var nodeIDs = Set<String>()
        for (index, node) in nodes.enumerated() {
            let item = ProblemCollector.itemName("node", id: node.id, index: index)
            let path = "nodes[\(index)]"
            if node.id.trimmingCharacters(in: .whitespaces).isEmpty {
                collector.add(item, at: "\(path).id", "id is empty")
            } else if !nodeIDs.insert(node.id).inserted {
                collector.add(item, at: "\(path).id", "duplicate node id")
            }
            if !providerIDs.contains(node.provider) && !suppressedProviderIDs.contains(node.provider) {
                let known = providers.isEmpty ? "no providers are defined" : "known: \(providerIDs.sorted().joined(separator: ", "))"
                collector.add(item, at: "\(path).provider", "unknown provider \"\(node.provider)\" (\(known))")
            }
            for (field, value) in [("accelerator", node.accelerator), ("vendor", node.vendor), ("region", node.region)]
            where value.trimmingCharacters(in: .whitespaces).isEmpty {
                collector.add(item, at: "\(path).\(field)", "\(field) is empty")
            }
            if node.gpuCount <= 0 || node.gpuCount > DomainLimits.maxGPUsPerNode {
                collector.add(item, at: "\(path).gpuCount",
                              "gpuCount must be between 1 and \(DomainLimits.maxGPUsPerNode), got \(node.gpuCount)")
            }
            if node.gpusInUse < 0 || node.gpusInUse > max(0, node.gpuCount) {
                collector.add(item, at: "\(path).gpusInUse",
                              "gpusInUse must be between 0 and gpuCount (\(node.gpuCount)), got \(node.gpusInUse)")
            }
            collector.checkNumber(node.gpuMemoryGiB, in: Double.leastNonzeroMagnitude...DomainLimits.maxGPUMemoryGiB,
                                  item: item, path: path, field: "gpuMemoryGiB",
                                  expectation: "a number > 0 and ≤ \(Int(DomainLimits.maxGPUMemoryGiB))")
            collector.checkNumber(node.pricePerGPUHour, in: 0...DomainLimits.maxPricePerGPUHour, item: item, path: path,
                                  field: "pricePerGPUHour", expectation: "a number ≥ 0")
            if let spot = node.spotPricePerGPUHour {
                collector.checkNumber(spot, in: 0...DomainLimits.maxPricePerGPUHour, item: item, path: path,
                                      field: "spotPricePerGPUHour", expectation: "a number ≥ 0")
            }
            if let availability = node.availability {
                collector.checkNumber(availability, in: Double.leastNonzeroMagnitude...1, item: item, path: path,
                                      field: "availability", expectation: "in (0, 1]")
            }
        }
        return collector.problems
    }

    /// Throws one ``DomainError`` listing every problem in the pool (see ``problems()``).
    public func validate() throws {
        let found = problems()
        if !found.isEmpty { throw DomainError(problems: found) }
    }
}
