import Foundation
import GPUPoolClusters
import GPUPoolCommandLine
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSupport

/// `gpupool demo --cluster kubernetes|slurm`: the round trip of Docs/Clusters.md on the shipped inventory —
/// import, plan, emit — printing where each job goes.
struct ClusterDemoRun {
    var kind: ClusterKind
    var directory: String?
    var method: PlanningMethod
    var json: Bool

    func run() throws {
        let inventory: ClusterInventory, pool: Pool, workload: Workload
        do {
            inventory = try ClusterDemo.inventory(kind)
            pool = try inventory.pool()
            workload = try ClusterDemo.workload(against: pool)
        } catch { throw InputError("demo inventory: \(error)") }
        let options = PlannerOptions(policies: [.priority, .maxThroughput, .minCost], method: method, timeLimit: 20, seed: 1)
        let plan: Plan
        do { plan = try Planner(options: options).plan(pool: pool, workload: workload) } catch {
            throw InputError("planning the demo cluster: \(error.description)")
        }
        try requirePassesChecker(plan, pool: pool, workload: workload)
        let emission: ClusterEmission
        do {
            switch kind {
            case .kubernetes: emission = try KubernetesManifests().emit(plan: plan, pool: pool, inventory: inventory)
            case .slurm: emission = try SlurmBatchScripts().emit(plan: plan, pool: pool, inventory: inventory)
            }
        } catch { throw InputError("emitting the demo plan: \(error)") }
        let target = directory ?? NSTemporaryDirectory() + "gpupool-\(kind.rawValue)-demo-\(ProcessInfo.processInfo.processIdentifier)"
        try emission.write(to: target)
        if json {
            print(JSONText.object([
                ("cluster", .string(kind.rawValue)), ("directory", .string(target)),
                ("nodes", .integer(inventory.nodes.count)), ("gpus", .integer(pool.totalGPUs)),
                ("gpus_in_use", .integer(pool.nodes.reduce(0) { $0 + $1.gpusInUse })),
                ("placed", .array(emission.placed.map { .object([("job", .string($0.job)), ("file", .string($0.file)), ("nodes", .string($0.nodes))]) })),
                ("unplaced", .array(emission.unplaced.map { .object([("job", .string($0.job)), ("reason", .string($0.reason))]) })),
                ("warnings", .array(inventory.warnings.map { .string($0.description) })),
            ]).serialized)
            return
        }
        let inUse = pool.nodes.reduce(0) { $0 + $1.gpusInUse }
        print("Imported the demo \(kind.rawValue) inventory: \(inventory.nodes.count) GPU nodes, \(pool.totalGPUs) GPUs (\(inUse) held by running work), models \(pool.acceleratorModels.joined(separator: ", "))")
        for warning in inventory.warnings { print("  warning: \(warning.item): \(warning.message)") }
        print("Planned \(workload.jobs.count) jobs under \(plan.policies.joined(separator: ",")): \(plan.metrics.placedJobs) placed, \(plan.metrics.unplacedJobs) unplaced (\(plan.method))\n")
        print("Wrote \(emission.files.count) \(kind == .kubernetes ? "manifest" : "sbatch script")(s) to \(target):")
        for entry in emission.placed { print("  \(entry.job) → \(entry.file): \(entry.nodes)") }
        for entry in emission.unplaced { print("  \(entry.job): not emitted — \(entry.reason)") }
        print(kind == .kubernetes
              ? "\nApply with: kubectl apply -f \(target)   (checked offline by kubernetes-validate in CI)"
              : "\nSubmit with: for f in \(target)/*.sbatch; do sbatch \"$f\"; done   (checked by sbatch --test-only in CI)")
    }
}
