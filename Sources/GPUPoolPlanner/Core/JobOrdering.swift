/// The order in which the greedy placer takes jobs.
enum JobOrdering {
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
            instance.accelerators.indices.filter { k in
                jobs[j].shapes.indices.contains { s in
                    jobs[j].shapes[s].allows(k) && instance.groups.indices.contains {
                        instance.groups[$0].accelerator == k && instance.eligible(job: j, shape: s, group: $0)
                    }
                }
            }.count
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
