import Foundation
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

@Suite("JSON model format")
struct JSONModelTests {
    static func lower(_ text: String) throws -> LinearProgram {
        try JSONModelReader().read(text: text, file: "m.json").model.lowered()
    }

    /// The first ```json block of Docs/ModelJSONFormat.md.
    static var documentedExample: String? {
        let url = SharedData.packageRoot.appendingPathComponent("Docs/ModelJSONFormat.md")
        guard let doc = try? String(contentsOf: url, encoding: .utf8),
              let start = doc.range(of: "```json\n"),
              let end = doc.range(of: "\n```", range: start.upperBound..<doc.endIndex)
        else { return nil }
        return String(doc[start.upperBound..<end.lowerBound])
    }

    @Test("the example in Docs/ModelJSONFormat.md reads as documented")
    func documentedExample() throws {
        let text = try #require(Self.documentedExample)
        let p = try Self.lower(text)
        #expect(p.name == "production")
        #expect(p.sense == .maximize)
        #expect(p.objectiveName == "profit")
        #expect(p.columnNames == ["x", "y", "open", nil])
        #expect(p.objective == [3, 4, 0, 0])
        #expect(p.columnLower == [0, 0, 0, -.infinity])
        #expect(p.columnUpper == [4, .infinity, 1, 10])
        #expect(p.isInteger == [false, true, true, false])
        #expect(p.rowNames == ["c1", "c2", "link", nil])
        #expect(p.rowLower == [-.infinity, 0, -.infinity, -2])
        #expect(p.rowUpper == [14, .infinity, 0, 6])
        #expect(p.matrix.column(3).rows == [3])
    }

    @Test("defaults, escapes, any member order and references to later variables")
    func details() throws {
        let text = #"""
            {"constraints": [{"terms": [{"coefficient": 2, "variable": "q\"uote\u00e9"}], "lower": "-Infinity", "upper": "INF"}],
             "version": 1, "format": "gpupool-model",
             "variables": [{"name": "q\"uote\u00e9"}, {"name": "\ud83d\ude00", "lower": null}],
             "objective": {"terms": [{"variable": 1, "coefficient": -1.5e-3}, {"variable": 1, "coefficient": 1}]}}
            """#
        let p = try Self.lower(text)
        #expect(p.columnNames == ["q\"uoteé", "😀"])
        #expect(p.sense == .minimize)
        #expect(p.columnLower == [0, -.infinity])
        #expect(p.objective == [0, 1 - 1.5e-3])
        #expect(p.rowLower == [-.infinity] && p.rowUpper == [.infinity])
    }

    @Test("unescaped non-ASCII names are read; bytes that are not UTF-8 are an error")
    func unicodeNames() throws {
        let text = #"{"format": "gpupool-model", "version": 1, "variables": [{"name": "débit"}, {"name": "容量"}]}"#
        #expect(try Self.lower(text).columnNames == ["débit", "容量"])
        var bytes = Array(#"{"format": "gpupool-model", "version": 1, "variables": [{"name": "ab"}]}"#.utf8)
        bytes[bytes.lastIndex(of: UInt8(ascii: "b"))!] = 0xFF  // the b of "ab"
        #expect(throws: FormatError.self) { try JSONModelReader().read(bytes, file: "m.json") }
        do { _ = try JSONModelReader().read(bytes, file: "m.json") } catch {
            #expect(error.reason.contains("variables[0].name: string is not valid UTF-8"), "\(error)")
        }
    }

    @Test("duplicate members are found however many members an object has")
    func duplicateMembers() {
        var cursor = JSONScanner.ObjectCursor()
        for k in 0..<40 {
            let fresh = cursor.insert("k\(k)")
            #expect(fresh, "k\(k) is new")
        }
        for k in [0, 3, 15, 16, 17, 39] {
            let fresh = cursor.insert("k\(k)")
            #expect(!fresh, "k\(k) seen twice")
        }
        let last = cursor.insert("k40")
        #expect(last)
        var small = JSONScanner.ObjectCursor()
        let (a, b, again) = (small.insert("a"), small.insert("b"), small.insert("a"))
        #expect(a && b && !again)
    }

    @Test("errors name the line and the JSON path", arguments: [
        (#"{"format": "gpupool-model", "version": 1, "variables": [{"name": "x"}],\#n "constraints": [{"terms": [{"variable": "x", "coefficient": 1}, {"variable": "z", "coefficient": 1}]}]}"#,
         2, #"constraints[0].terms[1].variable: unknown variable "z""#),
        (#"{"format": "gpupool-model", "version": 2}"#, 1, "version: version 2 is not supported"),
        (#"{"format": "lp", "version": 1}"#, 1, #"format: expected "gpupool-model""#),
        (#"{"format": "gpupool-model", "version": 1, "variables": [{"name": "x", "lowr": 0}]}"#, 1, #"variables[0]: unknown member "lowr""#),
        (#"{"format": "gpupool-model", "version": 1,\#n"variables": [{"name": "x"},\#n {"name": "x"}]}"#, 3, #"variables[1].name: duplicate name "x" (also variables[0])"#),
        (#"{"format": "gpupool-model", "version": 1, "variables": [{"lower": 5, "upper": 1}]}"#, 1, "variables[0]: bounds"),
        (#"{"format": "gpupool-model", "version": 1, "variables": [{"kind": "integer", "upper": 2.5}]}"#, 1, "fractional"),
        (#"{"format": "gpupool-model", "version": 1, "variables": [{"kind": "real"}]}"#, 1, "variables[0].kind"),
        (#"{"format": "gpupool-model", "version": 1, "objective": {"terms": [{"variable": 4, "coefficient": 1}]}}"#, 1, "objective.terms[0].variable: variable index 4 is out of range"),
        (#"{"format": "gpupool-model", "version": 1, "objective": {"terms": [{"variable": -1, "coefficient": 1}]}}"#, 1, "objective.terms[0].variable"),
        (#"{"format": "gpupool-model", "version": 1, "objective": {"terms": [{"variable": 0}]}}"#, 1, #"objective.terms[0]: missing "coefficient""#),
        (#"{"format": "gpupool-model", "version": 1, "objective": {"constant": 1e999}}"#, 1, "out of range"),
        (#"{"format": "gpupool-model", "version": 1, "objective": {"constant": NaN}}"#, 1, "objective.constant: expected a number"),
        (#"{"format": "gpupool-model", "version": 1, "objective": {"constant": 01}}"#, 1, "leading zeros"),
        (#"{"format": "gpupool-model", "version": 1,}"#, 1, "expected a member name"),
        (#"{"format": "gpupool-model", "version": 1, "version": 1}"#, 1, "appears twice"),
        (#"{"format": "gpupool-model", "version": 1} extra"#, 1, "after the model object"),
        (#"{"format": "gpupool-model", "version": 1, "name": "a\#u{01}b"}"#, 1, "control character"),
        (#"{"version": 1}"#, 0, "format: missing"),
        (#"[1, 2]"#, 1, "expected a JSON object"),
        ("", 1, "empty file"),
        (#"{"format": "gpupool-model", "version": 1, "constraints": [{"lower": "inf"}]}"#, 1, "constraints[0]: bounds"),
    ])
    func errors(text: String, line: Int, fragment: String) {
        let error = jsonError(text)
        #expect(error?.line == (line == 0 ? nil : line), "\(error?.description ?? "")")
        #expect(error?.reason.contains(fragment) == true, "\(error?.description ?? "")")
    }

    @Test("the writer's output is readable JSON for Foundation too")
    func foundationReadsOutput() throws {
        let encoded = try JSONModelWriter().encode(try sampleProgram())
        let object = try JSONSerialization.jsonObject(with: Data(encoded.bytes)) as? [String: Any]
        #expect(object?["format"] as? String == "gpupool-model")
        #expect((object?["variables"] as? [Any])?.count == 7)
    }
}
