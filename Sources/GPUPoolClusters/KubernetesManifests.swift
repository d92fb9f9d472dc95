import GPUPoolDomain
import GPUPoolPlanner
import Yams

/// Writes a plan as Kubernetes manifests: per placed job one file holding a `batch/v1` Job per worker,
/// each pinned to its planned node (`nodeSelector` on `kubernetes.io/hostname`) with the planned number of
/// GPUs of the node's vendor resource as limits, tolerations for the node's taints, and labels naming the
/// job, tenant, plan and worker. A gang is several Jobs rather than one indexed Job because the workers of
/// one gang go to different nodes, which an indexed Job's single pod template cannot say.
public struct KubernetesManifests: Sendable {
    /// Container image of every worker.
    public var image: String
    /// Shell command every worker runs (`/bin/sh -c COMMAND`); `GPUPOOL_*` variables tell it its place.
    public var command: String
    /// Namespace of the Jobs.
    public var namespace: String
    /// Plan id written in the `gpupool.io/plan` label (default: a hash of the plan's placements).
    public var planID: String?

    public init(image: String = "nvidia/cuda:12.4.1-base-ubuntu22.04", command: String = "nvidia-smi -L",
                namespace: String = "default", planID: String? = nil) {
        self.image = image
        self.command = command
        self.namespace = namespace
        self.planID = planID
    }

    /// The manifests of every placed job. `inventory` (the listing the pool came from) supplies hostnames,
    /// taints and the GPU resource; without it the node id is the hostname and the vendor picks the resource.
    public func emit(plan: Plan, pool: Pool, inventory: ClusterInventory? = nil) throws -> ClusterEmission {
        let (jobs, outside) = try EmissionInput.split(plan: plan, pool: pool, inventory: inventory)
        let planLabel = ClusterNames.labelValue(planID ?? Self.defaultPlanID(plan))
        let nodes = Dictionary(pool.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var files: [(String, String)] = []
        var placed: [(String, String, String)] = []
        var usedNames = Set<String>()
        for entry in jobs {
            let base = ClusterNames.dnsLabel(entry.job, limit: 52)
            var documents: [String] = []
            for (index, worker) in entry.workers.enumerated() {
                let node = nodes[worker.node]!
                let clusterNode = inventory?.node(named: worker.node)
                let resource = clusterNode?.resourceName ?? (node.vendor.uppercased() == "AMD" ? "amd.com/gpu" : "nvidia.com/gpu")
                let labels: [(String, String)] = [
                    ("app.kubernetes.io/managed-by", "gpupool"),
                    ("gpupool.io/plan", planLabel),
                    ("gpupool.io/job", ClusterNames.labelValue(entry.job)),
                    ("gpupool.io/tenant", ClusterNames.labelValue(entry.tenant)),
                    ("gpupool.io/worker", String(index)),
                ]
                let env: [(String, String)] = [
                    ("GPUPOOL_PLAN", planLabel), ("GPUPOOL_JOB", entry.job), ("GPUPOOL_WORKER_INDEX", String(index)),
                    ("GPUPOOL_WORKERS", String(entry.workers.count)), ("GPUPOOL_NODE", worker.node),
                ]
                var podSpec: [(String, Yams.Node)] = [
                    ("restartPolicy", "Never"),
                    ("nodeSelector", map([("kubernetes.io/hostname", quoted(clusterNode?.hostname ?? worker.node))])),
                ]
                let tolerations = (clusterNode?.taints ?? []).filter { $0.effect != "PreferNoSchedule" }.map { taint -> Yams.Node in
                    var fields: [(String, Yams.Node)] = [("key", .init(taint.key))]
                    if let value = taint.value {
                        fields += [("operator", "Equal"), ("value", .init(value))]
                    } else {
                        fields.append(("operator", "Exists"))
                    }
                    fields.append(("effect", .init(taint.effect)))
                    return .mapping(.init(fields.map { (Yams.Node($0.0), $0.1) }))
                }
                if !tolerations.isEmpty { podSpec.append(("tolerations", .sequence(.init(tolerations)))) }
                podSpec.append(("containers", .sequence([map([
                    ("name", "worker"),
                    ("image", .init(image)),
                    ("command", .sequence(["/bin/sh", "-c", .init(command)])),
                    ("env", .sequence(.init(env.map { map([("name", .init($0.0)), ("value", quoted($0.1))]) }))),
                    ("resources", map([("limits", map([(resource, Yams.Node(String(worker.gpus.count), Tag(.int)))]))])),
                ])])))
                let name = "\(base)-w\(index)"
                let manifest = map([
                    ("apiVersion", "batch/v1"),
                    ("kind", "Job"),
                    ("metadata", map([
                        ("name", .init(name)),
                        ("namespace", .init(namespace)),
                        ("labels", map(labels.map { ($0.0, quoted($0.1)) })),
                        ("annotations", map([
                            ("gpupool.io/job-id", quoted(entry.job)),
                            ("gpupool.io/gpus", quoted(worker.gpus.map(String.init).joined(separator: ","))),
                        ])),
                    ])),
                    ("spec", map([
                        ("backoffLimit", Yams.Node("0", Tag(.int))),
                        ("template", map([
                            ("metadata", map([("labels", map(labels.map { ($0.0, quoted($0.1)) }))])),
                            ("spec", map(podSpec)),
                        ])),
                    ])),
                ])
                documents.append(try Yams.serialize(node: manifest, sortKeys: false))
            }
            var file = "\(base).yaml"
            if !usedNames.insert(file).inserted { file = "\(base)-\(ClusterNames.hash(entry.job)).yaml"; usedNames.insert(file) }
            files.append((file, "# GPUPool plan \(planLabel): job \(entry.job) (tenant \(entry.tenant)), \(entry.workers.count) worker(s)\n"
                          + documents.map { "---\n" + $0 }.joined()))
            placed.append((entry.job, file, EmissionInput.summary(entry)))
        }
        let unplaced = plan.unplaced.map { ($0.job, $0.reason?.description ?? "unplaced") }
        return ClusterEmission(files: files, placed: placed, unplaced: unplaced, outside: outside)
    }

    /// Whether `text` is a DNS-1123 label (a namespace, say): the names the emitter makes are, by construction.
    public static func isDNSLabel(_ text: String) -> Bool { !text.isEmpty && ClusterNames.dnsLabel(text) == text }

    /// 8 hex digits over the placements, so the same plan gets the same label.
    static func defaultPlanID(_ plan: Plan) -> String {
        "plan-" + ClusterNames.hash(plan.placed.map { "\($0.job)@" + $0.workers.map { "\($0.node):\($0.gpus)" }.joined(separator: ";") }.joined(separator: "|"))
    }

    private func map(_ pairs: [(String, Yams.Node)]) -> Yams.Node {
        .mapping(.init(pairs.map { (Yams.Node($0.0), $0.1) }))
    }

    /// A string scalar that stays a string (`"0"`, `"true"` would otherwise be read as numbers or booleans).
    private func quoted(_ text: String) -> Yams.Node {
        Yams.Node(text, Tag(.str), .doubleQuoted)
    }
}
