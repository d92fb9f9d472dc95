import GPUPoolDomain
import GPUPoolPlanner

/// Writes a plan as Slurm batch scripts: one `sbatch` script per placed job that asks for exactly the
/// planned nodes (`--nodelist`, `--nodes`), GPUs (`--gres=gpu:TYPE:N` per node) and one task per worker
/// (`--ntasks-per-node`). When the workers are spread unevenly (3 on one node, 1 on another), or the nodes
/// share no partition, Slurm cannot say it in one request, so the script is a heterogeneous job: one
/// `#SBATCH hetjob` component per group of nodes with the same worker count, GRES type and partition.
public struct SlurmBatchScripts: Sendable {
    /// The command each worker runs (`srun` starts one task per worker).
    public var command: String
    /// Partition for every job; `nil`: a partition that all of the job's nodes share in the inventory.
    public var partition: String?
    /// Time limit (`--time`), if any, e.g. `04:00:00`.
    public var timeLimit: String?

    public init(command: String = "nvidia-smi -L", partition: String? = nil, timeLimit: String? = nil) {
        self.command = command
        self.partition = partition
        self.timeLimit = timeLimit
    }

    /// One script per placed job. `inventory` supplies GRES types and partitions; without it the GRES type
    /// is the accelerator in lower case.
    public func emit(plan: Plan, pool: Pool, inventory: ClusterInventory? = nil) throws -> ClusterEmission {
        let (jobs, outside) = try EmissionInput.split(plan: plan, pool: pool, inventory: inventory)
        let nodes = Dictionary(pool.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var files: [(String, String)] = []
        var placed: [(String, String, String)] = []
        var usedNames = Set<String>()
        for entry in jobs {
            let gpusPerWorker = entry.workers.first?.gpus.count ?? 0
            let perNode = EmissionInput.perNode(entry)
            // Partition per node: the given one; else one that all the job's nodes share (the first node's
            // first such); else each node's first partition, which makes the job heterogeneous.
            let hosts = perNode.map { inventory?.node(named: $0.node)?.hostname ?? $0.node }
            let partitionsOf = perNode.map { inventory?.node(named: $0.node)?.partitions ?? [] }
            let shared = partitionsOf.dropFirst().reduce(Set(partitionsOf.first ?? [])) { $0.intersection($1) }
            let sharedChoice = partitionsOf.first?.first { shared.contains($0) }
            // Components: nodes with the same worker count, GRES type and partition, in first-appearance order.
            var order: [String] = []
            var components: [String: (type: String?, partition: String?, workers: Int, hosts: [String])] = [:]
            for (i, part) in perNode.enumerated() {
                // Typeless GRES (`gpu:4`) is requested without a type; without an inventory the model names it.
                let type: String? = inventory.map { $0.node(named: part.node)?.gresType } ?? nodes[part.node]!.accelerator.lowercased()
                let chosen = partition ?? sharedChoice ?? partitionsOf[i].first
                let key = "\(part.workers)|\(type ?? "")|\(chosen ?? "")"
                if components[key] == nil {
                    order.append(key)
                    components[key] = (type, chosen, part.workers, [])
                }
                components[key]!.hosts.append(hosts[i])
            }
            let name = ClusterNames.slurmName(entry.job)
            var lines = [
                "#!/bin/bash",
                "# GPUPool plan: job \(entry.job) (tenant \(entry.tenant)), \(entry.workers.count) worker(s) × \(gpusPerWorker) GPU(s)",
                "#   \(EmissionInput.summary(entry))",
            ]
            for (c, key) in order.enumerated() {
                let component = components[key]!
                if c > 0 { lines.append("#SBATCH hetjob") }
                lines.append("#SBATCH --job-name=\(name)")
                if let chosen = component.partition { lines.append("#SBATCH --partition=\(chosen)") }
                lines.append("#SBATCH --nodes=\(component.hosts.count)")
                lines.append("#SBATCH --nodelist=\(component.hosts.joined(separator: ","))")
                lines.append("#SBATCH --ntasks-per-node=\(component.workers)")
                lines.append("#SBATCH --gres=gpu:\(component.type.map { "\($0):" } ?? "")\(component.workers * gpusPerWorker)")
                if let timeLimit { lines.append("#SBATCH --time=\(timeLimit)") }
            }
            lines += [
                "",
                "export GPUPOOL_PLAN=\(KubernetesManifests.defaultPlanID(plan))",
                "export GPUPOOL_JOB=\(shellQuoted(entry.job))",
                "export GPUPOOL_WORKERS=\(entry.workers.count)",
                "# Each task is one worker: SLURM_PROCID is its index (0..<GPUPOOL_WORKERS).",
            ]
            if order.count > 1 {
                let groups = (0..<order.count).map(String.init).joined(separator: ",")
                lines.append("srun --het-group=\(groups) /bin/sh -c \(shellQuoted(command))")
            } else {
                lines.append("srun /bin/sh -c \(shellQuoted(command))")
            }
            var file = "\(name).sbatch"
            if !usedNames.insert(file).inserted { file = "\(name)-\(ClusterNames.hash(entry.job)).sbatch"; usedNames.insert(file) }
            files.append((file, lines.joined(separator: "\n") + "\n"))
            placed.append((entry.job, file, EmissionInput.summary(entry)))
        }
        let unplaced = plan.unplaced.map { ($0.job, $0.reason?.description ?? "unplaced") }
        return ClusterEmission(files: files, placed: placed, unplaced: unplaced, outside: outside)
    }

    private func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
