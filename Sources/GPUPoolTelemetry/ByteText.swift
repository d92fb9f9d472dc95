/// Byte-level helpers for the telemetry parsers: no per-line `String` or regex, so parsing runs at
/// hundreds of thousands of lines per second.
struct ByteText {
    let bytes: UnsafeBufferPointer<UInt8>

    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), comma = UInt8(ascii: ",")
    static let hash = UInt8(ascii: "#"), quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    static let newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}"), equals = UInt8(ascii: "=")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")

    /// Blank-value sentinels of DCGM start at 2^62 (e.g. 9223372036854775794).
    static let dcgmBlankThreshold = 4_611_686_018_427_387_904.0

    @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == Self.space || b == Self.tab || b == Self.cr }

    /// `range` without leading and trailing blanks.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    func hasPrefix(_ range: Range<Int>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard range.count >= count else { return false }
        let p = prefix.utf8Start
        for k in 0..<count where bytes[range.lowerBound + k] != p[k] { return false }
        return true
    }

    func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        range.count == literal.utf8CodeUnitCount && hasPrefix(range, literal)
    }

    func contains(_ range: Range<Int>, _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard count > 0, range.count >= count else { return false }
        var start = range.lowerBound
        while start + count <= range.upperBound {
            if hasPrefix(start..<range.upperBound, needle) { return true }
            start += 1
        }
        return false
    }

    /// Splits `range` at every `separator`; the pieces are trimmed.
    func split(_ range: Range<Int>, separator: UInt8, into out: inout [Range<Int>]) {
        out.removeAll(keepingCapacity: true)
        var start = range.lowerBound
        var k = start
        while k < range.upperBound {
            if bytes[k] == separator {
                out.append(trimmed(start..<k))
                start = k + 1
            }
            k += 1
        }
        out.append(trimmed(start..<range.upperBound))
    }

    /// Splits `range` at runs of blanks.
    func words(_ range: Range<Int>, into out: inout [Range<Int>]) {
        out.removeAll(keepingCapacity: true)
        var k = range.lowerBound
        while k < range.upperBound {
            while k < range.upperBound, isSpace(bytes[k]) { k += 1 }
            let start = k
            while k < range.upperBound, !isSpace(bytes[k]) { k += 1 }
            if k > start { out.append(start..<k) }
        }
    }

    /// Whether the value is one of nvidia-smi's "no value" spellings: `[N/A]`, `N/A`, `[Not Supported]`,
    /// `[Unknown Error]`, any other bracketed text, `-`, or empty.
    func isAbsent(_ range: Range<Int>) -> Bool {
        if range.isEmpty { return true }
        if bytes[range.lowerBound] == Self.openBracket { return true }
        if equals(range, "N/A") || equals(range, "-") || equals(range, "Not Supported") { return true }
        return false
    }

    /// A number at the start of `range`, ignoring a trailing unit (`45 %`, `71.23 W`, `81559 MiB`).
    /// `nil` for absent values, text, NaN/∞ and DCGM blank sentinels (≥ 2^62).
    func number(_ range: Range<Int>) -> Double? {
        let r = trimmed(range)
        if isAbsent(r) { return nil }
        var k = r.lowerBound
        let end = r.upperBound
        var negative = false
        if bytes[k] == UInt8(ascii: "-") || bytes[k] == UInt8(ascii: "+") {
            negative = bytes[k] == UInt8(ascii: "-")
            k += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0, scale = 0
        var overflowDigits = 0
        var sawDigit = false
        while k < end, bytes[k] &- 48 < 10 {
            if digits < 18 { mantissa = mantissa &* 10 &+ UInt64(bytes[k] &- 48); digits += mantissa == 0 ? 0 : 1 } else { overflowDigits += 1 }
            sawDigit = true
            k += 1
        }
        if k < end, bytes[k] == UInt8(ascii: ".") {
            k += 1
            while k < end, bytes[k] &- 48 < 10 {
                if digits < 18 { mantissa = mantissa &* 10 &+ UInt64(bytes[k] &- 48); digits += mantissa == 0 ? 0 : 1; scale += 1 }
                sawDigit = true
                k += 1
            }
        }
        guard sawDigit else { return nil }
        var exponent = overflowDigits - scale
        if k < end, bytes[k] == UInt8(ascii: "e") || bytes[k] == UInt8(ascii: "E") {
            var j = k + 1
            var expNegative = false
            if j < end, bytes[j] == UInt8(ascii: "-") || bytes[j] == UInt8(ascii: "+") { expNegative = bytes[j] == UInt8(ascii: "-"); j += 1 }
            var e = 0, expDigits = 0
            while j < end, bytes[j] &- 48 < 10 { if e < 10_000 { e = e * 10 + Int(bytes[j] &- 48) }; expDigits += 1; j += 1 }
            if expDigits > 0 { exponent += expNegative ? -e : e; k = j }
        }
        // Whatever follows must be a unit separated by a blank (or nothing).
        if k < end, !isSpace(bytes[k]) { return nil }
        var value = Double(mantissa)
        // Dividing by an exact power of ten keeps decimals correctly rounded (266.172, not 266.17199999999997).
        if exponent < 0 && exponent >= -22 { value /= Self.power10(-exponent) } else if exponent != 0 { value *= Self.power10(exponent) }
        if negative { value = -value }
        guard value.isFinite, abs(value) < Self.dcgmBlankThreshold else { return nil }
        return value
    }

    /// An integer counter (non-negative, below 2^53), else `nil`.
    func counter(_ range: Range<Int>) -> Int? {
        guard let v = number(range), v >= 0, v < 9_007_199_254_740_992, v == v.rounded() else { return nil }
        return Int(v)
    }

    static func power10(_ e: Int) -> Double {
        if e >= -22 && e <= 22 {
            let table: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
            return e >= 0 ? table[e] : 1 / table[-e]
        }
        var r = 1.0
        var n = abs(e)
        if n > 400 { n = 400 }
        for _ in 0..<n { r *= 10 }
        return e >= 0 ? r : 1 / r
    }

    /// `Yes`/`No` (nvidia-smi booleans), else `nil`.
    func yesNo(_ range: Range<Int>) -> Bool? {
        let r = trimmed(range)
        if equals(r, "Yes") || equals(r, "yes") || equals(r, "1") { return true }
        if equals(r, "No") || equals(r, "no") || equals(r, "0") { return false }
        return nil
    }

    /// Parses `YYYY/MM/DD HH:MM:SS[.fff]` (nvidia-smi) or `YYYY-MM-DDTHH:MM:SS[.fff][Z]` (ISO 8601)
    /// as UTC seconds since 1970. nvidia-smi prints local time; GPUPool treats it as UTC.
    func timestamp(_ range: Range<Int>) -> Double? {
        let r = trimmed(range)
        guard r.count >= 19 else { return nil }
        let s = r.lowerBound
        func int(_ offset: Int, _ count: Int) -> Int? {
            var v = 0
            for k in 0..<count {
                let d = bytes[s + offset + k] &- 48
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        let sep = bytes[s + 4]
        guard sep == UInt8(ascii: "/") || sep == UInt8(ascii: "-"), bytes[s + 7] == sep,
              bytes[s + 10] == Self.space || bytes[s + 10] == UInt8(ascii: "T"),
              bytes[s + 13] == UInt8(ascii: ":"), bytes[s + 16] == UInt8(ascii: ":"),
              let year = int(0, 4), let month = int(5, 2), let day = int(8, 2),
              let hour = int(11, 2), let minute = int(14, 2), let second = int(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        var k = s + 19
        if k < r.upperBound, bytes[k] == UInt8(ascii: ".") {
            k += 1
            var scale = 0.1
            while k < r.upperBound, bytes[k] &- 48 < 10 {
                fraction += Double(bytes[k] &- 48) * scale
                scale /= 10
                k += 1
            }
        }
        return Double(Self.daysFromCivil(year: year, month: month, day: day)) * 86_400
            + Double(hour * 3600 + minute * 60 + second) + fraction
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
