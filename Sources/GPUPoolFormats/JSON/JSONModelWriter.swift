import GPUPoolSupport
import GPUPoolModel

/// Writes the GPUPool JSON model format (see `Docs/ModelJSONFormat.md`): the lossless format —
/// every name (or its absence), bound, kind and the objective constant read back exactly.
///
/// Layout: one variable per line, one constraint per line, objective terms one per line; terms
/// name their variable, or give its index when the variable has no name. Infinite bounds are
/// written as `null`. Integer columns are written with kind `"integer"` (a ``GPUPoolModel/LinearProgram``
/// does not distinguish binaries).
public struct JSONModelWriter: Sendable {
    /// A writer.
    public init() {}

    /// The JSON text for `program`.
    /// - Throws: ``FormatError`` when the program does not pass ``GPUPoolModel/LinearProgram/validate()``.
    public func encode(_ program: LinearProgram, file: String = "<output>") throws(FormatError) -> EncodedModel {
        try program.validateForWriting(file: file)
        var out = ByteWriter(reservingCapacity: 256 + program.matrix.nonzeroCount * 48 + program.columnCount * 80)
        out.write("{\n  \"format\": \"\(JSONModelReader.formatName)\",\n  \"version\": \(JSONModelReader.version),\n")
        if let name = program.name { out.write("  \"name\": \(Self.quoted(name)),\n") }
        out.write("  \"sense\": \"\(program.sense.rawValue)\",\n")

        let references = (0..<program.columnCount).map { j in
            program.columnNames[j].map(Self.quoted) ?? String(j)
        }
        func term(_ j: Int, _ coefficient: Double) -> String {
            "{\"variable\": \(references[j]), \"coefficient\": \(NumberText.shortest(coefficient))}"
        }

        out.write("  \"objective\": {")
        if let name = program.objectiveName { out.write("\"name\": \(Self.quoted(name)), ") }
        out.write("\"constant\": \(NumberText.shortest(program.objectiveConstant)), \"terms\": [")
        let objectiveTerms = (0..<program.columnCount).filter { program.objective[$0] != 0 }
        for (k, j) in objectiveTerms.enumerated() {
            out.write(k == 0 ? "\n    " : ",\n    ")
            out.write(term(j, program.objective[j]))
        }
        out.write(objectiveTerms.isEmpty ? "]},\n" : "\n  ]},\n")

        out.write("  \"variables\": [")
        for j in 0..<program.columnCount {
            out.write(j == 0 ? "\n    {" : ",\n    {")
            if let name = program.columnNames[j] { out.write("\"name\": \(Self.quoted(name)), ") }
            out.write("\"lower\": \(Self.bound(program.columnLower[j])), \"upper\": \(Self.bound(program.columnUpper[j])), ")
            out.write("\"kind\": \"\(program.isInteger[j] ? "integer" : "continuous")\"}")
        }
        out.write(program.columnCount == 0 ? "],\n" : "\n  ],\n")

        out.write("  \"constraints\": [")
        let rows = program.rows()
        for row in rows {
            let i = row.index
            out.write(i == 0 ? "\n    {" : ",\n    {")
            if let name = program.rowNames[i] { out.write("\"name\": \(Self.quoted(name)), ") }
            out.write("\"lower\": \(Self.bound(program.rowLower[i])), \"upper\": \(Self.bound(program.rowUpper[i])), \"terms\": [")
            var first = true
            for (j, v) in zip(row.columns, row.values) {
                if !first { out.write(", ") }
                first = false
                out.write(term(Int(j), v))
            }
            out.write("]}")
        }
        out.write(program.rowCount == 0 ? "]\n}\n" : "\n  ]\n}\n")
        return EncodedModel(bytes: out.bytes)
    }

    static func bound(_ value: Double) -> String {
        value.isFinite ? NumberText.shortest(value) : "null"
    }

    /// A JSON string literal (the one escaper the package shares, in GPUPoolSupport).
    static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
