#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Decimal number literals read straight from file bytes, without building a `String`.
///
/// Accepted: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, and with
/// `fortranExponent` also `d`/`D` as the exponent letter (old MPS files). Never accepted:
/// `nan`, `inf`, hexadecimal, empty text, thousands separators.
enum DecimalNumber {
    /// Powers of ten that are exact in a `Double`.
    private static let exactPowers: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// The end of the longest unsigned literal starting at `start` (digits, point, exponent), or
    /// `nil` when no digit is there. Used by tokenizers that must find where a number stops.
    static func scan(_ p: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int, fortranExponent: Bool = false) -> Int? {
        var i = start
        var digits = 0
        while i < limit, isDigit(p[i]) { i += 1; digits += 1 }
        if i < limit, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < limit, isDigit(p[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < limit, isExponentLetter(p[i], fortran: fortranExponent) {
            var j = i + 1
            if j < limit, p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-") { j += 1 }
            if j < limit, isDigit(p[j]) {
                while j < limit, isDigit(p[j]) { j += 1 }
                i = j
            }
        }
        return i
    }

    /// The value of the literal that occupies exactly `p[start..<end]`, or `nil` when that text is
    /// not a decimal literal. Overflow gives `±infinity` (callers report it as out of range).
    static func parse(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, fortranExponent: Bool = true) -> Double? {
        guard start < end, end <= p.count, start >= 0 else { return nil }
        var i = start
        var negative = false
        if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        // Mantissa digits: keep up to 19 significant ones for the fast path.
        var mantissa: UInt64 = 0
        var significant = 0
        var dropped = false
        var scale = 0  // decimal exponent adjustment from digits after the point / dropped digits
        var digits = 0
        while i < end, isDigit(p[i]) {
            accumulate(p[i], &mantissa, &significant, &dropped, &scale, fraction: false)
            i += 1; digits += 1
        }
        if i < end, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, isDigit(p[i]) {
                accumulate(p[i], &mantissa, &significant, &dropped, &scale, fraction: true)
                i += 1; digits += 1
            }
        }
        guard digits > 0 else { return nil }
        var exponent = 0
        if i < end {
            guard isExponentLetter(p[i], fortran: fortranExponent) else { return nil }
            i += 1
            var negativeExponent = false
            if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
                negativeExponent = p[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end else { return nil }
            while i < end {
                guard isDigit(p[i]) else { return nil }
                if exponent < 100_000 { exponent = exponent * 10 + Int(p[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            if negativeExponent { exponent = -exponent }
        }
        // Fast path (Clinger): an exact mantissa times an exact power of ten rounds once.
        let total = exponent + scale
        if !dropped, significant <= 15, total >= -22, total <= 22 {
            var value = Double(mantissa)
            if total >= 0 { value *= exactPowers[total] } else { value /= exactPowers[-total] }
            return negative ? -value : value
        }
        return slowParse(p, from: start, to: end)
    }

    private static func accumulate(
        _ byte: UInt8, _ mantissa: inout UInt64, _ significant: inout Int, _ dropped: inout Bool,
        _ scale: inout Int, fraction: Bool
    ) {
        let d = UInt64(byte &- UInt8(ascii: "0"))
        if significant == 0 && d == 0 {
            if fraction { scale -= 1 }  // leading zeros only shift the point
            return
        }
        if significant < 19 {
            mantissa = mantissa &* 10 &+ d
            significant += 1
            if fraction { scale -= 1 }
        } else {
            if d != 0 { dropped = true }
            if !fraction { scale += 1 }
        }
    }

    /// Correctly rounded conversion through the C library for the rare long literals.
    private static func slowParse(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Double? {
        let length = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
            for k in 0..<length {
                var b = p[start + k]
                if b == UInt8(ascii: "d") || b == UInt8(ascii: "D") { b = UInt8(ascii: "e") }
                buffer[k] = CChar(bitPattern: b)
            }
            buffer[length] = 0
            guard let base = buffer.baseAddress else { return nil }
            var endPointer: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(base, &endPointer)
            guard let endPointer, endPointer - base == length else { return nil }
            return value
        }
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    @inline(__always) private static func isExponentLetter(_ b: UInt8, fortran: Bool) -> Bool {
        b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
            || (fortran && (b == UInt8(ascii: "d") || b == UInt8(ascii: "D")))
    }
}

extension DecimalNumber {
    /// Parses a whole string (for tests and for text that is already a `String`).
    static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { parse($0, from: 0, to: $0.count) }
    }
}
