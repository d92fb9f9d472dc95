/// Local search on top of the greedy placement: re-placement, pair exchange and make-room moves.
/// Every move is accepted only when the lexicographic term vector strictly improves.
extension GreedyPlacer {
    /// Local improvement: re-place each placed job if a strictly better option exists now, then
    /// retry the unplaced jobs; repeats while something improves, until `deadline`.
    ///
    /// A job whose vector already reaches its ceiling (``Ceilings``) is not re-placed: no option can be
    /// strictly better (a max-utilization plan's single-shape jobs, say). With `settled`, the
    /// unplaced jobs were last tried against at least the capacity there is now (right after a
    /// greedy pass, which only takes capacity): a round that moves nothing does not retry them.
    mutating func improve(order: [Int], rounds: Int, deadline: ContinuousClock.Instant, settled: Bool = false) {
        guard !firstFit, rounds > 0 else { return }
        let ceilings = Ceilings(placer: self)
        for round in 0..<rounds {
            var improved = false
            for j in order {
                guard let old = decisions[j] else { continue }
                if ContinuousClock.now >= deadline { return }
                let oldVector = vector(of: old, job: j, withKeepBonus: true)
                if Lexicographic.cannotExceed(ceilings.of(j), oldVector, tolerance: 1e-7) { continue }
                release(j)
                let (candidate, _) = bestCandidate(for: j)
                if let candidate, Lexicographic.compare(candidate.vector, oldVector, tolerance: 1e-7) > 0 {
                    commit(j, candidate.decision)
                    improved = true
                } else {
                    commit(j, old)
                }
            }
            if improved || !(settled && round == 0) {
                let before = decisions.lazy.filter { $0 != nil }.count
                place(order: order)
                if decisions.lazy.filter({ $0 != nil }).count > before { improved = true }
            }
            if !improved || ContinuousClock.now >= deadline { return }
        }
    }

    /// The best term vector each job could reach anywhere, entry by entry: an upper bound on every
    /// candidate's vector (the cheapest price and best availability of the job's accelerator in
    /// the pool, the largest shape, the best throughput), so a job at its ceiling cannot improve.
    /// Computed for every job at once: the searches ask for them job after job.
    struct Ceilings {
        /// Job `j`'s ceiling is `values[j * width ..< (j + 1) * width]`.
        private let values: [Double]
        let width: Int

        init(placer: GreedyPlacer) {
            let groups = placer.instance.groups
            // Per accelerator: the lowest price per GPU (the placer's) and the best `log P` of its groups.
            let cheapest = placer.cheapestPrice
            let mostAvailable = placer.groupsByAccelerator.map { $0.map { groups[$0].logAvailability }.max() ?? 0 }
            let terms = placer.terms
            width = terms.count
            var values = [Double](repeating: -.infinity, count: placer.instance.jobs.count * terms.count)
            for (j, job) in placer.instance.jobs.enumerated() {
                for (s, shape) in job.shapes.enumerated() {
                    for k in placer.groupsByAccelerator.indices where shape.allows(k) && !placer.groupsByAccelerator[k].isEmpty {
                        // A gang's log P sums ≤ 0 entries over its nodes: at most the best single node's.
                        for (t, term) in terms.enumerated() {
                            let v = placer.context.value(
                                term, job: j, priority: job.priority, gpus: shape.gpus, referenceGPUs: job.referenceGPUs, shape: s,
                                accelerator: k, costPerHour: cheapest[k] * Double(shape.gpus), logAvailability: mostAvailable[k])
                            values[j * terms.count + t] = max(values[j * terms.count + t], v)
                        }
                    }
                }
            }
            self.values = values
        }

        func of(_ j: Int) -> [Double] { Array(values[j * width ..< (j + 1) * width]) }

        /// Entry `t` of job `j`'s ceiling.
        func value(_ j: Int, _ t: Int) -> Double { values[j * width + t] }
    }

    /// Pair exchange: a single-node job that would score better on a full node of another group
    /// takes a place there by moving one of that node's jobs wherever it fits best (often into the
    /// place it leaves). Accepted only when the two jobs' term vectors improve together. Jobs that
    /// already sit in their best group are skipped, so utilisation-only plans pay almost nothing.
    mutating func exchange(order: [Int], deadline: ContinuousClock.Instant, partnersPerJob: Int) {
        guard !firstFit, partnersPerJob > 0 else { return }
        let ceilings = Ceilings(placer: self)
        // Per gang size: each accelerator's ranked groups that have a node that large (a job of 8
        // GPUs need not scan the thousands of smaller community hosts).
        var rankedBySize: [Int: [[Int]]] = [:]
        for a in order {
            guard let oldA = decisions[a], !oldA.kept, oldA.parts.count == 1 else { continue }
            if ContinuousClock.now >= deadline { return }
            let shape = instance.jobs[a].shapes[oldA.shape]
            guard instance.jobs[a].locality == .node || shape.workers == 1 else { continue }
            let current = vector(of: oldA, job: a, withKeepBonus: true)
            // The groups where `a` would score better, best first, produced lazily: a job placed
            // at a high price under min-cost can have thousands of better (community) groups, and
            // the search ends at its first accepted swap or after `partnersPerJob` tries, so it
            // need not list and sort them all first.
            if rankedBySize[shape.gpus] == nil {
                rankedBySize[shape.gpus] = rankedGroupsByAccelerator.map { $0.filter { instance.groups[$0].maxNodeGPUs >= shape.gpus } }
            }
            var better = BetterGroups(placer: self, ranked: rankedBySize[shape.gpus] ?? [], job: a, shape: oldA.shape, current: current)
            var tries = 0
            search: while let g = better.next(placer: self) {
                // Nodes that cannot take `a` now (fewer than its GPUs free), most free GPUs first
                // (the fewest to move out of the way).
                var free = index.largestFree(group: g, below: shape.gpus)
                while let f = free {
                    defer { free = index.largestFree(group: g, below: f) }
                    for n in index.nodes(group: g, free: f) where instance.nodes[n].gpuCount >= shape.gpus {
                        for b in occupants[n] where b != a && f + movableSingleNodeGPUs[b] >= shape.gpus {
                            guard let oldB = decisions[b] else { continue }
                            tries += 1
                            // The swap's best case (a on n, b at its ceiling) cannot beat the two
                            // as they are: skip the moves and b's candidate search.
                            let moved = PlacementDecision(shape: oldA.shape, accelerator: instance.nodes[n].accelerator,
                                                          parts: [.init(node: n, workers: shape.workers)])
                            var upper = vector(of: moved, job: a, withKeepBonus: false)
                            var before = current
                            let currentB = vector(of: oldB, job: b, withKeepBonus: true)
                            for t in upper.indices {
                                upper[t] += ceilings.value(b, t)
                                before[t] += currentB[t]
                            }
                            if Lexicographic.cannotExceed(upper, before, tolerance: 1e-7) {
                                if tries >= partnersPerJob { break search }
                                continue
                            }
                            if trySwap(a, oldA, b, oldB, node: n) { break search }
                            if tries >= partnersPerJob { break search }
                        }
                    }
                }
            }
        }
    }

    /// The groups in which a single-node job would score strictly better than it does now, best
    /// first (ties: lower group index), without listing them all: per accelerator the groups
    /// come in preference order (``rankedGroupsByAccelerator``), in which the job's vector only
    /// falls, so the streams are merged head by head and each ends at its first group that is not
    /// better.
    struct BetterGroups {
        private let job: Int, shape: Int, gpus: Int
        private let budget: Double?
        private let current: [Double]
        /// Per accelerator: its groups in preference order (those with a node of at least `gpus`).
        private let ranked: [[Int]]
        /// Per accelerator that the shape allows: the next position in its ranked groups, and the
        /// head (the next better, eligible group) with its vector.
        private var streams: [(k: Int, position: Int, head: (group: Int, vector: [Double])?)] = []
        /// The entries of the vector that differ between groups of one accelerator.
        private let costEntries: [Int], availabilityEntries: [Int]

        init(placer: GreedyPlacer, ranked: [[Int]], job a: Int, shape s: Int, current: [Double]) {
            job = a
            shape = s
            let demand = placer.instance.jobs[a].shapes[s]
            gpus = demand.gpus
            budget = placer.instance.jobs[a].budgetPerHour
            self.current = current
            self.ranked = ranked
            costEntries = placer.terms.indices.filter { placer.terms[$0] == .cost }
            availabilityEntries = placer.terms.indices.filter { placer.terms[$0] == .availability }
            for k in ranked.indices where demand.allows(k) {
                let v = placer.terms.map {
                    placer.context.value($0, job: a, priority: placer.instance.jobs[a].priority, gpus: demand.gpus,
                                         referenceGPUs: placer.instance.jobs[a].referenceGPUs, shape: s, accelerator: k,
                                         costPerHour: 0, logAvailability: 0)
                }
                streams.append((k, 0, (-1, v)))
                advance(streams.count - 1, placer: placer)
            }
        }

        /// The best remaining group, or nil when no group is better.
        mutating func next(placer: GreedyPlacer) -> Int? {
            var best: Int?
            for i in streams.indices {
                guard let head = streams[i].head else { continue }
                if let b = best, let other = streams[b].head {
                    let c = Lexicographic.compare(head.vector, other.vector)
                    if c < 0 || (c == 0 && head.group > other.group) { continue }
                }
                best = i
            }
            guard let best, let head = streams[best].head else { return nil }
            advance(best, placer: placer)
            return head.group
        }

        /// Moves stream `i` from its head to the next better, eligible group (or ends it).
        private mutating func advance(_ i: Int, placer: GreedyPlacer) {
            guard var v = streams[i].head?.vector else { return }
            streams[i].head = nil
            let groups = ranked[streams[i].k]
            while streams[i].position < groups.count {
                let g = groups[streams[i].position]
                streams[i].position += 1
                // Within one model only the cost and availability entries differ between groups.
                let cost = placer.instance.groups[g].pricePerGPU * Double(gpus)
                for t in costEntries { v[t] = -cost }
                for t in availabilityEntries { v[t] = placer.instance.groups[g].logAvailability }
                if Lexicographic.compare(v, current, tolerance: 1e-7) <= 0 { return }
                guard placer.instance.eligible(job: job, shape: shape, group: g) else { continue }
                if let budget, cost > budget + 1e-9 { continue }
                streams[i].head = (g, v)
                return
            }
        }
    }

    private mutating func trySwap(_ a: Int, _ oldA: PlacementDecision, _ b: Int, _ oldB: PlacementDecision, node n: Int) -> Bool {
        var before = vector(of: oldA, job: a, withKeepBonus: true)
        let vb = vector(of: oldB, job: b, withKeepBonus: true)
        for t in before.indices { before[t] += vb[t] }
        release(a)
        release(b)
        let shapeA = instance.jobs[a].shapes[oldA.shape]
        guard index.free[n] >= shapeA.gpus else {
            commit(b, oldB)
            commit(a, oldA)
            return false
        }
        let moved = PlacementDecision(shape: oldA.shape, accelerator: instance.nodes[n].accelerator,
                                      parts: [.init(node: n, workers: shapeA.workers)])
        commit(a, moved)
        if let candidate = bestCandidate(for: b).0 {
            commit(b, candidate.decision)
            var after = vector(of: moved, job: a, withKeepBonus: false)
            for t in after.indices { after[t] += candidate.vector[t] }
            if Lexicographic.compare(after, before, tolerance: 1e-7) > 0 { return true }
            release(b)
        }
        release(a)
        commit(b, oldB)
        commit(a, oldA)
        return false
    }

    /// Repair for unplaced jobs that need one node: free a node by moving its smaller jobs
    /// elsewhere (or, when that is still a net gain, leaving some of them unplaced), accepting the
    /// change only if the total term vector improves. Repeats while something improves.
    mutating func makeRoom(order: [Int], deadline: ContinuousClock.Instant, maxNodesPerJob: Int = 24) {
        guard !firstFit else { return }
        for _ in 0..<3 {
            var improved = false
            for j in order where decisions[j] == nil {
                if ContinuousClock.now >= deadline { return }
                if makeRoom(for: j, maxNodes: maxNodesPerJob) { improved = true }
            }
            if !improved { return }
        }
    }

    private mutating func makeRoom(for j: Int, maxNodes: Int) -> Bool {
        let job = instance.jobs[j]
        for s in job.shapes.indices {
            let shape = job.shapes[s]
            let demand = shape.gpus
            guard job.locality == .node || shape.workers == 1, demand <= tenantRemaining[job.tenant] else { continue }
            var tried = 0
            for k in groupsByAccelerator.indices where shape.allows(k) {
                for g in groupsByAccelerator[k] {
                    let group = instance.groups[g]
                    guard group.maxNodeGPUs >= demand, instance.eligible(job: j, shape: s, group: g) else { continue }
                    if let budget = job.budgetPerHour, group.pricePerGPU * Double(demand) > budget + 1e-9 { continue }
                    // Nodes with the most free GPUs first: the fewest jobs to move.
                    var f = min(demand - 1, index.maxFree(group: g))
                    while f >= 0 && tried < maxNodes {
                        for n in index.nodes(group: g, free: f) where instance.nodes[n].gpuCount >= demand {
                            tried += 1
                            if tryMakeRoom(job: j, shape: s, accelerator: k, node: n) { return true }
                            if tried >= maxNodes { break }
                        }
                        f -= 1
                    }
                }
            }
        }
        return false
    }

    private mutating func tryMakeRoom(job j: Int, shape s: Int, accelerator k: Int, node n: Int) -> Bool {
        let demand = instance.jobs[j].shapes[s].gpus
        let tiers = terms.contains { if case .tier = $0 { return true }; return false }
        // Movable: single-node jobs on n; jobs kept in place only when of a lower tier (preemption).
        var movable = occupants[n].filter { i in
            guard let d = decisions[i], d.parts.count == 1 else { return false }
            if d.kept { return tiers && instance.jobs[i].priority < instance.jobs[j].priority }
            return true
        }
        movable.sort { a, b in
            let ga = instance.jobs[a].shapes[decisions[a]?.shape ?? 0].gpus
            let gb = instance.jobs[b].shapes[decisions[b]?.shape ?? 0].gpus
            return (ga, a) < (gb, b)
        }
        var freed = index.free[n]
        var moved: [(job: Int, old: PlacementDecision)] = []
        for i in movable where freed < demand {
            guard let d = decisions[i] else { continue }
            freed += instance.jobs[i].shapes[d.shape].gpus
            moved.append((i, d))
        }
        guard freed >= demand else { return false }
        var before = [Double](repeating: 0, count: terms.count)
        for (i, old) in moved {
            let v = vector(of: old, job: i, withKeepBonus: true)
            for t in before.indices { before[t] += v[t] }
            release(i)
        }
        let placement = PlacementDecision(shape: s, accelerator: k, parts: [.init(node: n, workers: instance.jobs[j].shapes[s].workers)])
        commit(j, placement)
        var after = vector(of: placement, job: j, withKeepBonus: false)
        var placedAgain: [Int] = []
        for (i, _) in moved.reversed() {
            guard let candidate = bestCandidate(for: i).0 else { continue }
            commit(i, candidate.decision)
            placedAgain.append(i)
            for t in after.indices { after[t] += candidate.vector[t] }
        }
        if Lexicographic.compare(after, before, tolerance: 1e-7) > 0 {
            failures[j] = []
            for (i, _) in moved where decisions[i] == nil { failures[i] = .capacity }
            return true
        }
        for i in placedAgain { release(i) }
        release(j)
        for (i, old) in moved { commit(i, old) }
        return false
    }
}
