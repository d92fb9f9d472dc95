import Foundation
import GPUPoolDomain

/// Reads Kubernetes node and pod listings (`kubectl get nodes -o json`, `kubectl get pods -A -o json`)
/// into a ``ClusterInventory``.
///
/// - GPUs: `status.allocatable` of `nvidia.com/gpu` or `amd.com/gpu` (capacity when allocatable is absent).
///   MIG devices of the mixed strategy (`nvidia.com/mig-…`) are not whole GPUs and are left out, with a warning.
/// - Model: GPU Feature Discovery's `nvidia.com/gpu.product`, or AMD's `amd.com/gpu.product-name`, mapped by
///   ``AcceleratorMapping``; memory from `nvidia.com/gpu.memory` (MiB) or `amd.com/gpu.vram` (`192G`).
/// - Place: `topology.kubernetes.io/region` and `/zone`.
/// - Health: Ready condition not `True` → failed; `spec.unschedulable` → cordoned. Taints do not change
///   health: emitted manifests tolerate them.
/// - In use: GPUs requested by pods bound to the node (`spec.nodeName`) that have not ended.
public enum KubernetesInventory {
    /// GPU resources of whole devices, in the order they are looked for.
    public static let gpuResources = ["nvidia.com/gpu", "amd.com/gpu"]

    /// Reads a node listing and, if given, a pod listing.
    /// - Throws: ``DomainError`` listing every problem (`FILE:LINE: node "x": message`).
    public static func read(nodesFile: String, podsFile: String? = nil, mapping: AcceleratorMapping = AcceleratorMapping(),
                            options: InventoryOptions = InventoryOptions()) throws -> ClusterInventory {
        let nodesText = try readText(nodesFile)
        let podsText = try podsFile.map(readText)
        return try parse(nodes: nodesText, nodesFile: nodesFile, pods: podsText, podsFile: podsFile ?? "pods.json",
                         mapping: mapping, options: options)
    }

    /// Parses listing texts (`fileName`s are used in messages only).
    public static func parse(nodes nodesText: String, nodesFile: String, pods podsText: String? = nil, podsFile: String = "pods.json",
                             mapping: AcceleratorMapping = AcceleratorMapping(),
                             options: InventoryOptions = InventoryOptions()) throws -> ClusterInventory {
        let nodeDoc = try ListingDocument<KubernetesNodeObject>(text: nodesText, file: nodesFile, kind: "Node")
        var problems: [Problem] = []
        var warnings: [Problem] = []
        var nodes: [ClusterNode] = []
        var withoutGPUs: [String] = []
        var seen = Set<String>()
        for (index, object) in nodeDoc.items.enumerated() {
            let at = nodeDoc.problem(index)
            guard let name = object.metadata?.name, !name.isEmpty else {
                problems.append(at("node #\(index + 1)", "has no metadata.name"))
                continue
            }
            let item = "node \"\(name)\""
            guard seen.insert(name).inserted else { problems.append(at(item, "listed twice")); continue }
            let labels = object.metadata?.labels ?? [:]
            let allocatable = object.status?.allocatable ?? object.status?.capacity ?? [:]
            let migResources = allocatable.filter { $0.key.hasPrefix("nvidia.com/mig-") && $0.value != "0" }.keys.sorted()
            var found: (resource: String, count: Int)?
            for resource in gpuResources {
                guard let raw = allocatable[resource] else { continue }
                guard let count = Int(raw), count >= 0 else {
                    problems.append(at(item, "\(resource) allocatable \"\(raw)\" is not a whole number of GPUs"))
                    continue
                }
                if count > 0, found != nil {
                    problems.append(at(item, "has both \(found!.resource) and \(resource) GPUs; split it with a mapping or import one vendor"))
                }
                if count > 0, found == nil { found = (resource, count) }
            }
            guard let (resource, count) = found else {
                if !migResources.isEmpty {
                    warnings.append(at(item, "has only MIG devices (\(migResources.joined(separator: ", "))) of the mixed strategy; MIG slices are not whole GPUs and are not imported"))
                } else {
                    withoutGPUs.append(name)
                }
                continue
            }
            if !migResources.isEmpty {
                warnings.append(at(item, "also offers MIG devices (\(migResources.joined(separator: ", "))); only the \(count) whole \(resource) are imported"))
            }
            let isAMD = resource == "amd.com/gpu"
            let productLabel = isAMD ? "amd.com/gpu.product-name" : "nvidia.com/gpu.product"
            let productValue = labels[productLabel]
            let product = productValue ?? ""
            if mapping.nodes[name] == nil, product.isEmpty {
                problems.append(at(item, "has \(count) \(resource) but no \(productLabel) label (is GPU Feature Discovery / the node labeller running?); name its model in a mapping file (nodes: {\(name): MODEL})"))
                continue
            }
            let resolution = mapping.resolve(product: product, node: name)
            if !resolution.known {
                warnings.append(at(item, "unknown accelerator \"\(product)\", kept as \"\(resolution.accelerator)\" (give jobs throughputs for it, or map it in a mapping file)"))
            }
            var memory: Double?
            if isAMD, let vram = labels["amd.com/gpu.vram"] { memory = parseSize(vram) }
            if !isAMD, let mib = labels["nvidia.com/gpu.memory"], let value = Double(mib), value > 0 {
                memory = (value / 1024 * 100).rounded() / 100
            }
            memory = memory ?? mapping.memory(of: resolution.accelerator)
            guard let memoryGiB = memory, memoryGiB > 0 else {
                problems.append(at(item, "memory per GPU of \"\(resolution.accelerator)\" is unknown (no memory label); add it to a mapping file (memoryGiB: {\(resolution.accelerator): N})"))
                continue
            }
            let ready = object.status?.conditions?.first { $0.type == "Ready" }
            let health: HealthState
            if let ready, ready.status != "True" {
                health = .failed
                warnings.append(at(item, "is not Ready (\(ready.status ?? "?")\(ready.reason.map { ", \($0)" } ?? "")); imported as failed"))
            } else if ready == nil {
                health = .failed
                warnings.append(at(item, "has no Ready condition; imported as failed"))
            } else if object.spec?.unschedulable == true {
                health = .cordoned
            } else {
                health = .healthy
            }
            let upper = product.uppercased()
            // GFD names SXM parts `…-SXM4-…` (A100) or by memory (`NVIDIA-H100-80GB-HBM3`); PCIe parts say `PCIe`.
            let linked = ["SXM", "OAM", "HGX", "HBM3"].contains { upper.contains($0) } && !upper.contains("PCIE")
            let interconnect: Interconnect = count == 1 ? .none : (linked ? .nvlink : .pcie)
            let taints = (object.spec?.taints ?? []).compactMap { taint -> NodeTaint? in
                guard let key = taint.key, let effect = taint.effect else { return nil }
                return NodeTaint(key: key, value: taint.value, effect: effect)
            }
            nodes.append(ClusterNode(
                name: name, hostname: labels["kubernetes.io/hostname"] ?? name, product: product,
                accelerator: resolution.accelerator, vendor: isAMD ? "AMD" : "NVIDIA", gpuCount: count,
                gpuMemoryGiB: memoryGiB, interconnect: interconnect,
                region: labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? options.defaultRegion,
                zone: labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"],
                health: health, resourceName: resource, taints: taints,
                features: labels.keys.filter { $0.hasPrefix("nvidia.com/gpu.") || $0.hasPrefix("amd.com/gpu.") }.sorted()))
        }
        if !withoutGPUs.isEmpty {
            let list = withoutGPUs.prefix(5).joined(separator: ", ") + (withoutGPUs.count > 5 ? ", …" : "")
            warnings.append(Problem(file: nodesFile, item: "\(withoutGPUs.count) node(s)", message: "without GPUs, not imported (\(list))"))
        }
        if let podsText {
            try applyPods(podsText, file: podsFile, to: &nodes, problems: &problems, warnings: &warnings)
        }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return ClusterInventory(kind: .kubernetes, nodes: nodes, warnings: warnings)
    }

    /// Adds the GPUs of pods bound to each node and not ended to its `gpusInUse`.
    private static func applyPods(_ text: String, file: String, to nodes: inout [ClusterNode], problems: inout [Problem],
                                  warnings: inout [Problem]) throws {
        let doc = try ListingDocument<KubernetesPodObject>(text: text, file: file, kind: "Pod")
        let position = Dictionary(nodes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, pod) in doc.items.enumerated() {
            let at = doc.problem(index)
            let name = "\(pod.metadata?.namespace ?? "default")/\(pod.metadata?.name ?? "#\(index + 1)")"
            let item = "pod \"\(name)\""
            let phase = pod.status?.phase ?? "Unknown"
            guard phase != "Succeeded", phase != "Failed" else { continue }
            guard let nodeName = pod.spec?.nodeName else { continue }  // not bound: holds nothing yet
            guard let n = position[nodeName] else { continue }  // a node without GPUs (or not listed)
            guard let resource = nodes[n].resourceName else { continue }
            func gpus(_ containers: [KubernetesPodObject.Container]?) -> [Int]? {
                var result: [Int] = []
                for container in containers ?? [] {
                    // Extended resources must have requests == limits; either one states the count.
                    guard let raw = container.resources?.limits?[resource] ?? container.resources?.requests?[resource] else {
                        result.append(0)
                        continue
                    }
                    guard let value = Int(raw), value >= 0 else {
                        problems.append(at(item, "container \"\(container.name ?? "?")\": \(resource) \"\(raw)\" is not a whole number of GPUs"))
                        return nil
                    }
                    result.append(value)
                }
                return result
            }
            guard let main = gpus(pod.spec?.containers), let initial = gpus(pod.spec?.initContainers) else { continue }
            // Kubernetes' effective request: the larger of the containers' sum and the largest init container.
            let held = max(main.reduce(0, +), initial.max() ?? 0)
            guard held > 0 else { continue }
            nodes[n].gpusInUse += held
        }
        for n in nodes.indices where nodes[n].gpusInUse > nodes[n].gpuCount {
            warnings.append(Problem(file: file, item: "node \"\(nodes[n].name)\"",
                                    message: "pods hold \(nodes[n].gpusInUse) GPUs, more than the \(nodes[n].gpuCount) allocatable; counted as all in use"))
            nodes[n].gpusInUse = nodes[n].gpuCount
        }
    }

    /// `192G`, `192Gi`, `196608M`, `80` → GiB.
    static func parseSize(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits), value > 0 else { return nil }
        switch trimmed.dropFirst(digits.count).uppercased() {
        case "", "G", "GI", "GB", "GIB": return value
        case "M", "MI", "MB", "MIB": return (value / 1024 * 100).rounded() / 100
        case "T", "TI", "TB", "TIB": return value * 1024
        default: return nil
        }
    }

    static func readText(_ path: String) throws -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "cannot read: \(error.localizedDescription)")])
        }
    }
}

/// A Kubernetes listing (`kind: List` with `items`) or a single object, decoded with line numbers.
struct ListingDocument<Item: Decodable> {
    var items: [Item]
    var file: String
    var lines: [String: Int]
    /// Whether the document was a list (paths `items[i]`) or one object (path ``).
    var isList: Bool

    init(text: String, file: String, kind: String) throws {
        self.file = file
        do { lines = try JSONLineMap.scan(text) } catch {
            throw DomainError(problems: [Problem(file: file, line: error.line, item: "JSON", message: error.message)])
        }
        let data = Data(text.utf8)
        do {
            let list = try JSONDecoder().decode(KubernetesList<Item>.self, from: data)
            if let items = list.items {
                self.items = items
                isList = true
                return
            }
            // One object (`kubectl get node X -o json`).
            self.items = [try JSONDecoder().decode(Item.self, from: data)]
            isList = false
        } catch {
            throw DomainError(problems: [Problem(file: file, item: "\(kind) listing", message: "not a Kubernetes \(kind) list or object: \(Self.describe(error))")])
        }
    }

    /// A problem maker for item `index`, pointing at its line.
    func problem(_ index: Int) -> (String, String) -> Problem {
        let line = lines[isList ? "items[\(index)]" : ""] ?? lines[""]
        return { item, message in Problem(file: file, line: line, item: item, message: message) }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .keyNotFound(_, context), let .dataCorrupted(context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\(path.isEmpty ? "" : "at \(path.hasPrefix(".") ? String(path.dropFirst()) : path): ")\(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
