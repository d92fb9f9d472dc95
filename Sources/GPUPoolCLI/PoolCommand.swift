import ArgumentParser
import Foundation
import GPUPoolClusters
import GPUPoolCommandLine
import GPUPoolDomain

/// `gpupool pool`: build pool files from what clusters report.
struct PoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Build pool files from cluster inventories.",
        subcommands: [PoolImportCommand.self]
    )
}

/// Where an inventory comes from and how its products map to accelerators (shared by `pool import`,
/// `plan --emit` and `demo --cluster`).
struct InventoryOptionGroup: ParsableArguments {
    @Option(name: .customLong("kubernetes"), help: "Kubernetes node listing: `kubectl get nodes -o json` output.")
    var kubernetesNodes: String?

    @Option(help: "Kubernetes pod listing (`kubectl get pods -A -o json`): GPUs of running pods count as in use.")
    var pods: String?

    @Option(name: .customLong("slurm"), help: "Slurm node listing: `scontrol -d show node` (text, -o or not), `scontrol show node --json` or `sinfo --json` output.")
    var slurmNodes: String?

    @Option(name: .customLong("slurm-jobs"), help: "Slurm job listing (`squeue --json`): GPU use of nodes whose listing does not state it.")
    var slurmJobs: String?

    @Option(help: "Mapping file (YAML/JSON): products, nodes → accelerator; memoryGiB and prices per accelerator (Docs/Clusters.md).")
    var mapping: String?

    func validate() throws {
        if kubernetesNodes != nil && slurmNodes != nil { throw ValidationError("give either --kubernetes or --slurm, not both") }
        if pods != nil && kubernetesNodes == nil { throw ValidationError("--pods needs --kubernetes") }
        if slurmJobs != nil && slurmNodes == nil { throw ValidationError("--slurm-jobs needs --slurm") }
    }

    var isEmpty: Bool { kubernetesNodes == nil && slurmNodes == nil }

    /// Reads the inventory; warnings go to stderr as `warning: …` lines.
    func read(options: InventoryOptions = InventoryOptions(), quiet: Bool = false) throws -> (ClusterInventory, AcceleratorMapping) {
        let mapping: AcceleratorMapping
        do { mapping = try self.mapping.map(AcceleratorMapping.read) ?? AcceleratorMapping() } catch {
            throw InputError("\(error)")
        }
        let inventory: ClusterInventory
        do {
            if let kubernetesNodes {
                inventory = try KubernetesInventory.read(nodesFile: kubernetesNodes, podsFile: pods, mapping: mapping, options: options)
            } else if let slurmNodes {
                inventory = try SlurmInventory.read(nodesFile: slurmNodes, jobsFile: slurmJobs, mapping: mapping, options: options)
            } else {
                throw InputError("give an inventory: --kubernetes NODES.json or --slurm NODES")
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("\(error)")
        }
        if !quiet { for warning in inventory.warnings { printWarning("\(warning)") } }
        return (inventory, mapping)
    }
}

func printWarning(_ text: String) {
    FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
}

/// `gpupool pool import`: a Kubernetes or Slurm inventory as a pool file.
struct PoolImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a Kubernetes or Slurm GPU inventory into a pool file.",
        discussion: """
            Reads `kubectl get nodes -o json` (+ `kubectl get pods -A -o json`) or Slurm's `scontrol -d show node` / \
            `sinfo --json` (+ `squeue --json`), maps GPU products to accelerator models (a mapping file overrides), and \
            writes the nodes as one provider of a pool (Docs/PoolFormat.md), merged with --merge pools and --skypilot catalogs (a provider each). GPUs held by \
            running pods or jobs become `gpusInUse`. Every guess is a `warning:` line on stderr; problems that make \
            a node unusable (no product label, unknown memory, malformed listing) are errors naming the node, exit 2, \
            and nothing is written. See Docs/Clusters.md.
            """
    )

    @OptionGroup var inventory: InventoryOptionGroup

    @Option(help: "Provider id of the imported nodes (default: kubernetes or slurm).")
    var provider: String?

    @Option(help: "Provider kind: own, cloud or community.")
    var providerKind: ProviderKind = .ownDataCenter

    @Option(help: "Region of nodes without a topology.kubernetes.io/region label (all Slurm nodes).")
    var region: String = "default"

    @Option(help: "USD per GPU-hour for accelerators the mapping file prices not.")
    var price: Double = 0

    @Option(help: "Pool files to merge the imported provider into (repeatable).")
    var merge: [String] = []

    @Option(help: "A SkyPilot catalog as one more provider: ID[:KIND]=CATALOG.csv, KIND cloud (default) or community, e.g. lambda=lambda.csv. Repeatable.")
    var skypilot: [String] = []

    @Option(help: "Nodes per SkyPilot offer (instance type × region).")
    var nodesPerOffer: Int = 1

    @Option(name: .shortAndLong, help: "Write the pool here (.yaml/.yml or .json); default: YAML on stdout.")
    var output: String?

    /// `ID[:KIND]=PATH` of `--skypilot`.
    static func parseCatalog(_ text: String) -> (id: String, kind: ProviderKind, path: String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let name = text[..<equals].split(separator: ":", maxSplits: 1).map(String.init)
        let path = String(text[text.index(after: equals)...])
        guard let id = name.first, !id.isEmpty, !path.isEmpty else { return nil }
        guard let kind = name.count == 2 ? ProviderKind(rawValue: name[1]) : .cloud else { return nil }
        return (id, kind, path)
    }

    func validate() throws {
        guard price >= 0, price.isFinite else { throw ValidationError("--price \(price): must be a number ≥ 0") }
        if inventory.isEmpty && skypilot.isEmpty && merge.isEmpty {
            throw ValidationError("give an inventory (--kubernetes NODES.json or --slurm NODES), --skypilot catalogs or --merge pools")
        }
        for c in skypilot where Self.parseCatalog(c) == nil {
            throw ValidationError("--skypilot \(c): expected ID[:KIND]=CATALOG.csv with KIND cloud or community, e.g. vast:community=vast.csv")
        }
        guard (1...1000).contains(nodesPerOffer) else { throw ValidationError("--nodes-per-offer \(nodesPerOffer): must be between 1 and 1000") }
        if let output, DocumentFormat(path: output) == nil {
            throw ValidationError("--output \(output): the name must end in .yaml, .yml or .json")
        }
    }

    func run() throws {
        let options = InventoryOptions(providerID: provider, providerKind: providerKind, defaultRegion: region, defaultPricePerGPUHour: price)
        var pool = Pool(providers: [], nodes: [])
        var inventory: ClusterInventory?
        if !self.inventory.isEmpty {
            let (read, mapping) = try self.inventory.read(options: options)
            inventory = read
            do { pool = try read.pool(options: options, mapping: mapping) } catch { throw InputError("\(error)") }
        }
        for text in skypilot {
            guard let (id, kind, path) = Self.parseCatalog(text) else { continue }
            let catalog: SkyPilotCatalog
            do { catalog = try SkyPilotCatalog.read(path: path, providerID: id, kind: kind) } catch {
                throw InputError(PoolLoader.describe(error, file: path))
            }
            for warning in catalog.warnings { printWarning("\(warning)") }
            pool.providers.append(catalog.provider)
            pool.nodes += catalog.makeNodes(nodesPerOffer: .each(nodesPerOffer))
        }
        for path in merge {
            let other: Pool
            do { other = try PoolFile.read(path: path) } catch { throw InputError(PoolLoader.describe(error, file: path)) }
            pool.providers = other.providers + pool.providers
            pool.nodes = other.nodes + pool.nodes
        }
        do { try pool.validate() } catch { throw InputError("merged pool: \(error)") }
        let text: String
        do {
            let format = output.flatMap(DocumentFormat.init(path:)) ?? .yaml
            text = try PoolFile.encode(pool, format: format)
        } catch { throw InputError("cannot encode the pool: \(error)") }
        var summary = "pool: \(pool.providers.count) provider(s), \(pool.nodes.count) node(s), \(pool.totalGPUs) GPUs"
        if let inventory {
            let inUse = inventory.nodes.reduce(0) { $0 + $1.gpusInUse }
            let total = inventory.nodes.reduce(0) { $0 + $1.gpuCount }
            summary = "\(inventory.kind.rawValue): \(inventory.nodes.count) GPU node(s), \(total) GPUs (\(inUse) in use), \(Set(inventory.nodes.map(\.accelerator)).count) model(s); " + summary
        }
        if let output {
            try writeAtomically(text, to: output)
            print("\(summary) → \(output)")
        } else {
            FileHandle.standardError.write(Data("\(summary)\n".utf8))
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}
