import Foundation
import GPUPoolTestSupport
@testable import GPUPoolTelemetry
import GPUPoolHistory
import GPUPoolDomain
@testable import GPUPoolMonitoring

enum Fixtures {
    /// Four 8-GPU own-DC nodes and two 4-GPU cloud nodes.
    static let pool = Pool(
        providers: [Provider(id: "own", kind: .ownDataCenter), Provider(id: "cloud", kind: .cloud)],
        nodes: (0..<4).map { Node(id: "dc-\($0)", provider: "own", accelerator: "A100-80GB", gpuCount: 8, gpuMemoryGiB: 80,
                                  interconnect: .nvlink, region: "eu", pricePerGPUHour: 1.1) }
            + (0..<2).map { Node(id: "cl-\($0)", provider: "cloud", accelerator: "A100-80GB", gpuCount: 4, gpuMemoryGiB: 80,
                                 region: "us", pricePerGPUHour: 2.0) })

    /// Jobs using 24 of the 40 GPUs: room to move one node's work.
    static let workload = Workload(jobs: [
        Job(id: "train-a", tenant: "alice", priority: 1, shape: JobShape(workers: 1, gpusPerWorker: 8), locality: .node),
        Job(id: "train-b", tenant: "bob", shape: JobShape(workers: 1, gpusPerWorker: 4), locality: .node),
        Job(id: "train-c", tenant: "bob", shape: JobShape(workers: 2, gpusPerWorker: 2)),
        Job(id: "infer-1", tenant: "carol", shape: JobShape(workers: 1)),
        Job(id: "infer-2", tenant: "carol", shape: JobShape(workers: 1)),
        Job(id: "infer-3", tenant: "alice", shape: JobShape(workers: 2)),
        Job(id: "sweep", tenant: "dave", shape: JobShape(workers: 4, gpusPerWorker: 1)),
    ])
}
