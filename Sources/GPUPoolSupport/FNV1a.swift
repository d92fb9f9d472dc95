/// 64-bit FNV-1a over bytes: a fast, stable, non-cryptographic hash for cache keys and request
/// fingerprints (the same value on every run and platform, unlike `Hasher`).
package struct FNV1a: Sendable {
    /// The hash of the bytes added so far.
    package private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    package init() {}

    @inlinable
    package mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    @inlinable
    package mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for byte in bytes { add(byte) }
    }
}
