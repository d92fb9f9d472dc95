import Foundation
import GPUPoolSupport
import Testing

@Suite("GPUPoolSupport")
struct SupportTests {
    /// Every scalar class that needs care: quotes, backslash, C0 controls, DEL, non-ASCII, astral.
    static let awkward = ["", "plain", "quote \" and \\ backslash", "tab\tnew\nline\rcr", "\u{0}\u{1}\u{1F}", "del\u{7F}",
                          "é ü 漢字", "emoji 🚀", "</script>", "\u{2028}\u{2029}", "c1 \u{85}\u{9F} bom \u{FEFF}"]

    @Test("JSON: what JSONText writes, Foundation's parser reads back unchanged; no raw control byte or DEL is left")
    func jsonRoundTrip() throws {
        for text in Self.awkward {
            let quoted = JSONText.quoted(text)
            #expect(!quoted.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0.value == 0xFEFF },
                    "\(quoted)")
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
            #expect(decoded == [text])
        }
        let document = JSONText.object([("b", .integer(2)), ("a", .array([.number(1.5), .number(3), .null, .bool(true)])),
                                         ("c", .number(Double.nan)), ("d", .string("x\u{7F}"))])
        #expect(document.serialized == #"{"b":2,"a":[1.5,3,null,true],"c":null,"d":"x\u007F"}"#)
    }

    @Test("HTML: markup in names renders as text")
    func html() {
        #expect(HTMLText.escape(#"<b onclick="x">Tom & 'Jerry'</b>"#) == "&lt;b onclick=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;")
        #expect(HTMLText.escape("plain é") == "plain é")
    }

    @Test("text table: columns aligned, first left, others right, rule optional")
    func table() {
        let rows = [["policy", "placed", "cost"], ["fifo", "3/4", "1.50"], ["max-utilization", "4/4", "12.00"]]
        #expect(TextTable.render(rows) == """
            policy           placed   cost
            ---------------  ------  -----
            fifo                3/4   1.50
            max-utilization     4/4  12.00
            """)
        #expect(!TextTable.render(rows, rule: false).contains("---"))
        #expect(TextTable.render([]) == "")
    }

    @Test("nearest-rank percentile matches its definition on random data")
    func percentile() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let values = (0..<(1 + rng.nextInt(below: 40))).map { _ in Double(rng.nextInt(below: 10)) }.sorted()
            let q = rng.nextDouble()
            let p = Percentile.nearestRank(values, q)!
            // Definition: the smallest value v with #{x ≤ v} ≥ q·n.
            let expected = values.first { v in Double(values.filter { $0 <= v }.count) >= q * Double(values.count) }!
            #expect(p == expected, "q \(q) of \(values)")
        }
        #expect(Percentile.nearestRank([], 0.5) == nil)
    }

    @Test("a time limit of any size or sign becomes a Duration without trapping")
    func clampedDurations() {
        #expect(Duration.clamped(seconds: 1.5) == .milliseconds(1500))
        #expect(Duration.clamped(seconds: -3) == .zero && Duration.clamped(seconds: .nan) == .zero)
        #expect(Duration.clamped(seconds: 1e300) == Duration.clamped(seconds: .infinity))
        #expect(Duration.clamped(seconds: 1e300).seconds >= 3e9)
    }

    @Test("the seeded generator: same seed same sequence, bounded draws in range and roughly uniform")
    func seeded() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<16).map { _ in a.next() }, sb = (0..<16).map { _ in b.next() }, sc = (0..<16).map { _ in c.next() }
        #expect(sa == sb && sa != sc)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let k = a.nextInt(below: 7)
            counts[k] += 1
        }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
        for _ in 0..<1000 {
            let x = a.nextInt(in: -3...3), d = a.nextDouble()
            #expect((-3...3).contains(x) && d >= 0 && d < 1)
        }
    }
}
