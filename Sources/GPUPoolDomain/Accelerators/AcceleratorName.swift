import Foundation

/// Canonical accelerator model names and the spellings that map to them.
///
/// Catalogs spell the same part many ways (`"RTX 4090"`, `"RTX_4090"`, `"rtx4090"`, `"RTXA6000"`, `"Tesla V100"`).
/// Matching ignores case, spaces, `_` and `-`; unknown names are returned trimmed but otherwise unchanged,
/// so accelerators this table does not know (any vendor) still work.
public enum AcceleratorName {
    /// Canonical names known to the alias table, in display order.
    public static let known: [String] = [
        "B200", "GH200", "H200", "H100", "A100-80GB", "A100", "A40", "A10", "L40S", "L40", "L4",
        "A6000", "A5000", "A4000", "RTX6000-Ada", "RTX6000", "RTX5090", "RTX4090", "RTX4080", "RTX3090", "RTX3080",
        "RTX3060", "V100", "P100", "K80", "T4", "MI300X", "MI250X", "MI250", "MI210", "MI100",
    ]

    /// Extra spellings (normalised: upper case, no spaces/underscores/hyphens) → canonical name.
    private static let aliases: [String: String] = {
        var table: [String: String] = [:]
        for name in known { table[normalise(name)] = name }
        let extra: [String: String] = [
            "A10080G": "A100-80GB", "A100SXM480GB": "A100-80GB", "A100PCIE80GB": "A100-80GB", "A10080GBPCIE": "A100-80GB",
            "A10040GB": "A100", "A100SXM4": "A100", "A100PCIE": "A100", "A100SXM": "A100",
            "H100SXM": "H100", "H100SXM5": "H100", "H100PCIE": "H100", "H100NVL": "H100", "H100NVLINK": "H100", "H10080GB": "H100",
            "RTXA6000": "A6000", "QUADRORTXA6000": "A6000", "RTXA5000": "A5000", "RTXA4000": "A4000",
            "RTX6000ADA": "RTX6000-Ada", "RTX6000ADAGENERATION": "RTX6000-Ada", "QUADRORTX6000": "RTX6000",
            "GEFORCERTX4090": "RTX4090", "GEFORCERTX3090": "RTX3090", "RTX4080S": "RTX4080", "RTX4080SUPER": "RTX4080",
            "TESLAV100": "V100", "V100SXM2": "V100", "V10032GB": "V100", "V10016GB": "V100", "TESLAP100": "P100",
            "TESLAK80": "K80", "TESLAT4": "T4", "INSTINCTMI300X": "MI300X", "INSTINCTMI250X": "MI250X",
        ]
        for (alias, name) in extra { table[alias] = name }
        return table
    }()

    /// The canonical spelling of an accelerator model, e.g. `"RTX 4090"` → `"RTX4090"`, `"a100-80gb"` → `"A100-80GB"`.
    /// Unknown names come back trimmed of surrounding whitespace.
    public static func canonical(_ name: String) -> String {
        // Names already canonical are by far the most common argument (the planner asks per job,
        // shape and model): one set lookup instead of trimming and normalising.
        if fixedPoints.contains(name) { return name }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        return aliases[normalise(trimmed)] ?? trimmed
    }

    /// The canonical names that map to themselves.
    private static let fixedPoints: Set<String> = Set(known.filter { aliases[normalise($0)] == $0 })

    /// Whether the alias table recognises this name.
    public static func isKnown(_ name: String) -> Bool { aliases[normalise(name)] != nil }

    /// The vendor implied by a model name: `"AMD"` for Instinct `MI*` parts, `"Intel"` for Gaudi/Max,
    /// `"NVIDIA"` otherwise (the catalogs here list NVIDIA unless stated).
    public static func inferredVendor(_ name: String) -> String {
        let key = normalise(name)
        if key.hasPrefix("MI") || key.hasPrefix("INSTINCT") || key.hasPrefix("RADEON") { return "AMD" }
        if key.hasPrefix("GAUDI") || key.hasPrefix("MAX1") { return "Intel" }
        return "NVIDIA"
    }

    static func normalise(_ name: String) -> String {
        String(name.uppercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" && $0 != "\t" })
    }
}
