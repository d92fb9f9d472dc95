import GPUPoolDomain

/// Short texts for a placed job, shared by the text tables of `gpupool plan` and the HTML report.
extension JobPlacement {
    /// `2×4 A100-80GB`: workers × GPUs per worker and the model, plus ` (alt 1)` when an alternative
    /// shape was used. `job` is the workload's job (its shape list); without it the workers tell.
    public func shapeSummary(job: Job?) -> String {
        var text: String
        if let job, let index = shape, job.shapes.indices.contains(index) {
            text = "\(job.shapes[index].workers)×\(job.shapes[index].gpusPerWorker)"
        } else if let first = workers.first, workers.allSatisfy({ $0.gpus.count == first.gpus.count }) {
            text = "\(workers.count)×\(first.gpus.count)"
        } else {
            text = "\(workers.count) workers"
        }
        if let accelerator { text += " \(accelerator)" }
        if let index = shape, index > 0 { text += " (alt \(index))" }
        return text
    }

    /// `n1×8, n2×8`: GPUs per node in order of first appearance (workers on one node merged); with
    /// `limit`, at most that many nodes followed by `, … (N nodes)`.
    public func nodeSummary(limit: Int? = nil) -> String {
        var order: [String] = [], counts: [String: Int] = [:]
        for worker in workers {
            if counts[worker.node] == nil { order.append(worker.node) }
            counts[worker.node, default: 0] += worker.gpus.count
        }
        let shown = limit.map { order.prefix($0) } ?? order[...]
        var text = shown.map { "\($0)×\(counts[$0]!)" }.joined(separator: ", ")
        if shown.count < order.count { text += ", … (\(order.count) nodes)" }
        return text
    }
}
