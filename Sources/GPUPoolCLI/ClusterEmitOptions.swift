import ArgumentParser
import Foundation
import GPUPoolClusters
import GPUPoolCommandLine
import GPUPoolDomain
import GPUPoolPlanner

/// `plan --emit kubernetes|slurm DIR` and the options of what is emitted.
struct ClusterEmitOptions: ParsableArguments {
    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Also write the plan for a cluster: `kubernetes DIR` (a Job per worker, pinned to its node) or `slurm DIR` (an sbatch script per job).",
        valueName: "kind> <dir"))
    var emit: [String] = []

    @Option(help: "Container image of emitted Kubernetes workers.")
    var image: String = KubernetesManifests().image

    @Option(help: "Command every emitted worker runs (through /bin/sh -c).")
    var command: String = KubernetesManifests().command

    @Option(help: "Namespace of emitted Kubernetes Jobs.")
    var namespace: String = "default"

    @Option(help: "Slurm partition of emitted scripts (default: one all of a job's nodes share in --slurm).")
    var partition: String?

    @Option(help: "Slurm time limit of emitted scripts (--time), e.g. 04:00:00.")
    var slurmTime: String?

    @OptionGroup(title: "Cluster inventory (hostnames, taints, GRES types, partitions for --emit)")
    var inventory: InventoryOptionGroup

    var kind: ClusterKind? { emit.first.flatMap(ClusterKind.init(rawValue:)) }

    func validate() throws {
        guard !emit.isEmpty else { return }
        guard emit.count == 2, kind != nil else {
            throw ValidationError("--emit takes a kind and a directory: --emit kubernetes DIR or --emit slurm DIR")
        }
        if kind == .kubernetes, inventory.slurmNodes != nil { throw ValidationError("--emit kubernetes takes a --kubernetes inventory, not --slurm") }
        if kind == .slurm, inventory.kubernetesNodes != nil { throw ValidationError("--emit slurm takes a --slurm inventory, not --kubernetes") }
        if !KubernetesManifests.isDNSLabel(namespace) { throw ValidationError("--namespace \(namespace): not a DNS-1123 label") }
    }

    /// The emission for `plan` if `--emit` was given, computed before anything is written, so that an
    /// emission error leaves no file behind.
    func prepare(plan: Plan, pool: Pool) throws -> PreparedEmission? {
        guard let kind, emit.count == 2 else { return nil }
        let directory = emit[1]
        let inventory = self.inventory.isEmpty ? nil : try self.inventory.read(quiet: true).0
        let emission: ClusterEmission
        do {
            switch kind {
            case .kubernetes:
                emission = try KubernetesManifests(image: image, command: command, namespace: namespace)
                    .emit(plan: plan, pool: pool, inventory: inventory)
            case .slurm:
                emission = try SlurmBatchScripts(command: command, partition: partition, timeLimit: slurmTime)
                    .emit(plan: plan, pool: pool, inventory: inventory)
            }
        } catch { throw InputError("--emit \(kind.rawValue): \(error)") }
        return PreparedEmission(kind: kind, directory: directory, emission: emission)
    }
}

/// An emission ready to be written.
struct PreparedEmission {
    var kind: ClusterKind
    var directory: String
    var emission: ClusterEmission

    /// Writes it; returns the lines that say where each job went.
    func write() throws -> [String] {
        try emission.write(to: directory)
        var lines = ["Emitted \(emission.files.count) \(kind == .kubernetes ? "manifest" : "sbatch script")(s) to \(directory):"]
        for entry in emission.placed { lines.append("  \(entry.job) → \(entry.file): \(entry.nodes)") }
        if !emission.unplaced.isEmpty {
            lines.append("  not emitted (unplaced, see \(directory)/UNPLACED.txt): \(emission.unplaced.map(\.job).joined(separator: ", "))")
        }
        if !emission.outside.isEmpty {
            lines.append("  not emitted (placed on nodes outside this cluster, see \(directory)/OUTSIDE.txt): \(emission.outside.map(\.job).joined(separator: ", "))")
        }
        return lines
    }
}

extension ClusterEmission {
    /// Writes every file into `directory` (created if missing), each atomically, removes files an earlier
    /// emission left for jobs this plan does not place, then writes `UNPLACED.txt` (or removes a stale one).
    func write(to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError("\(directory): cannot create the directory: \(error.localizedDescription)")
        }
        for file in files { try writeAtomically(file.contents, to: "\(directory)/\(file.name)") }
        // Files an earlier emission wrote for jobs this plan does not place would otherwise be applied or
        // submitted with the new ones (`kubectl apply -f DIR`): remove them. Only files that start with the
        // emitters' header are touched.
        let current = Set(files.map(\.name))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where !current.contains(name) && (name.hasSuffix(".yaml") || name.hasSuffix(".sbatch")) {
            let path = "\(directory)/\(name)"
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            let head = String(decoding: handle.readData(ofLength: 200), as: UTF8.self)
            try? handle.close()
            if ClusterEmission.isEmitted(head) { try? FileManager.default.removeItem(atPath: path) }
        }
        for (name, lines) in [("UNPLACED.txt", unplaced.map { "\($0.job): \($0.reason)\n" }),
                              ("OUTSIDE.txt", outside.map { "\($0.job): \($0.nodes)\n" })] {
            let path = "\(directory)/\(name)"
            if lines.isEmpty { try? FileManager.default.removeItem(atPath: path) } else { try writeAtomically(lines.joined(), to: path) }
        }
    }
}
