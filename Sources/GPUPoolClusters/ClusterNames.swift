/// Names the cluster managers accept, made from GPUPool ids that may hold any character.
enum ClusterNames {
    /// A Kubernetes DNS-1123 label (lower-case letters, digits, `-`; starts and ends alphanumeric; ≤ `limit`).
    /// Ids that had to change get a hash of the original, so two ids never meet in one name.
    static func dnsLabel(_ raw: String, limit: Int = 63) -> String {
        var mapped = String(raw.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "-" })
        while mapped.contains("--") { mapped = mapped.replacingOccurrences(of: "--", with: "-") }
        mapped = String(mapped.drop { $0 == "-" })
        while mapped.last == "-" { mapped.removeLast() }
        if mapped == raw, mapped.count <= limit { return mapped }
        let suffix = hash(raw)
        let room = limit - suffix.count - 1
        var base = String(mapped.prefix(room))
        while base.last == "-" { base.removeLast() }
        return base.isEmpty ? "x-\(suffix)" : "\(base)-\(suffix)"
    }

    /// A Kubernetes label value (≤ 63 of `[A-Za-z0-9._-]`, alphanumeric at both ends, or empty).
    static func labelValue(_ raw: String) -> String {
        let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") }
        var mapped = String(raw.map { allowed($0) ? $0 : "_" })
        let trim = { (c: Character) in !(c.isASCII && (c.isLetter || c.isNumber)) }
        mapped = String(mapped.drop(while: trim))
        while let last = mapped.last, trim(last) { mapped.removeLast() }
        if mapped == raw, mapped.count <= 63 { return mapped }
        let suffix = hash(raw)
        var base = String(mapped.prefix(63 - suffix.count - 1))
        while let last = base.last, trim(last) { base.removeLast() }
        return base.isEmpty ? suffix : "\(base)-\(suffix)"
    }

    /// A Slurm job name or file name: no whitespace, quotes, `/` or shell metacharacters.
    static func slurmName(_ raw: String) -> String {
        let mapped = String(raw.map { c in (c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".")) ? c : "_" })
        let trimmed = mapped.drop { $0 == "." }
        if trimmed == raw[...], raw.count <= 100 { return raw }
        return String(trimmed.prefix(90)) + "-" + hash(raw)
    }

    /// 8 hex digits of FNV-1a: stable across runs and machines.
    static func hash(_ text: String) -> String {
        var value: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            value ^= UInt32(byte)
            value = value &* 0x0100_0193
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
