import Foundation
import GPUPoolDomain

/// The shipped demo inventories and workload (`gpupool demo --cluster`; Resources/demo/README.md says
/// what is real capture and what is made up).
public enum ClusterDemo {
    /// Path of a shipped demo file: `kubernetes-nodes.json`, `kubernetes-pods.json`, `slurm-nodes.txt`, `cluster-jobs.yaml`.
    public static func path(_ name: String) throws -> String {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Resources/demo")
            ?? Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "demo")
        else {
            throw DomainError(problems: [Problem(file: name, item: "resource", message: "missing from the GPUPoolClusters bundle")])
        }
        return url.path
    }

    /// The demo inventory of `kind`.
    public static func inventory(_ kind: ClusterKind) throws -> ClusterInventory {
        switch kind {
        case .kubernetes:
            try KubernetesInventory.read(nodesFile: path("kubernetes-nodes.json"), podsFile: path("kubernetes-pods.json"))
        case .slurm:
            try SlurmInventory.read(nodesFile: path("slurm-nodes.txt"))
        }
    }

    /// The demo workload, checked against `pool`.
    public static func workload(against pool: Pool) throws -> Workload {
        try WorkloadFile.read(path: path("cluster-jobs.yaml"), against: pool, requireFit: false)
    }
}
