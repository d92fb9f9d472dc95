/// An assignment under construction or search, with the bin loads it implies.
///
/// `binOf[i] == -1` means "not placed": either not placed yet by a construction or impossible
/// to place. Optional items that are left out sit in the instance's pseudo-bin instead.
struct SearchState: Sendable {
    var binOf: [Int32]
    /// `load[bin * dimensionCount + k]`, including the pseudo-bin (always 0 there).
    var load: [Double]
    /// Sum of the minimisation-form costs of the placed items.
    var cost: Double

    init(itemCount: Int, instance: SearchInstance) {
        binOf = [Int32](repeating: -1, count: itemCount)
        load = [Double](repeating: 0, count: instance.binCount * instance.dimensionCount)
        cost = 0
    }

    /// A state with the given bins, loads recomputed from scratch.
    init(binOf: [Int32], instance: SearchInstance) {
        self.init(itemCount: binOf.count, instance: instance)
        for (item, bin) in binOf.enumerated() where bin >= 0 { place(item, Int(bin), instance) }
    }

    @inline(__always) mutating func place(_ item: Int, _ bin: Int, _ instance: SearchInstance) {
        let d = instance.dimensionCount
        let base = (item * instance.binCount + bin) * d
        for k in 0..<d { load[bin * d + k] += instance.demand[base + k] }
        cost += instance.cost[item * instance.binCount + bin]
        binOf[item] = Int32(bin)
    }

    @inline(__always) mutating func remove(_ item: Int, _ instance: SearchInstance) {
        let bin = Int(binOf[item])
        guard bin >= 0 else { return }
        let d = instance.dimensionCount
        let base = (item * instance.binCount + bin) * d
        for k in 0..<d { load[bin * d + k] -= instance.demand[base + k] }
        cost -= instance.cost[item * instance.binCount + bin]
        binOf[item] = -1
    }

    @inline(__always) mutating func move(_ item: Int, to bin: Int, _ instance: SearchInstance) {
        remove(item, instance)
        place(item, bin, instance)
    }

    /// Whether `item` fits into `bin` on top of the current load (ignoring where it is now).
    @inline(__always) func fits(_ item: Int, _ bin: Int, _ instance: SearchInstance) -> Bool {
        let d = instance.dimensionCount
        let base = (item * instance.binCount + bin) * d
        for k in 0..<d where load[bin * d + k] + instance.demand[base + k] > instance.limit[bin * d + k] {
            return false
        }
        return true
    }

    /// Whether every bin's load is within its limit.
    func withinCapacity(_ instance: SearchInstance) -> Bool {
        for index in load.indices where load[index] > instance.limit[index] { return false }
        return true
    }

    /// Number of placed items that are not placeable items (mandatory items still at -1, except impossible ones).
    func missingCount(_ instance: SearchInstance) -> Int {
        var count = 0
        for item in binOf.indices where binOf[item] < 0 && instance.impossible[item] == nil { count += 1 }
        return count
    }

    /// Recomputes loads and cost from `binOf` (removes drift from incremental updates).
    mutating func refresh(_ instance: SearchInstance) {
        self = SearchState(binOf: binOf, instance: instance)
    }
}
