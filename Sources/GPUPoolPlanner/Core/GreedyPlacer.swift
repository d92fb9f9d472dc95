/// The scalable placement heuristic.
///
/// Jobs are taken in policy order (tiers, policy key, larger gangs first). For each job every
/// (shape, accelerator, locality scope) option is scored by the lexicographic term vector and the
/// best candidate is committed. Candidates come from the ``FreeCapacityIndex`` buckets: a gang that
/// fits one node goes to the tightest such node; otherwise it is packed onto as few nodes as
/// possible (largest free nodes first, the tail best-fit), filling the policy's preferred groups
/// first. The work per job is O(options × groups in scope × GPUs per node), never O(nodes).
struct GreedyPlacer: Sendable {
    let instance: PlanningInstance
    let terms: [StageTerm]
    let context: TermContext
    /// FIFO baseline: first option that fits, nodes in pool order.
    let firstFit: Bool
    /// Re-planning: relative bonus for a job staying on its current GPUs.
    let migrationPenalty: Double
    private(set) var index: FreeCapacityIndex
    private(set) var tenantRemaining: [Int]
    private(set) var decisions: [PlacementDecision?]
    var failures: [PlacementFailure]
    let groupsByAccelerator: [[Int]]
    /// `groupsByAccelerator` in preference order (``groupRank``).
    let rankedGroupsByAccelerator: [[Int]]
    /// Rank of each group under the group-dependent terms (price, availability); lower is preferred.
    private let groupRank: [Int]
    /// Eligible demand ÷ capacity per accelerator (ties go to the less contended model).
    private let pressure: [Double]
    /// Jobs with GPUs on each node.
    private(set) var occupants: [[Int]]
    /// Per job: its GPUs when it is placed on one node and may move (not kept in place), else 0.
    /// The pair exchange scans occupants by this alone before it looks at any decision.
    private(set) var movableSingleNodeGPUs: [Int]
    /// The lowest price per GPU of any node of each accelerator (∞ without one): a budget below it
    /// rules the model out before any scan, and it is the model's price in the local search's
    /// ceilings.
    let cheapestPrice: [Double]

    init(instance: PlanningInstance, terms: [StageTerm], context: TermContext, firstFit: Bool = false, migrationPenalty: Double = 0) {
        self.instance = instance
        self.terms = terms
        self.context = context
        self.firstFit = firstFit
        self.migrationPenalty = migrationPenalty
        tenantRemaining = instance.tenantQuota
        decisions = [PlacementDecision?](repeating: nil, count: instance.jobs.count)
        failures = [PlacementFailure](repeating: [], count: instance.jobs.count)
        var byAccelerator = [[Int]](repeating: [], count: instance.accelerators.count)
        for (g, group) in instance.groups.enumerated() where group.accelerator < byAccelerator.count {
            byAccelerator[group.accelerator].append(g)
        }
        groupsByAccelerator = byAccelerator
        // Group-dependent preferences, in term order.
        let keys: [[Double]] = instance.groups.map { group in
            terms.compactMap { term -> Double? in
                switch term {
                case .cost: return -group.pricePerGPU
                case .availability: return group.logAvailability
                default: return nil
                }
            }
        }
        let order = instance.groups.indices.sorted { a, b in
            let c = Lexicographic.compare(keys[a], keys[b])
            return c != 0 ? c > 0 : a < b
        }
        var rank = [Int](repeating: 0, count: instance.groups.count)
        for (position, g) in order.enumerated() { rank[g] = position }
        groupRank = rank
        rankedGroupsByAccelerator = byAccelerator.map { $0.sorted { rank[$0] < rank[$1] } }
        index = FreeCapacityIndex(instance: instance, rank: rank)
        occupants = [[Int]](repeating: [], count: instance.nodes.count)
        movableSingleNodeGPUs = [Int](repeating: 0, count: instance.jobs.count)
        pressure = Self.pressure(instance: instance, groupsByAccelerator: byAccelerator)
        var cheapest = [Double](repeating: .infinity, count: instance.accelerators.count)
        for node in instance.nodes where node.group >= 0 && node.accelerator < cheapest.count {
            cheapest[node.accelerator] = min(cheapest[node.accelerator], node.pricePerGPU)
        }
        cheapestPrice = cheapest
    }

    /// Demand per accelerator (each job's GPUs spread evenly over the models it may use) ÷ free GPUs.
    private static func pressure(instance: PlanningInstance, groupsByAccelerator: [[Int]]) -> [Double] {
        var capacity = [Double](repeating: 0, count: instance.accelerators.count)
        for node in instance.nodes where node.usable { capacity[node.accelerator] += Double(max(0, node.free)) }
        var demand = [Double](repeating: 0, count: instance.accelerators.count)
        for (j, job) in instance.jobs.enumerated() {
            let eligible = instance.eligibleAccelerators(job: j)
            let usable = groupsByAccelerator.indices.filter { eligible[$0] }
            guard !usable.isEmpty else { continue }
            let gpus = Double(job.shapes.map(\.gpus).min() ?? 0) / Double(usable.count)
            for k in usable { demand[k] += gpus }
        }
        return demand.indices.map { demand[$0] / max(1, capacity[$0]) }
    }

    // MARK: Committing

    /// Places job `j` as `decision` (capacity and quota are taken).
    mutating func commit(_ j: Int, _ decision: PlacementDecision) {
        let gpw = instance.jobs[j].shapes[decision.shape].gpusPerWorker
        for part in decision.parts {
            index.setFree(part.node, index.free[part.node] - part.workers * gpw)
            occupants[part.node].append(j)
        }
        let tenant = instance.jobs[j].tenant
        if tenantRemaining[tenant] != Int.max {
            tenantRemaining[tenant] -= instance.jobs[j].shapes[decision.shape].gpus
        }
        movableSingleNodeGPUs[j] = decision.parts.count == 1 && !decision.kept ? instance.jobs[j].shapes[decision.shape].gpus : 0
        decisions[j] = decision
    }

    /// Removes job `j`'s placement (capacity and quota are returned).
    mutating func release(_ j: Int) {
        guard let decision = decisions[j] else { return }
        let gpw = instance.jobs[j].shapes[decision.shape].gpusPerWorker
        for part in decision.parts {
            index.setFree(part.node, index.free[part.node] + part.workers * gpw)
            if let i = occupants[part.node].lastIndex(of: j) { occupants[part.node].remove(at: i) }
        }
        let tenant = instance.jobs[j].tenant
        if tenantRemaining[tenant] != Int.max {
            tenantRemaining[tenant] += instance.jobs[j].shapes[decision.shape].gpus
        }
        movableSingleNodeGPUs[j] = 0
        decisions[j] = nil
    }

    // MARK: Passes

    /// Commits the current placement of every job that may stay (re-planning), in job order.
    mutating func keepCurrentPlacements() {
        for j in instance.jobs.indices {
            guard let current = instance.jobs[j].current else { continue }
            let gpw = instance.jobs[j].shapes[current.shape].gpusPerWorker
            var perNode: [Int: Int] = [:]
            var nodesInOrder: [Int] = []
            for worker in current.workers {
                if perNode[worker.node] == nil { nodesInOrder.append(worker.node) }
                perNode[worker.node, default: 0] += 1
            }
            let fits = nodesInOrder.allSatisfy { index.free[$0] >= (perNode[$0] ?? 0) * gpw }
            let quotaOK = tenantRemaining[instance.jobs[j].tenant] >= instance.jobs[j].shapes[current.shape].gpus
            guard fits, quotaOK else { continue }
            commit(j, PlacementDecision(
                shape: current.shape, accelerator: current.accelerator,
                parts: nodesInOrder.map { .init(node: $0, workers: perNode[$0] ?? 0) }, kept: true))
        }
    }

    /// Places every not yet placed job of `order`, one at a time.
    mutating func place(order: [Int]) {
        for j in order where decisions[j] == nil {
            let (candidate, failure) = bestCandidate(for: j)
            if let candidate {
                commit(j, candidate.decision)
                failures[j] = []
            } else {
                failures[j] = failure
            }
        }
    }

    // MARK: Scoring

    /// Sum of the term vectors of all placed jobs (kept ones with the migration bonus).
    func totalVector() -> [Double] {
        var total = [Double](repeating: 0, count: terms.count)
        for (j, decision) in decisions.enumerated() {
            guard let decision else { continue }
            let v = vector(of: decision, job: j, withKeepBonus: true)
            for t in total.indices { total[t] += v[t] }
        }
        return total
    }

    /// The term vector of an existing decision; kept placements get the migration bonus.
    func vector(of decision: PlacementDecision, job j: Int, withKeepBonus: Bool) -> [Double] {
        let shape = instance.jobs[j].shapes[decision.shape]
        let priority = instance.jobs[j].priority, referenceGPUs = instance.jobs[j].referenceGPUs
        var cost = 0.0
        var logA = 0.0
        for part in decision.parts {
            let node = instance.nodes[part.node]
            cost += node.pricePerGPU * Double(part.workers * shape.gpusPerWorker)
            logA += node.logAvailability
        }
        var v = terms.map {
            context.value($0, job: j, priority: priority, gpus: shape.gpus, referenceGPUs: referenceGPUs,
                          shape: decision.shape, accelerator: decision.accelerator, costPerHour: cost, logAvailability: logA)
        }
        if withKeepBonus && decision.kept && migrationPenalty > 0 {
            for i in v.indices { v[i] += migrationPenalty * abs(v[i]) }
        }
        return v
    }

    /// The best candidate for job `j` under the current free capacity, or why there is none.
    func bestCandidate(for j: Int) -> (Candidate?, PlacementFailure) {
        // The job's fields are read one by one: a copy of the whole ``JobDemand`` retains its
        // arrays and strings, on every call of this hottest function.
        let budgetPerHour = instance.jobs[j].budgetPerHour
        let shapes = instance.jobs[j].shapes
        let tenant = instance.jobs[j].tenant
        let locality = instance.jobs[j].locality
        var best: Candidate?
        var failure: PlacementFailure = []
        var sequence = 0
        func consider(_ candidate: Candidate) {
            if let budget = budgetPerHour, candidate.costPerHour > budget * (1 + 1e-12) + 1e-9 {
                failure.insert(.budget)
                return
            }
            if best.map({ candidate.isBetter(than: $0) }) ?? true { best = candidate }
        }
        // Captured by the eligibility filter below instead of `self` (copying the placer per call
        // costs more than the filter).
        let groups = instance.groups
        let groupFree = index.groupFree
        for s in shapes.indices {
            let shape = shapes[s]
            if shape.gpus > tenantRemaining[tenant] {
                failure.insert(.quota)
                continue
            }
            for k in groupsByAccelerator.indices where shape.allows(k) {
                if !firstFit && (locality == .node || shape.workers == 1) {
                    // A gang on one node is within every locality scope: one scan over the active
                    // groups in preference order, which stops early, instead of listing them all
                    // (`candidates` tests each group's memory and provider as it goes).
                    let found = candidates(job: j, shape: s, accelerator: k, scope: index.activeGroups[k], sequence: &sequence)
                    if found.isEmpty { failure.insert(.capacity) }
                    for candidate in found { consider(candidate) }
                    continue
                }
                let job = instance.jobs[j]
                let eligible = index.activeGroups[k].filter { g in
                    groupFree[g] >= shape.gpusPerWorker && groups[g].memoryGiB >= job.minMemoryGiB
                        && job.providerAllowed(groups[g].provider)
                }
                if eligible.isEmpty {
                    failure.insert(.capacity)
                    continue
                }
                for scope in scopes(of: eligible, locality: locality) {
                    let found = candidates(job: j, shape: s, accelerator: k, scope: scope, sequence: &sequence)
                    if found.isEmpty { failure.insert(.capacity) }
                    for candidate in found {
                        consider(candidate)
                        if firstFit && best != nil { return (best, []) }
                    }
                }
            }
        }
        return (best, best == nil ? failure : [])
    }

    /// Splits eligible groups into the scopes the job's locality allows, by ascending scope key,
    /// keeping the preference order inside each scope. `eligible` comes in preference order (a
    /// filter of ``FreeCapacityIndex/activeGroups``), so a stable split by key is enough: no sort
    /// over the thousands of community groups for every gang that spans nodes.
    private func scopes(of eligible: [Int], locality: LocalityScope) -> [[Int]] {
        let groups = instance.groups
        var byKey: [Int: [Int]] = [:]
        switch locality {
        case .node, .any: return [eligible]
        case .region: for g in eligible { byKey[groups[g].region, default: []].append(g) }
        case .provider: for g in eligible { byKey[groups[g].provider, default: []].append(g) }
        }
        return byKey.keys.sorted().map { byKey[$0] ?? [] }
    }

    /// Candidate placements of one shape on one accelerator inside one scope.
    private func candidates<Scope: Collection<Int>>(job j: Int, shape s: Int, accelerator k: Int, scope: Scope,
                                                    sequence: inout Int) -> [Candidate] {
        // Field by field, not a copy of the whole ``JobDemand`` (see `bestCandidate`).
        let shape = instance.jobs[j].shapes[s]
        let locality = instance.jobs[j].locality, preferredRegion = instance.jobs[j].preferredRegion
        let priority = instance.jobs[j].priority, referenceGPUs = instance.jobs[j].referenceGPUs
        let budgetPerHour = instance.jobs[j].budgetPerHour
        let demand = shape.gpus
        let gpw = shape.gpusPerWorker
        let singleNode = locality == .node || shape.workers == 1
        var result: [Candidate] = []

        func make(_ parts: [PlacementDecision.NodePart], leftover: Int) -> Candidate {
            var cost = 0.0
            var logA = 0.0
            var preferred = preferredRegion != nil
            for part in parts {
                let node = instance.nodes[part.node]
                cost += node.pricePerGPU * Double(part.workers * gpw)
                logA += node.logAvailability
                if let r = preferredRegion, node.regionName != r { preferred = false }
            }
            let vector = terms.map {
                context.value($0, job: j, priority: priority, gpus: demand, referenceGPUs: referenceGPUs,
                              shape: s, accelerator: k, costPerHour: cost, logAvailability: logA)
            }
            sequence += 1
            return Candidate(
                decision: PlacementDecision(shape: s, accelerator: k, parts: parts), vector: vector,
                costPerHour: cost, inPreferredRegion: preferred, pressure: pressure[k], nodeCount: parts.count,
                leftover: leftover, sequence: sequence)
        }

        if firstFit {
            if let parts = firstFitParts(scope: Array(scope), workers: shape.workers, gpusPerWorker: gpw, singleNode: singleNode) {
                result.append(make(parts, leftover: 0))
            }
            // The first fit may break the budget while a cheaper fit exists: then the budget-aware
            // candidates below (cheapest per group, cheapest fill) are generated as well.
            let overBudget = budgetPerHour.map { budget in result.allSatisfy { $0.costPerHour > budget * (1 + 1e-12) + 1e-9 } } ?? false
            if !overBudget { return result }
        }

        // The whole gang on one node: the tightest node of each group, the best of them within the
        // budget. Groups differ in price and availability (community hosts are a group each, so a
        // scope can hold thousands): they are compared on scalars and only the winner becomes a
        // Candidate, in the order `Candidate.isBetter` uses.
        var bestSingle: SingleNodeOption?
        var overBudget: SingleNodeOption?
        // The scope is in preference order (price and availability as the terms rank them), so the
        // scan stops once a group's terms are worse than the best option's, or once that option
        // cannot be beaten at all (a perfect fit in the preferred region, or with no preference).
        // Groups and nodes are read field by field: a copy of a ``NodeGroup`` or node retains its
        // arrays and strings, which cost more than the rest of this hot loop.
        // The single-node scan also takes unfiltered scopes (the active groups): memory and
        // provider are tested here, inline, after the free-capacity test that rejects most groups.
        let minMemoryGiB = instance.jobs[j].minMemoryGiB
        let anyProvider = instance.jobs[j].allowedProviders == nil && !instance.jobs[j].deniedProviders.contains(true)
        // Every node of this model is over the budget: each option would be rejected for it, and
        // all that matters is whether one exists (to name the budget rather than capacity), so the
        // scan stops at the first over-budget option instead of visiting every group.
        let overBudgetEverywhere = budgetPerHour.map { cheapestPrice[k] * Double(demand) > $0 * (1 + 1e-12) + 1e-9 } ?? false
        for g in scope where index.groupMaxFree[g] >= demand && instance.groups[g].memoryGiB >= minMemoryGiB
            && (anyProvider || instance.jobs[j].providerAllowed(instance.groups[g].provider)) {
            if let best = bestSingle {
                let groupTerms = SingleNodeOption(node: -1, cost: instance.groups[g].pricePerGPU * Double(demand),
                                                  logAvailability: instance.groups[g].logAvailability, preferred: true, leftover: -1)
                if best.termsBeat(groupTerms, terms: terms) { break }
                if best.leftover == 0 && (best.preferred || preferredRegion == nil) && !groupTerms.termsBeat(best, terms: terms) { break }
            }
            guard let fit = index.bestFit(group: g, atLeast: demand) else { continue }
            let option = SingleNodeOption(
                node: fit.node, cost: instance.nodes[fit.node].pricePerGPU * Double(demand),
                logAvailability: instance.nodes[fit.node].logAvailability,
                preferred: preferredRegion.map { instance.nodes[fit.node].regionName == $0 } ?? false, leftover: fit.free - demand)
            if let budget = budgetPerHour, option.cost > budget * (1 + 1e-12) + 1e-9 {
                if overBudget == nil { overBudget = option }
                if overBudgetEverywhere { break }
                continue
            }
            if bestSingle.map({ option.isBetter(than: $0, terms: terms) }) ?? true { bestSingle = option }
        }
        // An over-budget option is kept only so that the budget is named when nothing else fits.
        if let option = bestSingle ?? overBudget {
            result.append(make([.init(node: option.node, workers: shape.workers)], leftover: option.leftover))
        }
        if singleNode { return result }

        // Several nodes: check the aggregate first, then fill preferred groups first.
        var capacity = 0
        for g in scope {
            capacity += index.workerCapacity(group: g, gpusPerWorker: gpw)
            if capacity >= shape.workers { break }
        }
        guard capacity >= shape.workers else { return result }
        // The scope comes in preference order (``scopes(of:locality:)`` keeps the order of the
        // active groups), so the preferred groups are filled first as they come.
        let preferredFirst = Array(scope)
        assert(zip(preferredFirst, preferredFirst.dropFirst()).allSatisfy { groupRank[$0] < groupRank[$1] },
               "a multi-node scope out of preference order")
        let groups = instance.groups
        if let parts = fill(groups: preferredFirst, workers: shape.workers, gpusPerWorker: gpw) {
            result.append(make(parts, leftover: 0))
        }
        if budgetPerHour != nil {
            let cheapestFirst = scope.sorted { (groups[$0].pricePerGPU, $0) < (groups[$1].pricePerGPU, $1) }
            if let parts = fill(groups: cheapestFirst, workers: shape.workers, gpusPerWorker: gpw) {
                result.append(make(parts, leftover: 0))
            }
        }
        return result
    }

    /// Packs `workers` onto few nodes: per group, the tightest node that takes the whole rest, else
    /// the node with the most free GPUs.
    private func fill(groups: [Int], workers: Int, gpusPerWorker gpw: Int) -> [PlacementDecision.NodePart]? {
        var remaining = workers
        var parts: [PlacementDecision.NodePart] = []
        var taken: [Int] = []
        for g in groups where remaining > 0 {
            while remaining > 0 {
                if let fit = index.bestFit(group: g, atLeast: remaining * gpw, excluding: taken) {
                    parts.append(.init(node: fit.node, workers: remaining))
                    remaining = 0
                    break
                }
                guard let big = index.largest(group: g, atLeast: gpw, excluding: taken) else { break }
                let w = min(remaining, big.free / gpw)
                parts.append(.init(node: big.node, workers: w))
                taken.append(big.node)
                remaining -= w
            }
        }
        return remaining == 0 ? parts : nil
    }

    /// First fit in pool order (FIFO baseline).
    private func firstFitParts(scope: [Int], workers: Int, gpusPerWorker gpw: Int, singleNode: Bool) -> [PlacementDecision.NodePart]? {
        let demand = workers * gpw
        if singleNode {
            for g in scope where index.groupFree[g] >= demand {
                for n in instance.groups[g].nodes where index.free[n] >= demand {
                    return [.init(node: n, workers: workers)]
                }
            }
            return nil
        }
        var remaining = workers
        var parts: [PlacementDecision.NodePart] = []
        for g in scope where index.groupFree[g] >= gpw {
            for n in instance.groups[g].nodes where index.free[n] >= gpw {
                let w = min(remaining, index.free[n] / gpw)
                parts.append(.init(node: n, workers: w))
                remaining -= w
                if remaining == 0 { return parts }
            }
        }
        return nil
    }
}

/// A whole gang on one node, before it becomes a ``Candidate``: what differs between the nodes of one
/// (job, shape, accelerator) — price, availability, preferred region, fit.
struct SingleNodeOption {
    var node: Int
    var cost: Double
    var logAvailability: Double
    var preferred: Bool
    var leftover: Int

    /// `Candidate.isBetter` restricted to what differs here: the cost and availability terms (the
    /// other terms are equal for the same job, shape and accelerator), the preferred region, the fit;
    /// a tie keeps the earlier option.
    func isBetter(than other: SingleNodeOption, terms: [StageTerm]) -> Bool {
        switch compareTerms(other, terms: terms) {
        case 1: return true
        case -1: return false
        default: break
        }
        if preferred != other.preferred { return preferred }
        return leftover < other.leftover
    }

    /// Whether the cost and availability terms alone make `self` better than `other`.
    func termsBeat(_ other: SingleNodeOption, terms: [StageTerm]) -> Bool { compareTerms(other, terms: terms) == 1 }

    /// `1`, `-1` or `0`: the first of the cost and availability terms that tells `self` and `other`
    /// apart, with `Lexicographic`'s tolerance.
    private func compareTerms(_ other: SingleNodeOption, terms: [StageTerm]) -> Int {
        for term in terms {
            let x: Double, y: Double
            switch term {
            case .cost: (x, y) = (-cost, -other.cost)
            case .availability: (x, y) = (logAvailability, other.logAvailability)
            default: continue
            }
            let scale = max(1, abs(x), abs(y))
            if x > y + 1e-9 * scale { return 1 }
            if x < y - 1e-9 * scale { return -1 }
        }
        return 0
    }
}
