import GPUPoolSupport

/// Tunable settings of ``TabuSearch``. The defaults were chosen on random instances of the
/// Chu–Beasley families and on the OR-Library C/D files together, comparing runs of equal work
/// (short tenures and a fast-oscillating penalty did best across all of them).
struct TabuParameters: Sendable {
    /// A move's reverse stays tabu for `tenureMin + U{0, …, tenureSpan − 1}` iterations.
    var tenureMin = 2
    var tenureSpan = 5
    /// Multiplicative step of the penalty weight per iteration (strategic oscillation): ×(1+step)
    /// while infeasible, ÷(1+step) while feasible.
    var penaltyStep = 1.0
    /// Iterations without a new best before restarting from the best with a perturbation,
    /// as a multiple of the item count.
    var restartFactor = 30.0
    /// Share of items moved at random by a restart's perturbation.
    var perturbationShare = 0.05
    /// Largest number of swap pairs scanned per iteration; above it, swap rows are sampled.
    var swapPairLimit = 40_000
    /// Whether ejection chains of length two are part of the neighbourhood.
    var chains = true
}

/// Tabu search over complete assignments with a penalty for capacity excess.
///
/// Every placeable item always sits in one of its allowed bins (optional items possibly in the
/// pseudo-bin); capacities may be exceeded during the search at a cost of `α · Σ excess/capacity`.
/// Each iteration takes the best non-tabu shift, swap or ejection chain (item `i` into bin `b`,
/// an item of `b` on to a third bin) — a tabu move only when it gives a new best feasible
/// solution; moving an item out of a bin forbids moving it back for a random tenure. `α` grows
/// while the current solution is infeasible and shrinks while it is feasible, so the search
/// oscillates around the feasibility boundary, where good GAP solutions lie.
/// After a long run without a new best it restarts from the best solution with a random
/// perturbation. All randomness comes from the seeded generator.
final class TabuSearch {
    let instance: SearchInstance
    let parameters: TabuParameters
    private let n: Int, m: Int, d: Int
    private var rng: SeededGenerator

    // The instance's data (shared with it, never copied). Layouts as in ``SearchInstance``.
    private let cost: [Double]
    private let demand: [Double]
    private let limit: [Double]
    private let weight: [Double]
    private let allowed: [Bool]

    // The current assignment and its bookkeeping.
    private var binOf: [Int32]
    /// `load[bin * d + k]`.
    private var load: [Double]
    private var binPenalty: [Double]
    private var binViolations: [Int]
    /// `tabuUntil[item * m + bin]`: moving the item into the bin is tabu up to this iteration.
    private var tabuUntil: [Int]
    /// Scratch of ``bestMove(iteration:)``, kept between iterations to save allocations.
    private var scratch: MoveScratch
    /// Items per bin, with each item's position, for swap scans by bin pair.
    private var members: [[Int32]]
    private var position: [Int]
    /// Items that can move at all (two or more allowed bins).
    private let movable: [Bool]

    private var currentCost = 0.0
    private var violatedCount = 0
    private var alpha = 1.0
    private(set) var bestCost = Double.infinity
    private(set) var bestBinOf: [Int32]? = nil
    private var leastExcess = Double.infinity
    private var leastExcessBinOf: [Int32] = []

    init(instance: SearchInstance, seed: UInt64, parameters: TabuParameters = TabuParameters()) {
        self.instance = instance
        self.parameters = parameters
        n = instance.itemCount
        m = instance.binCount
        d = instance.dimensionCount
        rng = SeededGenerator(seed: seed)
        cost = instance.cost
        demand = instance.demand
        limit = instance.limit
        weight = instance.excessWeight
        allowed = instance.allowed
        binOf = [Int32](repeating: -1, count: n)
        load = [Double](repeating: 0, count: m * d)
        binPenalty = [Double](repeating: 0, count: m)
        binViolations = [Int](repeating: 0, count: m)
        tabuUntil = [Int](repeating: 0, count: n * m)
        scratch = MoveScratch(itemCount: n)
        members = [[Int32]](repeating: [], count: m)
        position = [Int](repeating: -1, count: n)
        movable = (0..<n).map { instance.allowedStart[$0 + 1] - instance.allowedStart[$0] >= 2 }
    }

    // MARK: State bookkeeping

    @inline(__always) private func excess(_ value: Double, _ index: Int) -> Double {
        let over = value - limit[index]
        return over > 0 ? over * weight[index] : 0
    }

    private func refreshBin(_ bin: Int) {
        var penalty = 0.0, violations = 0
        for k in 0..<d {
            let index = bin * d + k
            if load[index] > limit[index] {
                penalty += (load[index] - limit[index]) * weight[index]
                violations += 1
            }
        }
        violatedCount += violations - binViolations[bin]
        binPenalty[bin] = penalty
        binViolations[bin] = violations
    }

    private func assign(_ item: Int, to bin: Int) {
        let old = Int(binOf[item])
        if old >= 0 {
            for k in 0..<d { load[old * d + k] -= demand[(item * m + old) * d + k] }
            currentCost -= cost[item * m + old]
            let pos = position[item]
            let last = members[old].removeLast()
            if Int(last) != item {
                members[old][pos] = last
                position[Int(last)] = pos
            }
            refreshBin(old)
        }
        binOf[item] = Int32(bin)
        if bin >= 0 {
            for k in 0..<d { load[bin * d + k] += demand[(item * m + bin) * d + k] }
            currentCost += cost[item * m + bin]
            position[item] = members[bin].count
            members[bin].append(Int32(item))
            refreshBin(bin)
        }
    }

    private var totalPenalty: Double {
        var total = 0.0
        for b in 0..<m { total += binPenalty[b] }
        return total
    }

    /// Loads the given complete (or partial) state; unplaced placeable items go to the bin
    /// where they add the least penalised cost.
    private func load(_ state: SearchState) {
        for b in 0..<m { members[b].removeAll(keepingCapacity: true) }
        for index in 0..<(m * d) { load[index] = 0 }
        for b in 0..<m { binPenalty[b] = 0; binViolations[b] = 0 }
        violatedCount = 0
        currentCost = 0
        for item in 0..<n { binOf[item] = -1 }
        for item in 0..<n where state.binOf[item] >= 0 { assign(item, to: Int(state.binOf[item])) }
        for item in 0..<n where state.binOf[item] < 0 && instance.impossible[item] == nil {
            var best = -1, bestValue = Double.infinity
            for b in instance.bins(of: item) {
                let bin = Int(b)
                var added = 0.0
                for k in 0..<d {
                    let index = bin * d + k
                    added += excess(load[index] + demand[(item * m + bin) * d + k], index)
                }
                let value = cost[item * m + bin] + alpha * (added - binPenalty[bin])
                if value < bestValue { bestValue = value; best = bin }
            }
            if best >= 0 { assign(item, to: best) }
        }
    }

    private func snapshot() -> [Int32] { binOf }

    private func recordIfBest() {
        if violatedCount == 0 {
            if currentCost < bestCost - 1e-9 * max(1, abs(bestCost)) || bestBinOf == nil {
                bestCost = currentCost
                bestBinOf = snapshot()
            }
        } else if bestBinOf == nil {
            let excess = totalPenalty
            if excess < leastExcess {
                leastExcess = excess
                leastExcessBinOf = snapshot()
            }
        }
    }

    // MARK: Search

    /// Runs the search from `start` until the budget is spent. Returns the best feasible
    /// complete state found, or else the least infeasible one (for repair) and `false`.
    /// - Parameter stopAt: stop as soon as a feasible solution costs at most this much (a cost
    ///   proven optimal by a bound).
    func run(from start: SearchState, budget: inout SearchBudget, stopAt: Double = -.infinity)
        -> (state: SearchState, feasible: Bool)
    {
        // α starts where moving a typical item fully over capacity costs about one typical cost difference.
        let itemsPerBin = Double(max(n, 1)) / Double(max(instance.realBinCount, 1))
        let initialAlpha = instance.costScale * max(itemsPerBin, 1)
        alpha = initialAlpha
        load(start)
        recordIfBest()
        var lastImprovement = 0
        var iteration = 0
        let restartAfter = max(200, Int(parameters.restartFactor * Double(n)))
        let minAlpha = initialAlpha * 1e-6, maxAlpha = initialAlpha * 1e6

        while bestCost > stopAt, budget.next() {
            iteration += 1
            let previousBest = bestCost
            guard step(iteration: iteration) else { break }
            recordIfBest()
            if bestCost < previousBest { lastImprovement = iteration }
            if violatedCount > 0 {
                alpha = min(alpha * (1 + parameters.penaltyStep), maxAlpha)
            } else {
                alpha = max(alpha / (1 + parameters.penaltyStep), minAlpha)
            }
            if iteration - lastImprovement > restartAfter {
                restart(iteration: iteration)
                lastImprovement = iteration
            }
        }
        if let bestBinOf {
            return (SearchState(binOf: bestBinOf, instance: instance), true)
        }
        return (SearchState(binOf: leastExcessBinOf.isEmpty ? snapshot() : leastExcessBinOf, instance: instance), false)
    }

    private func restart(iteration: Int) {
        if let bestBinOf {
            var state = SearchState(itemCount: n, instance: instance)
            state.binOf = bestBinOf
            load(state)
        }
        let moves = max(2, Int(parameters.perturbationShare * Double(n)))
        for _ in 0..<moves {
            let item = rng.nextInt(below: max(n, 1))
            guard n > 0, movable[item] else { continue }
            let bins = instance.bins(of: item)
            guard !bins.isEmpty else { continue }
            let bin = Int(bins[bins.startIndex + rng.nextInt(below: bins.count)])
            if bin != Int(binOf[item]) {
                tabuUntil[item * m + Int(binOf[item])] = iteration + parameters.tenureMin
                assign(item, to: bin)
            }
        }
    }

    /// The best admissible move of an iteration, with random tie-breaking.
    private struct Choice {
        var delta = Double.infinity
        /// Item `i` moves to `bin`; item `j` (if ≥ 0) moves to `jBin`.
        var i = -1, bin = -1, j = -1, jBin = -1
        var ties = 0

        @inline(__always) mutating func offer(
            _ delta: Double, _ i: Int, _ bin: Int, _ j: Int, _ jBin: Int, _ rng: inout SeededGenerator
        ) {
            if delta < self.delta - 1e-12 {
                self.delta = delta; self.i = i; self.bin = bin; self.j = j; self.jBin = jBin; ties = 1
            } else if delta <= self.delta + 1e-12 {
                ties += 1
                if rng.nextInt(below: ties) == 0 { self.i = i; self.bin = bin; self.j = j; self.jBin = jBin }
            }
        }
    }

    /// What ``bestMove(iteration:)`` computes per item on its way, kept between iterations.
    private struct MoveScratch {
        /// Penalty change of taking each item out of its bin.
        var removalDelta: [Double]
        /// Per item, the best and second-best non-tabu bin to shift it into (`2 * item` and
        /// `2 * item + 1`), with the penalised delta of adding it there (its removal not counted)
        /// and the pure cost delta.
        var insertBin: [Int32]
        var insertDelta: [Double]
        var insertCost: [Double]

        init(itemCount n: Int) {
            removalDelta = [Double](repeating: 0, count: n)
            insertBin = [Int32](repeating: -1, count: 2 * n)
            insertDelta = [Double](repeating: 0, count: 2 * n)
            insertCost = [Double](repeating: 0, count: 2 * n)
        }
    }

    /// One tabu iteration: makes the move of ``bestMove(iteration:)`` and makes its reverse tabu.
    /// Returns `false` when no move exists at all.
    private func step(iteration: Int) -> Bool {
        guard let choice = bestMove(iteration: iteration) else { return false }
        let tenure = parameters.tenureMin + rng.nextInt(below: max(parameters.tenureSpan, 1))
        tabuUntil[choice.i * m + Int(binOf[choice.i])] = iteration + tenure
        if choice.j >= 0 { tabuUntil[choice.j * m + Int(binOf[choice.j])] = iteration + tenure }
        assign(choice.i, to: choice.bin)
        if choice.j >= 0 { assign(choice.j, to: choice.jBin) }
        return true
    }

    /// Evaluates all shifts, (possibly sampled) swaps and ejection chains and returns the best
    /// admissible one (ties broken at random), or `nil` when there is none.
    private func bestMove(iteration: Int) -> Choice? {
        withScanBuffers { buffers in scanMoves(iteration: iteration, buffers) }
    }

    /// The arrays of the move scan as buffer pointers, valid only inside ``withScanBuffers(_:)``,
    /// and what the feasibility checks of its aspiration criterion read. The scan makes O(n·m)
    /// reads per iteration; through array subscripts (bounds checks, and uniqueness and
    /// exclusivity checks on the scratch and on the class's stored arrays) the search ran 8–15 %
    /// slower on the GAP files.
    private struct ScanBuffers {
        let cost, demand, limit, weight, load, binPenalty: UnsafeBufferPointer<Double>
        let allowed, movable: UnsafeBufferPointer<Bool>
        let binOf: UnsafeBufferPointer<Int32>
        let tabuUntil: UnsafeBufferPointer<Int>
        let removalDelta, insertDelta, insertCost: UnsafeMutableBufferPointer<Double>
        let insertBin: UnsafeMutableBufferPointer<Int32>
        let binViolations: [Int]
        let violatedCount: Int
        let m: Int, d: Int

        // Whether the state after a move (best-feasible aspiration) violates no capacity.

        private func binFeasible(_ bin: Int, removing: Int, adding: Int) -> Bool {
            for k in 0..<d {
                var value = load[bin * d + k]
                if removing >= 0 { value -= demand[(removing * m + bin) * d + k] }
                if adding >= 0 { value += demand[(adding * m + bin) * d + k] }
                if value > limit[bin * d + k] { return false }
            }
            return true
        }

        func feasibleAfterShift(_ i: Int, from a: Int, to b: Int) -> Bool {
            let others = violatedCount - binViolations[a] - binViolations[b]
            return others == 0 && binFeasible(a, removing: i, adding: -1) && binFeasible(b, removing: -1, adding: i)
        }

        func feasibleAfterChain(_ i: Int, _ a: Int, _ b: Int, _ j: Int, _ c: Int) -> Bool {
            let others = violatedCount - binViolations[a] - binViolations[b] - binViolations[c]
            return others == 0 && binFeasible(a, removing: i, adding: -1) && binFeasible(b, removing: j, adding: i)
                && binFeasible(c, removing: -1, adding: j)
        }

        func feasibleAfterSwap(_ i: Int, _ a: Int, _ j: Int, _ b: Int) -> Bool {
            let others = violatedCount - binViolations[a] - binViolations[b]
            return others == 0 && binFeasible(a, removing: i, adding: j) && binFeasible(b, removing: j, adding: i)
        }
    }

    /// Calls `body` with buffer pointers into the state (read only: nothing writes the state during
    /// the scan) and into the scratch, which is moved out of `self` meanwhile so that it is
    /// uniquely referenced and its writes copy nothing. The pointers do not outlive the call.
    private func withScanBuffers<R>(_ body: (ScanBuffers) -> R) -> R {
        var scratch = MoveScratch(itemCount: 0)
        Swift.swap(&scratch, &self.scratch)
        defer { Swift.swap(&scratch, &self.scratch) }
        let load = self.load, binPenalty = self.binPenalty, binOf = self.binOf, tabuUntil = self.tabuUntil
        let binViolations = self.binViolations, violatedCount = self.violatedCount, m = self.m, d = self.d
        return cost.withUnsafeBufferPointer { cost in
            demand.withUnsafeBufferPointer { demand in
                limit.withUnsafeBufferPointer { limit in
                    weight.withUnsafeBufferPointer { weight in
                        load.withUnsafeBufferPointer { load in
                            binPenalty.withUnsafeBufferPointer { binPenalty in
                                allowed.withUnsafeBufferPointer { allowed in
                                    movable.withUnsafeBufferPointer { movable in
                                        binOf.withUnsafeBufferPointer { binOf in
                                            tabuUntil.withUnsafeBufferPointer { tabuUntil in
                                                scratch.removalDelta.withUnsafeMutableBufferPointer { removalDelta in
                                                    scratch.insertDelta.withUnsafeMutableBufferPointer { insertDelta in
                                                        scratch.insertCost.withUnsafeMutableBufferPointer { insertCost in
                                                            scratch.insertBin.withUnsafeMutableBufferPointer { insertBin in
                                                                body(ScanBuffers(
                                                                    cost: cost, demand: demand, limit: limit, weight: weight,
                                                                    load: load, binPenalty: binPenalty, allowed: allowed,
                                                                    movable: movable, binOf: binOf, tabuUntil: tabuUntil,
                                                                    removalDelta: removalDelta, insertDelta: insertDelta,
                                                                    insertCost: insertCost, insertBin: insertBin,
                                                                    binViolations: binViolations, violatedCount: violatedCount,
                                                                    m: m, d: d
                                                                ))
                                                            }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The scan of ``bestMove(iteration:)`` over the buffers of ``withScanBuffers(_:)``.
    private func scanMoves(iteration: Int, _ buffers: ScanBuffers) -> Choice? {
        var choice = Choice()
        var rng = self.rng
        defer { self.rng = rng }
        let alpha = self.alpha, currentCost = self.currentCost
        let aspirationCost = bestCost - 1e-9 * max(1, abs(bestCost))
        let n = self.n, m = self.m, d = self.d
        let cost = buffers.cost, demand = buffers.demand, limit = buffers.limit, weight = buffers.weight
        let load = buffers.load, binOf = buffers.binOf, binPenalty = buffers.binPenalty
        let tabuUntil = buffers.tabuUntil, allowed = buffers.allowed, movable = buffers.movable
        let removalDelta = buffers.removalDelta, insertBin = buffers.insertBin
        let insertDelta = buffers.insertDelta, insertCost = buffers.insertCost
        let members = self.members

        @inline(__always) func excess(_ value: Double, _ index: Int) -> Double {
            let over = value - limit[index]
            return over > 0 ? over * weight[index] : 0
        }

        // Removal deltas: penalty change of taking each item out of its bin.
        for i in 0..<n {
            let a = Int(binOf[i])
            guard a >= 0 else { continue }
            var after = 0.0
            for k in 0..<d {
                let index = a * d + k
                after += excess(load[index] - demand[(i * m + a) * d + k], index)
            }
            removalDelta[i] = after - binPenalty[a]
        }

        // Shifts: i from a to b is tabu when i left b recently.
        for i in 0..<n where movable[i] {
            let a = Int(binOf[i])
            let costA = cost[i * m + a]
            var best1 = Double.infinity, best2 = Double.infinity, bin1 = -1, bin2 = -1
            var cost1 = 0.0, cost2 = 0.0
            defer {
                insertBin[2 * i] = Int32(bin1); insertDelta[2 * i] = best1; insertCost[2 * i] = cost1
                insertBin[2 * i + 1] = Int32(bin2); insertDelta[2 * i + 1] = best2; insertCost[2 * i + 1] = cost2
            }
            for bb in instance.bins(of: i) {
                let b = Int(bb)
                if b == a { continue }
                var added = 0.0
                for k in 0..<d {
                    let index = b * d + k
                    added += excess(load[index] + demand[(i * m + b) * d + k], index)
                }
                let deltaCost = cost[i * m + b] - costA
                let insertion = deltaCost + alpha * (added - binPenalty[b])
                let tabu = tabuUntil[i * m + b] > iteration
                if !tabu {
                    if insertion < best1 {
                        best2 = best1; bin2 = bin1; cost2 = cost1
                        best1 = insertion; bin1 = b; cost1 = deltaCost
                    } else if insertion < best2 {
                        best2 = insertion; bin2 = b; cost2 = deltaCost
                    }
                }
                let delta = insertion + alpha * removalDelta[i]
                if delta > choice.delta + 1e-12 { continue }
                if tabu {
                    // Aspiration: a tabu move is allowed when it gives a new best feasible solution.
                    guard currentCost + deltaCost < aspirationCost, buffers.feasibleAfterShift(i, from: a, to: b) else { continue }
                }
                choice.offer(delta, i, b, -1, -1, &rng)
            }
        }

        // Swaps: i in a goes to b, j in b goes to a.
        @inline(__always) func swap(_ i: Int, _ a: Int, _ j: Int, _ b: Int, _ choice: inout Choice) {
            let deltaCost = cost[i * m + b] + cost[j * m + a] - cost[i * m + a] - cost[j * m + b]
            // Exact pruning: the penalty can at most drop to zero in both bins.
            if deltaCost - alpha * (binPenalty[a] + binPenalty[b]) > choice.delta + 1e-12 { return }
            var afterA = 0.0, afterB = 0.0
            for k in 0..<d {
                let ia = a * d + k, ib = b * d + k
                afterA += excess(load[ia] - demand[(i * m + a) * d + k] + demand[(j * m + a) * d + k], ia)
                afterB += excess(load[ib] - demand[(j * m + b) * d + k] + demand[(i * m + b) * d + k], ib)
            }
            let delta = deltaCost + alpha * (afterA - binPenalty[a] + afterB - binPenalty[b])
            if delta > choice.delta + 1e-12 { return }
            if tabuUntil[i * m + b] > iteration || tabuUntil[j * m + a] > iteration {
                guard currentCost + deltaCost < aspirationCost, buffers.feasibleAfterSwap(i, a, j, b) else { return }
            }
            choice.offer(delta, i, b, j, a, &rng)
        }

        let pairs = n * (n - 1) / 2
        if pairs <= parameters.swapPairLimit {
            for a in 0..<m where !members[a].isEmpty {
                for b in (a + 1)..<max(m, a + 1) where !members[b].isEmpty {
                    for ii in members[a] {
                        let i = Int(ii)
                        guard allowed[i * m + b] else { continue }
                        for jj in members[b] where allowed[Int(jj) * m + a] {
                            swap(i, a, Int(jj), b, &choice)
                        }
                    }
                }
            }
        } else {
            // Large instances: a random sample of rows, each against every other item.
            let rows = max(1, parameters.swapPairLimit / max(n, 1))
            for _ in 0..<rows {
                let i = rng.nextInt(below: n)
                let a = Int(binOf[i])
                guard a >= 0 else { continue }
                for j in 0..<n {
                    let b = Int(binOf[j])
                    guard b >= 0, b != a, allowed[i * m + b], allowed[j * m + a] else { continue }
                    swap(i, a, j, b, &choice)
                }
            }
        }

        // Ejection chains of length two: i from a into b, j out of b into its best other bin c
        // (c ∉ {a, b}; c == a is the swap above). j's insertion delta into c is unaffected by
        // the first move, so it comes from the shift scan.
        if parameters.chains {
            // j's part can gain at most the best insertion delta of any item.
            var bestInsertion = Double.infinity
            for index in 0..<(2 * n) where insertBin[index] >= 0 { bestInsertion = min(bestInsertion, insertDelta[index]) }
            @inline(__always) func chains(from i: Int) {
                let a = Int(binOf[i])
                let costA = cost[i * m + a]
                let removal = alpha * removalDelta[i]
                for bb in instance.bins(of: i) {
                    let b = Int(bb)
                    if b == a { continue }
                    let tabuI = tabuUntil[i * m + b] > iteration
                    let costIB = cost[i * m + b] - costA
                    let base = costIB + removal - alpha * binPenalty[b]
                    if base + bestInsertion > choice.delta + 1e-12 { continue }
                    for jj in members[b] {
                        let j = Int(jj)
                        var slot = 2 * j
                        if Int(insertBin[slot]) == a { slot += 1 }
                        let c = Int(insertBin[slot])
                        if c < 0 || base + insertDelta[slot] > choice.delta + 1e-12 { continue }
                        var afterB = 0.0
                        for k in 0..<d {
                            let index = b * d + k
                            afterB += excess(load[index] + demand[(i * m + b) * d + k] - demand[(j * m + b) * d + k], index)
                        }
                        let delta = base + alpha * afterB + insertDelta[slot]
                        if delta > choice.delta + 1e-12 { continue }
                        if tabuI {
                            guard currentCost + costIB + insertCost[slot] < aspirationCost,
                                  buffers.feasibleAfterChain(i, a, b, j, c) else { continue }
                        }
                        choice.offer(delta, i, b, j, c, &rng)
                    }
                }
            }
            if n * n <= 2 * parameters.swapPairLimit {
                for i in 0..<n where movable[i] { chains(from: i) }
            } else {
                // Large instances: chains from a random sample of items (about as many chains as swaps).
                for _ in 0..<max(1, 2 * parameters.swapPairLimit / max(n, 1)) {
                    let i = rng.nextInt(below: n)
                    if movable[i] { chains(from: i) }
                }
            }
        }

        return choice.i >= 0 ? choice : nil
    }
}
