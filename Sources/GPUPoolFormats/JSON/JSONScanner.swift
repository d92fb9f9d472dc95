/// A pull scanner over JSON bytes: the reader asks for the value it expects next, so a model of a
/// million terms is read without building a document tree. Tracks the line for errors.
struct JSONScanner {
    let p: UnsafeBufferPointer<UInt8>
    let file: String
    private(set) var i = 0
    private(set) var line = 1

    init(buffer: UnsafeBufferPointer<UInt8>, file: String) {
        p = buffer
        self.file = file
        i = buffer.hasUTF8ByteOrderMark ? 3 : 0
    }

    func fail(_ path: @autoclosure () -> String, _ reason: String) -> FormatError {
        let where_ = path()
        return FormatError(file: file, line: line, reason: where_.isEmpty ? reason : "\(where_): \(reason)")
    }

    /// Skips blanks and returns the next byte without consuming it (0 at the end).
    mutating func peek() -> UInt8 {
        while i < p.count {
            switch p[i] {
            case 0x0A: line += 1; i += 1
            case 0x20, 0x09, 0x0D: i += 1
            default: return p[i]
            }
        }
        return 0
    }

    var atEnd: Bool { i >= p.count }

    /// `what` is an autoclosure: it is often interpolated, and only an error needs it.
    mutating func consume(_ byte: UInt8, _ path: @autoclosure () -> String, expecting what: @autoclosure () -> String) throws(FormatError) {
        guard peek() == byte else { throw fail(path(), "expected \(what()), found \(describeNext())") }
        i += 1
    }

    /// Whether the next byte is `byte`; consumes it if so.
    mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        i += 1
        return true
    }

    mutating func describeNext() -> String {
        let b = peek()
        if atEnd { return "the end of the file" }
        switch b {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(b)))'"
        default: return "byte 0x\(String(b, radix: 16, uppercase: true))"
        }
    }

    /// Reads `null` if it is next.
    mutating func takeNull() throws(FormatError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        guard i + 4 <= p.count, p[i + 1] == UInt8(ascii: "u"), p[i + 2] == UInt8(ascii: "l"), p[i + 3] == UInt8(ascii: "l") else {
            throw fail("", "invalid literal (expected null)")
        }
        i += 4
        return true
    }

    /// Reads a JSON number (strict grammar); `nil` if the next value is not a number.
    mutating func number(_ path: @autoclosure () -> String) throws(FormatError) -> Double? {
        let b = peek()
        guard b == UInt8(ascii: "-") || DecimalNumber.isDigit(b) else { return nil }
        let s = i
        var k = i
        if p[k] == UInt8(ascii: "-") { k += 1 }
        guard k < p.count, DecimalNumber.isDigit(p[k]) else { throw fail(path(), "malformed number") }
        if p[k] == UInt8(ascii: "0") {
            k += 1
        } else {
            while k < p.count && DecimalNumber.isDigit(p[k]) { k += 1 }
        }
        if k < p.count && p[k] == UInt8(ascii: ".") {
            k += 1
            guard k < p.count, DecimalNumber.isDigit(p[k]) else { throw fail(path(), "malformed number (digits must follow the point)") }
            while k < p.count && DecimalNumber.isDigit(p[k]) { k += 1 }
        }
        if k < p.count && (p[k] == UInt8(ascii: "e") || p[k] == UInt8(ascii: "E")) {
            k += 1
            if k < p.count && (p[k] == UInt8(ascii: "+") || p[k] == UInt8(ascii: "-")) { k += 1 }
            guard k < p.count, DecimalNumber.isDigit(p[k]) else { throw fail(path(), "malformed number (digits must follow the exponent)") }
            while k < p.count && DecimalNumber.isDigit(p[k]) { k += 1 }
        }
        if k < p.count, DecimalNumber.isDigit(p[k]) || p[k] == UInt8(ascii: ".") {
            throw fail(path(), "malformed number (no leading zeros in JSON)")
        }
        guard let v = DecimalNumber.parse(p, from: s, to: k, fortranExponent: false) else { throw fail(path(), "malformed number") }
        guard v.isFinite else { throw fail(path(), "number \(String(decoding: UnsafeBufferPointer(rebasing: p[s..<k]), as: UTF8.self)) is out of range") }
        i = k
        return v
    }

    /// Reads a JSON string; `nil` if the next value is not a string.
    mutating func string(_ path: @autoclosure () -> String) throws(FormatError) -> String? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        i += 1
        let s = i
        var simple = true
        while i < p.count {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                break
            } else if b == UInt8(ascii: "\\") {
                simple = false
                i += 2
            } else if b < 0x20 {
                throw fail(path(), "control character in a string (escape it as \\u00\(String(format2: b)))")
            } else {
                i += 1
            }
        }
        guard i < p.count else { throw fail(path(), "string not closed before the end of the file") }
        let e = i
        i += 1
        if simple {
            let bytes = UnsafeBufferPointer(rebasing: p[s..<e])
            // ASCII needs no validation; the generic validating initializer costs more than the
            // rest of reading a small model.
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw fail(path(), "string is not valid UTF-8")
            }
            return text
        }
        return try unescape(s, e, path())
    }

    private func unescape(_ s: Int, _ e: Int, _ path: String) throws(FormatError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(e - s)
        var k = s
        func hex4(_ at: Int) throws(FormatError) -> UInt32 {
            guard at + 4 <= e else { throw fail(path, "incomplete \\u escape") }
            var v: UInt32 = 0
            for d in p[at..<(at + 4)] {
                let digit: UInt32
                switch d {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(d - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(d - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(d - UInt8(ascii: "A") + 10)
                default: throw fail(path, "invalid \\u escape")
                }
                v = v << 4 | digit
            }
            return v
        }
        while k < e {
            let b = p[k]
            guard b == UInt8(ascii: "\\") else {
                bytes.append(b)
                k += 1
                continue
            }
            guard k + 1 < e else { throw fail(path, "incomplete escape") }
            let c = p[k + 1]
            k += 2
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(c)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(k)
                k += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard k + 6 <= e, p[k] == UInt8(ascii: "\\"), p[k + 1] == UInt8(ascii: "u") else {
                        throw fail(path, "unpaired surrogate in \\u escape")
                    }
                    let low = try hex4(k + 2)
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail(path, "unpaired surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw fail(path, "unpaired surrogate in \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail(path, "invalid \\u escape") }
                bytes.append(contentsOf: String(Character(u)).utf8)
            default:
                throw fail(path, "invalid escape '\\\(Character(Unicode.Scalar(c)))'")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw fail(path, "string is not valid UTF-8") }
        return text
    }

    /// Position inside an object being read member by member, with the member names seen so far
    /// (to reject duplicates). Objects of the model format have a handful of members, so a linear
    /// scan of a small array beats hashing; a `Set` takes over past 16 names.
    struct ObjectCursor {
        var first = true
        private var few: [String] = []
        private var many: Set<String>?

        /// Records `key`; false if it was seen before.
        mutating func insert(_ key: String) -> Bool {
            if many == nil {
                if few.contains(key) { return false }
                if few.count < 16 {
                    if few.isEmpty { few.reserveCapacity(8) }
                    few.append(key)
                    return true
                }
                many = Set(few)
            }
            return many!.insert(key).inserted
        }
    }

    /// Position inside an array being read element by element.
    struct ArrayCursor {
        var first = true
        var index = -1
    }

    mutating func beginObject(_ path: @autoclosure () -> String) throws(FormatError) -> ObjectCursor {
        try consume(UInt8(ascii: "{"), path(), expecting: "an object")
        return ObjectCursor()
    }

    /// The next member name (positioned at its value), or `nil` after the closing `}`.
    mutating func nextKey(_ cursor: inout ObjectCursor, _ path: @autoclosure () -> String) throws(FormatError) -> String? {
        if cursor.first {
            cursor.first = false
            if take(UInt8(ascii: "}")) { return nil }
        } else if !take(UInt8(ascii: ",")) {
            try consume(UInt8(ascii: "}"), path(), expecting: "',' or '}'")
            return nil
        }
        guard let key = try string(path()) else { throw fail(path(), "expected a member name in quotes, found \(describeNext())") }
        guard cursor.insert(key) else { throw fail(path(), "member \"\(key)\" appears twice") }
        try consume(UInt8(ascii: ":"), path(), expecting: "':' after \"\(key)\"")
        return key
    }

    mutating func beginArray(_ path: @autoclosure () -> String) throws(FormatError) -> ArrayCursor {
        try consume(UInt8(ascii: "["), path(), expecting: "an array")
        return ArrayCursor()
    }

    /// The index of the next element (positioned at it), or `nil` after the closing `]`.
    mutating func nextElement(_ cursor: inout ArrayCursor, _ path: @autoclosure () -> String) throws(FormatError) -> Int? {
        if cursor.first {
            cursor.first = false
            if take(UInt8(ascii: "]")) { return nil }
        } else if !take(UInt8(ascii: ",")) {
            try consume(UInt8(ascii: "]"), path(), expecting: "',' or ']'")
            return nil
        }
        cursor.index += 1
        return cursor.index
    }
}

extension String {
    /// Two hex digits.
    init(format2 byte: UInt8) {
        let digits = Array("0123456789ABCDEF")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
