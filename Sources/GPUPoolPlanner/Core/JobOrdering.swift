import GPUPoolSupport
import GPUPoolHeuristics

/// The order in which the greedy placer takes jobs.
enum JobOrdering {
    /// Alternative orders for multi-start: the policy order first, then small gangs first, then
    /// seeded shuffles (priority tiers always stay in front when active).
    static func variants(instance: PlanningInstance, terms: [StageTerm], context: TermContext, byPriority: Bool, seed: UInt64, count: Int) -> [[Int]] {
        let primary = order(instance: instance, terms: terms, context: context, fifo: false, byPriority: byPriority)
        var result = [primary]
        let jobs = instance.jobs
        let size = jobs.map { $0.shapes.map(\.gpus).min() ?? 0 }
        if count > 1 {
            result.append(jobs.indices.sorted { a, b in
                if byPriority && jobs[a].priority != jobs[b].priority { return jobs[a].priority > jobs[b].priority }
                if size[a] != size[b] { return size[a] < size[b] }
                return a < b
            })
        }
        var rng = SeededGenerator(seed: seed)
        while result.count < count {
            var keys = jobs.indices.map { _ in rng.next() }
            // Larger gangs still tend to go first: the shuffle perturbs, it does not reverse.
            for j in jobs.indices { keys[j] = keys[j] >> 8 | UInt64(min(255, size[j])) << 56 }
            result.append(jobs.indices.sorted { a, b in
                if byPriority && jobs[a].priority != jobs[b].priority { return jobs[a].priority > jobs[b].priority }
                return (keys[a], a) > (keys[b], b)
            })
        }
        return result
    }

    /// FIFO: arrival time, then workload position. Priority tiers first when `byPriority`.
    /// Otherwise: priority tiers (when `byPriority`), then the policy key (allocation share for
    /// fairness, throughput regret for max-throughput), then larger gangs first, then position.
    static func order(instance: PlanningInstance, terms: [StageTerm], context: TermContext, fifo: Bool, byPriority: Bool) -> [Int] {
        let jobs = instance.jobs
        if fifo {
            return jobs.indices.sorted { a, b in
                if byPriority && jobs[a].priority != jobs[b].priority { return jobs[a].priority > jobs[b].priority }
                if jobs[a].arrival != jobs[b].arrival { return jobs[a].arrival < jobs[b].arrival }
                return a < b
            }
        }
        let primary = terms.first(where: {
            if case .tier = $0 { return false }
            return true
        })
        let key: [Double] = jobs.indices.map { j in
            switch primary {
            case .allocationShare:
                return context.share.isEmpty ? 0 : (context.share[j].max() ?? 0)
            case .throughput:
                // How much the job loses on its second-best accelerator, in coarse steps so that
                // gang size still decides between similar jobs.
                var best = [Double](repeating: 0, count: instance.accelerators.count)
                for s in jobs[j].shapes.indices {
                    for k in best.indices where jobs[j].shapes[s].allows(k) {
                        best[k] = max(best[k], context.throughputRatio[j][s][k])
                    }
                }
                let ratios = best.filter { $0 > 0 }.sorted(by: >)
                let regret = ratios.count > 1 ? 1 - ratios[1] : 0
                return (regret * 10).rounded(.down)
            default:
                return 0
            }
        }
        let size = jobs.map { $0.shapes.map(\.gpus).max() ?? 0 }
        // Least flexible first among equals: jobs with fewer usable accelerator models.
        let flexibility: [Int] = jobs.indices.map { j in
            instance.eligibleAccelerators(job: j).filter { $0 }.count
        }
        return jobs.indices.sorted { a, b in
            if byPriority && jobs[a].priority != jobs[b].priority { return jobs[a].priority > jobs[b].priority }
            if key[a] != key[b] { return key[a] > key[b] }
            if size[a] != size[b] { return size[a] > size[b] }
            if flexibility[a] != flexibility[b] { return flexibility[a] < flexibility[b] }
            return a < b
        }
    }
}
