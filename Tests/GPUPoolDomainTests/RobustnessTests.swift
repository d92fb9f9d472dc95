import Foundation
import GPUPoolTestSupport
import GPUPoolSupport
import Testing
@testable import GPUPoolDomain

/// Random bytes, truncations and hostile documents must produce errors, never crashes or hangs.
@Suite("Robustness against bad input")
struct RobustnessTests {
    /// Feeds `text` to every reader; only `DomainError`s (or success) are acceptable.
    func feedEverywhere(_ text: String) {
        func accept(_ body: () throws -> Void) {
            do { try body() } catch is DomainError {} catch { Issue.record("non-domain error \(error) for input \(text.debugDescription.prefix(80))") }
        }
        accept { _ = try PoolFile.parse(text: text, fileName: "f.yaml", format: .yaml) }
        accept { _ = try PoolFile.parse(text: text, fileName: "f.json", format: .json) }
        accept { _ = try WorkloadFile.parse(text: text, fileName: "f.yaml", format: .yaml, against: samplePool()) }
        accept { _ = try WorkloadFile.parse(text: text, fileName: "f.json", format: .json) }
        accept { _ = try SkyPilotCatalog.parse(text: text, fileName: "f.csv", providerID: "p") }
        accept { _ = try GavelTrace.parse(text: text, fileName: "f.trace") }
        accept { _ = try GavelThroughputs.parse(data: Data(text.utf8)) }
        _ = try? PythonLiteral.parse(text)
        _ = try? CSVParser.parse(text)
    }

    @Test("random bytes")
    func randomBytes() {
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("{}[]:,-'\"\\\n\r\t #&*!|>?%@`0123456789.eE+abcxyz nodes: jobs: id: - ".utf8)
        for round in 0..<300 {
            let length = Int.random(in: 0..<200, using: &generator)
            let bytes: [UInt8] = (0..<length).map { _ in
                round.isMultiple(of: 2) ? UInt8.random(in: 0...255, using: &generator)
                    : alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            }
            feedEverywhere(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test("every prefix of valid documents")
    func truncations() throws {
        let directory = try TemporaryDirectory()
        try PoolFile.write(samplePool(), to: directory.path("p.json"))
        let documents = [
            FormatTests.poolYAML, FormatTests.workloadYAML,
            try String(contentsOfFile: directory.path("p.json"), encoding: .utf8),
            "InstanceType,AcceleratorName,AcceleratorCount,Price,Region,GpuInfo\r\nx,H100,8,1,\"a, b\",\"{'Gpus': [{'MemoryInfo': {'SizeInMiB': 81920}}]}\"\r\n",
            "A (batch size 1)\tcmd\tdir\t-s\t1\t100\t1\t1\t-1\t0\n",
        ]
        for document in documents {
            let characters = Array(document)
            for end in stride(from: 0, through: characters.count, by: 3) { feedEverywhere(String(characters[..<end])) }
        }
    }

    @Test("deep nesting is refused, not a stack overflow")
    func deepNesting() {
        let depth = 100_000
        for text in [String(repeating: "[", count: depth), String(repeating: "{\"a\":", count: depth),
                     String(repeating: "- ", count: depth) + "x", "nodes: " + String(repeating: "[", count: depth)]
        {
            let yaml = expectDomainError { _ = try PoolFile.parse(text: text, fileName: "d.yaml", format: .yaml) }
            #expect(yaml?.problems.first?.message.contains("nesting") == true || yaml?.problems.first?.item.contains("YAML") == true)
            #expect(expectDomainError { _ = try PoolFile.parse(text: text, fileName: "d.json", format: .json) } != nil)
        }
    }

    @Test("nesting just inside the limits is handled (no stack overflow in the composer)")
    func nestingAtTheLimit() {
        var block = ""
        for level in 0..<60 { block += String(repeating: " ", count: level * 4) + "k\(level):\n" }
        block += String(repeating: " ", count: 240) + "- " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "\n"
        let error = expectDomainError { _ = try PoolFile.parse(text: block, fileName: "n.yaml", format: .yaml) }
        // Yams composes it; the line map then refuses the combined depth (60 + 1 + 63 > 64).
        #expect(error?.problems.first?.message == "nesting deeper than 64 levels")
        // A quote must not hide brackets from the depth check.
        let sneaky = "nodes: [a:'" + String(repeating: "[", count: 10_000) + "\n"
        #expect(expectDomainError { _ = try PoolFile.parse(text: sneaky, fileName: "s.yaml", format: .yaml) }?.problems.first?.message.contains("nesting") == true)
    }

    @Test("alias expansion bombs are refused")
    func billionLaughs() {
        var lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 {
            let previous = level == 1 ? "a" : "l\(level - 1)"
            lines.append("l\(level): &l\(level) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]")
        }
        lines.append("nodes: *l8")
        let error = expectDomainError { _ = try PoolFile.parse(text: lines.joined(separator: "\n"), fileName: "bomb.yaml", format: .yaml) }
        #expect(error?.problems.first?.message.contains("expands") == true)
    }

    @Test("numbers that do not fit are reported")
    func hugeNumbers() {
        let text = """
            providers: [{id: p, kind: cloud}]
            nodes:
              - {id: n, provider: p, accelerator: H100, gpuCount: 99999999999999999999999, gpuMemoryGiB: 1e400, region: r, pricePerGPUHour: 1}

            """
        let error = expectDomainError { _ = try PoolFile.parse(text: text, fileName: "h.yaml", format: .yaml) }
        #expect(error?.problems.first?.line == 3)
        let json = #"{"providers": [{"id": "p", "kind": "cloud"}], "nodes": [{"id": "n", "provider": "p", "accelerator": "H100", "gpuCount": 1e30, "gpuMemoryGiB": 80, "region": "r", "pricePerGPUHour": 1}]}"#
        #expect(expectDomainError { _ = try PoolFile.parse(text: json, fileName: "h.json", format: .json) } != nil)
    }
}
