/// An append-only UTF-8 byte buffer for writers (faster than growing a `String`).
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func write(_ text: String) { bytes.append(contentsOf: text.utf8) }
    mutating func write(_ text: Substring) { bytes.append(contentsOf: text.utf8) }
    mutating func write(byte: UInt8) { bytes.append(byte) }
    mutating func newline() { bytes.append(UInt8(ascii: "\n")) }

    /// Writes `text` left-aligned in a field of `width` characters (longer text is not cut).
    mutating func write(_ text: String, paddedTo width: Int) {
        bytes.append(contentsOf: text.utf8)
        let padding = width - text.utf8.count
        if padding > 0 { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding)) }
    }

    mutating func spaces(_ count: Int) {
        if count > 0 { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
    }

    /// Column (0-based) of the next byte on the current line.
    var column: Int {
        var k = bytes.count
        while k > 0, bytes[k - 1] != UInt8(ascii: "\n") { k -= 1 }
        return bytes.count - k
    }
}
