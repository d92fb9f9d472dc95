/// An append-only UTF-8 byte buffer for writers (faster than growing a `String`).
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func write(_ text: String) { bytes.append(contentsOf: text.utf8) }
    mutating func write(_ text: Substring) { bytes.append(contentsOf: text.utf8) }
    mutating func newline() { bytes.append(UInt8(ascii: "\n")) }

    mutating func spaces(_ count: Int) {
        if count > 0 { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
    }
}
