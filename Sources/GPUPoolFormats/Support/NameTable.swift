/// A hash table from names, given as byte ranges of a file buffer, to dense ids (0, 1, 2, … in
/// insertion order), so readers look names up without building a `String` per field.
struct NameTable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing: `0` is empty, else the high 32 bits of the hash and `id + 1` (so most
    /// misses and collisions are settled without touching the name bytes).
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always) private static func tag(_ h: UInt64) -> UInt64 { h & 0xFFFF_FFFF_0000_0000 }

    /// Number of names.
    var count: Int { hashes.count }

    /// The id of the name `p[start..<end]`, or `nil`.
    func find(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let h = Self.hash(p, start, end)
        let tag = Self.tag(h)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(entry & 0xFFFF_FFFF) - 1
                if equals(id, p, start, end) { return id }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Inserts `p[start..<end]` unless present; returns its id and whether it was new.
    mutating func insert(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (id: Int, inserted: Bool) {
        let h = Self.hash(p, start, end)
        let tag = Self.tag(h)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(entry & 0xFFFF_FFFF) - 1
                if equals(id, p, start, end) { return (id, false) }
            }
            slot = (slot + 1) & mask
        }
        let id = hashes.count
        hashes.append(h)
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<end]))
        offsets.append(arena.count)
        slots[slot] = tag | UInt64(id + 1)
        if hashes.count * 2 > slots.count { grow() }
        return (id, true)
    }

    /// Inserts a name given as a string.
    mutating func insert(_ name: String) -> (id: Int, inserted: Bool) {
        let bytes = Array(name.utf8)
        return bytes.withUnsafeBufferPointer { insert($0, 0, $0.count) }
    }

    /// Looks up a name given as a string.
    func find(_ name: String) -> Int? {
        let bytes = Array(name.utf8)
        return bytes.withUnsafeBufferPointer { find($0, 0, $0.count) }
    }

    /// The name with `id`, decoded as UTF-8 (callers validate bytes before inserting).
    func string(_ id: Int) -> String {
        String(decoding: arena[offsets[id]..<offsets[id + 1]], as: UTF8.self)
    }

    private func equals(_ id: Int, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let s = offsets[id], e = offsets[id + 1]
        guard e - s == end - start else { return false }
        return arena.withUnsafeBufferPointer { a in
            var i = s, j = start
            while i < e {
                if a[i] != p[j] { return false }
                i += 1; j += 1
            }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for id in hashes.indices {
            let h = hashes[id]
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.tag(h) | UInt64(id + 1)
        }
    }

    /// FNV-1a with a final avalanche, so that names differing only at the end spread out.
    private static func hash(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01b3
            i += 1
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}
