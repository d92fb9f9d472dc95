import GPUPoolModel

/// The exact placement MIP, built through the model API.
///
/// Per job `j`, shape `s`, accelerator `k`:
/// - one-GPU jobs: binary `x[j,s,G]` per eligible node group `G` (a single GPU fits any free GPU
///   of the group, so group-level counting is exact and avoids per-node symmetry);
/// - gangs that must sit on one node (locality `node`, or one worker): binary `x[j,s,n]` per
///   eligible node with room;
/// - other gangs: per locality scope (all nodes / one region / one provider) a binary `sel` and
///   integer workers `y[j,s,n] ∈ [0, min(W, ⌊free/g⌋)]` with `Σ y = W·sel`; for the availability
///   term also binary `u[j,s,n] ≥ y/ub` marking the nodes used;
/// - re-planning: binary `keep[j]` for staying on the current GPUs.
///
/// Rows: one option per job (`Σ ≤ 1`), GPUs per node, GPUs per group (with the one-GPU jobs),
/// tenant quotas, and budgets per job. Every lexicographic term is a dense objective vector.
struct PlacementModel {
    enum OptionKind {
        case groupSingleGPU(group: Int)
        case node(Int)
        case spread(nodes: [Int], workerColumns: [Int], usedColumns: [Int])
        case keep
    }

    struct Option {
        var job: Int
        var shape: Int
        var accelerator: Int
        var column: Int
        var kind: OptionKind
    }

    private(set) var model = Model(name: "placement")
    private(set) var options: [Option] = []
    /// `objectives[t]`: coefficients of term `t` (maximised), one per column.
    private(set) var objectives: [[Double]] = []
    let instance: PlanningInstance
    let terms: [StageTerm]

    /// Number of columns the model would have, computed without building it.
    static func estimateColumns(instance: PlanningInstance, terms: [StageTerm]) -> Int {
        var count = 0
        let availability = terms.contains(.availability)
        for (j, job) in instance.jobs.enumerated() {
            if job.current != nil { count += 1 }
            for s in job.shapes.indices {
                let shape = job.shapes[s]
                for g in instance.groups.indices where instance.eligible(job: j, shape: s, group: g) {
                    if shape.gpus == 1 { count += 1; continue }
                    let single = job.locality == .node || shape.workers == 1
                    for n in instance.groups[g].nodes where instance.nodes[n].free >= (single ? shape.gpus : shape.gpusPerWorker) {
                        count += single ? 1 : (availability ? 2 : 1)
                    }
                }
                if count > 50_000_000 { return count }
            }
        }
        return count
    }

    init(instance: PlanningInstance, terms: [StageTerm], context: TermContext, migrationPenalty: Double) {
        self.instance = instance
        self.terms = terms
        let availability = terms.contains(.availability)
        let nodes = instance.nodes
        var coefficients: [[Double]] = terms.map { _ in [] }
        var kinds: [VariableKind] = []
        var upper: [Double] = []
        // Row entries collected per row family.
        var jobRows: [[(Int, Double)]] = instance.jobs.map { _ in [] }
        var nodeRows = [[(Int, Double)]](repeating: [], count: nodes.count)
        var groupRows = [[(Int, Double)]](repeating: [], count: instance.groups.count)
        var groupHasSingleGPU = [Bool](repeating: false, count: instance.groups.count)
        var quotaRows = [[(Int, Double)]](repeating: [], count: instance.tenants.count)
        var budgetRows: [[(Int, Double)]] = instance.jobs.map { _ in [] }
        var linkRows: [([(Int, Double)], Double, Double)] = []

        func addColumn(kind: VariableKind, upper ub: Double, values: [Double]) -> Int {
            let c = kinds.count
            kinds.append(kind)
            upper.append(ub)
            for t in terms.indices { coefficients[t].append(values[t]) }
            return c
        }
        func termValues(j: Int, s: Int, k: Int, gpus: Int, cost: Double, logA: Double, bonus: Bool = false) -> [Double] {
            let job = instance.jobs[j]
            return terms.map { term in
                let v = context.value(term, job: j, priority: job.priority, gpus: gpus, referenceGPUs: job.referenceGPUs,
                                      shape: s, accelerator: k, costPerHour: cost, logAvailability: logA)
                return bonus ? v + migrationPenalty * abs(v) : v
            }
        }
        let zeroTerms = [Double](repeating: 0, count: terms.count)

        for (j, job) in instance.jobs.enumerated() {
            let tenantQuota = instance.tenantQuota[job.tenant]
            // Staying where it is (re-planning).
            if let current = job.current {
                let shape = job.shapes[current.shape]
                let (perNode, cost, logA) = current.footprint(on: nodes)
                let c = addColumn(kind: .binary, upper: 1, values: termValues(
                    j: j, s: current.shape, k: current.accelerator, gpus: shape.gpus, cost: cost, logA: logA, bonus: true))
                options.append(Option(job: j, shape: current.shape, accelerator: current.accelerator, column: c, kind: .keep))
                jobRows[j].append((c, 1))
                for (n, gpus) in perNode {
                    nodeRows[n].append((c, Double(gpus)))
                    if nodes[n].group >= 0 { groupRows[nodes[n].group].append((c, Double(gpus))) }
                }
                if tenantQuota != Int.max { quotaRows[job.tenant].append((c, Double(shape.gpus))) }
                if job.budgetPerHour != nil { budgetRows[j].append((c, cost)) }
            }
            for s in job.shapes.indices {
                let shape = job.shapes[s]
                let demand = shape.gpus
                if demand > tenantQuota { continue }
                let gpw = shape.gpusPerWorker
                let single = job.locality == .node || shape.workers == 1
                for k in instance.accelerators.indices where shape.allows(k) {
                    let groups = instance.groups.indices.filter {
                        instance.groups[$0].accelerator == k && instance.eligible(job: j, shape: s, group: $0)
                    }
                    if groups.isEmpty { continue }
                    func register(_ c: Int) {
                        jobRows[j].append((c, 1))
                        if tenantQuota != Int.max { quotaRows[job.tenant].append((c, Double(demand))) }
                    }
                    if demand == 1 {
                        for g in groups {
                            let group = instance.groups[g]
                            if let budget = job.budgetPerHour, group.pricePerGPU > budget + 1e-9 { continue }
                            let free = group.nodes.reduce(0) { $0 + max(0, nodes[$1].free) }
                            guard free >= 1 else { continue }
                            let c = addColumn(kind: .binary, upper: 1, values: termValues(
                                j: j, s: s, k: k, gpus: 1, cost: group.pricePerGPU, logA: group.logAvailability))
                            options.append(Option(job: j, shape: s, accelerator: k, column: c, kind: .groupSingleGPU(group: g)))
                            register(c)
                            groupRows[g].append((c, 1))
                            groupHasSingleGPU[g] = true
                        }
                        continue
                    }
                    if single {
                        for g in groups {
                            let group = instance.groups[g]
                            if let budget = job.budgetPerHour, group.pricePerGPU * Double(demand) > budget + 1e-9 { continue }
                            for n in group.nodes where nodes[n].free >= demand {
                                let c = addColumn(kind: .binary, upper: 1, values: termValues(
                                    j: j, s: s, k: k, gpus: demand, cost: group.pricePerGPU * Double(demand), logA: group.logAvailability))
                                options.append(Option(job: j, shape: s, accelerator: k, column: c, kind: .node(n)))
                                register(c)
                                nodeRows[n].append((c, Double(demand)))
                                groupRows[g].append((c, Double(demand)))
                            }
                        }
                        continue
                    }
                    // Spread gangs: one option per locality scope.
                    var scopes: [[Int]] = []
                    switch job.locality {
                    case .node, .any: scopes = [groups]
                    case .region, .provider:
                        var keys: [Int] = []
                        for g in groups {
                            let key = job.locality == .region ? instance.groups[g].region : instance.groups[g].provider
                            if let i = keys.firstIndex(of: key) { scopes[i].append(g) } else { keys.append(key); scopes.append([g]) }
                        }
                    }
                    for scope in scopes {
                        var scopeNodes: [Int] = []
                        var capacity = 0
                        for g in scope {
                            for n in instance.groups[g].nodes where nodes[n].free >= gpw {
                                scopeNodes.append(n)
                                capacity += min(shape.workers, nodes[n].free / gpw)
                            }
                        }
                        guard capacity >= shape.workers else { continue }
                        // Cost and availability of a spread gang sit on its y and u columns.
                        let sel = addColumn(kind: .binary, upper: 1, values: termValues(
                            j: j, s: s, k: k, gpus: demand, cost: 0, logA: 0))
                        register(sel)
                        var link: [(Int, Double)] = [(sel, -Double(shape.workers))]
                        var workerColumns: [Int] = []
                        var usedColumns: [Int] = []
                        for n in scopeNodes {
                            let ub = min(shape.workers, nodes[n].free / gpw)
                            var values = zeroTerms
                            for t in terms.indices where terms[t] == .cost { values[t] = -nodes[n].pricePerGPU * Double(gpw) }
                            let y = addColumn(kind: .integer, upper: Double(ub), values: values)
                            workerColumns.append(y)
                            link.append((y, 1))
                            nodeRows[n].append((y, Double(gpw)))
                            groupRows[nodes[n].group].append((y, Double(gpw)))
                            if job.budgetPerHour != nil { budgetRows[j].append((y, nodes[n].pricePerGPU * Double(gpw))) }
                            if availability {
                                var uValues = zeroTerms
                                for t in terms.indices where terms[t] == .availability { uValues[t] = nodes[n].logAvailability }
                                let u = addColumn(kind: .binary, upper: 1, values: uValues)
                                usedColumns.append(u)
                                linkRows.append(([(y, 1), (u, -Double(ub))], -.infinity, 0))
                            }
                        }
                        linkRows.append((link, 0, 0))
                        options.append(Option(job: j, shape: s, accelerator: k, column: sel,
                                              kind: .spread(nodes: scopeNodes, workerColumns: workerColumns, usedColumns: usedColumns)))
                    }
                }
            }
        }

        // Columns.
        var m = Model(name: "placement")
        if !kinds.isEmpty {
            m.addVariables(count: kinds.count, lower: 0, upper: 1, kind: .continuous)
            for c in kinds.indices {
                let v = m.variable(at: c)
                m.setKind(v, kinds[c])
                m.setBounds(v, lower: 0, upper: upper[c])
            }
        }
        // Rows.
        var starts: [Int] = [0]
        var columns: [Int32] = []
        var values: [Double] = []
        var lower: [Double] = []
        var upperRows: [Double] = []
        func row(_ entries: [(Int, Double)], _ lo: Double, _ hi: Double) {
            guard !entries.isEmpty else { return }
            for (c, a) in entries { columns.append(Int32(c)); values.append(a) }
            starts.append(columns.count)
            lower.append(lo)
            upperRows.append(hi)
        }
        for entries in jobRows { row(entries, -.infinity, 1) }
        for n in nodes.indices { row(nodeRows[n], -.infinity, Double(max(0, nodes[n].free))) }
        for g in instance.groups.indices where groupHasSingleGPU[g] {
            // Only needed when one-GPU jobs count at group level.
            let free = instance.groups[g].nodes.reduce(0) { $0 + max(0, nodes[$1].free) }
            row(groupRows[g], -.infinity, Double(free))
        }
        for t in instance.tenants.indices where instance.tenantQuota[t] != Int.max {
            row(quotaRows[t], -.infinity, Double(instance.tenantQuota[t]))
        }
        for (j, job) in instance.jobs.enumerated() {
            if let budget = job.budgetPerHour { row(budgetRows[j], -.infinity, budget) }
        }
        for (entries, lo, hi) in linkRows { row(entries, lo, hi) }
        m.addConstraints(rowStarts: starts, columns: columns, coefficients: values, lower: lower, upper: upperRows)
        model = m
        objectives = coefficients
    }
}
