/// A coding key for any field name, used to list the keys actually present in a mapping.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Decoding helpers that turn typos into errors instead of silently ignored fields.
enum StrictDecoding {
    /// Throws if the mapping being decoded has a field outside `known` (typo protection).
    static func rejectUnknownKeys(in decoder: any Decoder, known: [String], what: String) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            let suggestion = closest(to: key.stringValue, in: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [key],
                debugDescription: "unknown \(what) field \"\(key.stringValue)\"\(suggestion)"))
        }
    }

    /// Decodes a string-backed enum, naming the allowed values when the text is not one of them.
    static func decodeEnum<E: RawRepresentable & CaseIterable>(_ type: E.Type, from decoder: any Decoder, what: String)
        throws -> E where E.RawValue == String
    {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "unknown \(what) \"\(text)\" (expected one of: \(allowed))")
    }

    /// The known name within edit distance 2 of `name`, ignoring case, if any.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let lowered = Array(name.lowercased())
        var best: (distance: Int, name: String)?
        for candidate in candidates {
            let distance = editDistance(lowered, Array(candidate.lowercased()))
            if distance <= 2, best.map({ distance < $0.distance }) ?? true { best = (distance, candidate) }
        }
        return best?.name
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        guard a.count < 256, b.count < 256 else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension ProviderKind {
    /// Decodes `own`, `cloud` or `community`, naming the allowed values on error.
    public init(from decoder: any Decoder) throws {
        self = try StrictDecoding.decodeEnum(ProviderKind.self, from: decoder, what: "provider kind")
    }
}

extension Interconnect {
    /// Decodes `nvlink`, `pcie` or `none`, naming the allowed values on error.
    public init(from decoder: any Decoder) throws {
        self = try StrictDecoding.decodeEnum(Interconnect.self, from: decoder, what: "interconnect")
    }
}

extension HealthState {
    /// Decodes a health state, naming the allowed values on error.
    public init(from decoder: any Decoder) throws {
        self = try StrictDecoding.decodeEnum(HealthState.self, from: decoder, what: "health state")
    }
}

extension Locality {
    /// Decodes `node`, `region`, `provider` or `any`, naming the allowed values on error.
    public init(from decoder: any Decoder) throws {
        self = try StrictDecoding.decodeEnum(Locality.self, from: decoder, what: "locality")
    }
}
