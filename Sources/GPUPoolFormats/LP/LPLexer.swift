/// A token of a CPLEX LP file.
struct LPToken {
    enum Kind: Equatable {
        case name, number, plus, minus, colon, end
        case relation(LPRelation)
        /// A character that has no meaning in linear LP files (`[`, `^`, `*`, …).
        case other(UInt8)
    }

    var kind: Kind
    var start: Int
    var end: Int
    var line: Int
    /// Whether the token is the first on its line (section keywords must be).
    var startsLine: Bool
    var value: Double = 0
}

/// `<=`, `>=` or `=` (with `<`, `>`, `=<`, `=>` as spellings).
enum LPRelation: Equatable {
    case lessOrEqual, greaterOrEqual, equal

    var text: String {
        switch self {
        case .lessOrEqual: "<="
        case .greaterOrEqual: ">="
        case .equal: "="
        }
    }
}

/// Splits LP text into tokens straight from the file bytes. `\` starts a comment to the end of
/// the line; the two comments `glpsol --wlp` writes, `\* Problem: NAME *\` and
/// `\* constant term = C *\`, are remembered because they carry model data.
struct LPLexer {
    let p: UnsafeBufferPointer<UInt8>
    let file: String
    private var i = 0
    private(set) var line = 1
    private var atLineStart = true
    private var sawToken = false

    /// Name from a `\* Problem: NAME *\` comment before the first token.
    private(set) var problemName: String?
    /// Objective constants from `\* constant term = C *\` comments, with their lines.
    private(set) var constantComments: [(line: Int, value: Double)] = []

    init(buffer: UnsafeBufferPointer<UInt8>, file: String) {
        p = buffer
        self.file = file
        i = buffer.hasUTF8ByteOrderMark ? 3 : 0
    }

    func fail(_ line: Int, _ reason: String) -> FormatError { FormatError(file: file, line: line, reason: reason) }

    /// Bytes that end a name.
    @inline(__always) static func isDelimiter(_ b: UInt8) -> Bool {
        switch b {
        case 0x00...0x20, 0x7F, UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "<"), UInt8(ascii: ">"),
             UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "^"),
             UInt8(ascii: "*"), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    mutating func next() throws(FormatError) -> LPToken {
        let n = p.count
        while i < n {
            let b = p[i]
            if b == 0x0A {
                line += 1
                atLineStart = true
                i += 1
            } else if b == 0x20 || b == 0x09 || b == 0x0D {
                i += 1
            } else if b == UInt8(ascii: "\\") {
                let s = i
                while i < n && p[i] != 0x0A { i += 1 }
                readComment(s, i)
            } else if b < 0x20 || b == 0x7F {
                throw fail(line, "control character 0x\(String(b, radix: 16, uppercase: true)); this is not a text LP file")
            } else {
                break
            }
        }
        let startsLine = atLineStart
        atLineStart = false
        guard i < n else { return LPToken(kind: .end, start: n, end: n, line: line, startsLine: startsLine) }
        sawToken = true
        let s = i
        let b = p[i]
        func token(_ kind: LPToken.Kind, length: Int) -> LPToken {
            i = s + length
            return LPToken(kind: kind, start: s, end: s + length, line: line, startsLine: startsLine)
        }
        let next: UInt8 = i + 1 < n ? p[i + 1] : 0
        switch b {
        case UInt8(ascii: "+"): return token(.plus, length: 1)
        case UInt8(ascii: "-"): return token(.minus, length: 1)
        case UInt8(ascii: ":"): return token(.colon, length: 1)
        case UInt8(ascii: "<"): return token(.relation(.lessOrEqual), length: next == UInt8(ascii: "=") ? 2 : 1)
        case UInt8(ascii: ">"): return token(.relation(.greaterOrEqual), length: next == UInt8(ascii: "=") ? 2 : 1)
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "<") { return token(.relation(.lessOrEqual), length: 2) }
            if next == UInt8(ascii: ">") { return token(.relation(.greaterOrEqual), length: 2) }
            return token(.relation(.equal), length: next == UInt8(ascii: "=") ? 2 : 1)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
            guard let e = DecimalNumber.scan(p, from: i, limit: n) else {
                return token(.other(b), length: 1)
            }
            guard let v = DecimalNumber.parse(p, from: s, to: e, fortranExponent: false) else {
                throw fail(line, "malformed number '\(text(s, e))'")
            }
            guard v.isFinite else { throw fail(line, "number '\(text(s, e))' is out of range") }
            var t = token(.number, length: e - s)
            t.value = v
            return t
        default:
            if Self.isDelimiter(b) { return token(.other(b), length: 1) }
            var e = i
            while e < n && !Self.isDelimiter(p[e]) { e += 1 }
            return token(.name, length: e - s)
        }
    }

    func text(_ s: Int, _ e: Int) -> String {
        let t = String(decoding: UnsafeBufferPointer(rebasing: p[s..<e]), as: UTF8.self)
        return t.count > 60 ? String(t.prefix(57)) + "..." : t
    }

    /// Whether the token's text equals `word`, ignoring ASCII case.
    func matches(_ t: LPToken, _ word: String) -> Bool {
        let w = word.utf8
        guard t.end - t.start == w.count else { return false }
        var k = t.start
        for c in w {
            var b = p[k]
            if b >= 0x41 && b <= 0x5A { b += 0x20 }
            if b != c { return false }
            k += 1
        }
        return true
    }

    private mutating func readComment(_ s: Int, _ e: Int) {
        // Only glpsol's single-line `\* … *\` comments carry data.
        guard e - s >= 4, p[s + 1] == UInt8(ascii: "*") else { return }
        var end = e
        while end > s && (p[end - 1] == 0x20 || p[end - 1] == 0x0D || p[end - 1] == 0x09) { end -= 1 }
        guard end - s >= 4, p[end - 1] == UInt8(ascii: "\\"), p[end - 2] == UInt8(ascii: "*") else { return }
        let inner = String(decoding: UnsafeBufferPointer(rebasing: p[(s + 2)..<(end - 2)]), as: UTF8.self)
            .strippingCharacters(in: " \t")
        if !sawToken, problemName == nil, inner.hasPrefix("Problem:") {
            let name = inner.dropFirst("Problem:".count).strippingCharacters(in: " \t")
            problemName = name.isEmpty ? nil : name
        } else if inner.hasPrefix("constant term =") {
            let number = inner.dropFirst("constant term =".count).strippingCharacters(in: " \t")
            if let v = DecimalNumber.parse(number), v.isFinite { constantComments.append((line, v)) }
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set` (no Foundation needed).
    func strippingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
