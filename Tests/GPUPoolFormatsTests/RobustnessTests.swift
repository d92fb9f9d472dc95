import Foundation
import GPUPoolSupport
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

/// Readers must throw ``FormatError`` or succeed on any input: never crash, never hang.
@Suite("Robustness")
struct RobustnessTests {
    /// The package's seeded generator, so failures reproduce.
    typealias Generator = SeededGenerator

    static let formats: [ModelFormat] = ModelFormat.allCases

    /// Pieces that make random input look like each format, so parsers get past the first line.
    static func vocabulary(_ format: ModelFormat) -> [String] {
        switch format {
        case .mps, .fixedMPS:
            ["NAME", "ROWS", "COLUMNS", "RHS", "RANGES", "BOUNDS", "ENDATA", "OBJSENSE", "MAX", " N ", " L ", " G ", " E ",
             " UP ", " LO ", " FX ", " FR ", " MI ", " BV ", "'MARKER'", "'INTORG'", "'INTEND'", "x", "y", "obj", "c1",
             "1.5", "-2", "1e308", "1e999", "nan", "$", "*", "    ", "\n", "\n ", "\t", "\r\n"]
        case .lp:
            ["Minimize", "Maximize", "Subject To", "Bounds", "Generals", "Binary", "End", "obj:", "c1:", "x", "y", "+", "-",
             "<=", ">=", "=", "<", "free", "inf", "-inf", "3", "2.5e3", "1e999", "[", "]", "\\", "\\* Problem: p *\\", "\n", " "]
        case .json:
            ["{", "}", "[", "]", ",", ":", "\"format\"", "\"gpupool-model\"", "\"version\"", "1", "\"variables\"",
             "\"constraints\"", "\"objective\"", "\"terms\"", "\"variable\"", "\"coefficient\"", "\"name\"", "\"x\"",
             "\"lower\"", "\"upper\"", "null", "\"inf\"", "-0.5e3", "1e999", "\"\\u", "\\\"", "true", "\n", " "]
        }
    }

    static func read(_ bytes: [UInt8], _ format: ModelFormat) -> Bool {
        do {
            _ = try ModelFile.decode(bytes, format: format, file: "fuzz")
            return true
        } catch {
            #expect(!error.reason.isEmpty)
            return false
        }
    }

    @Test("thousands of random inputs per reader", arguments: formats)
    func randomInputs(format: ModelFormat) {
        var g = Generator(seed: 0x5EED_0000 + UInt64(format.rawValue.utf8.count))
        let words = Self.vocabulary(format)
        for _ in 0..<2500 {
            var bytes: [UInt8] = []
            let length = Int.random(in: 0...120, using: &g)
            let wordy = Bool.random(using: &g)
            while bytes.count < length {
                if wordy && Int.random(in: 0..<4, using: &g) > 0 {
                    bytes += Array(words.randomElement(using: &g)!.utf8)
                    bytes.append(Bool.random(using: &g) ? 0x20 : 0x0A)
                } else {
                    bytes.append(UInt8.random(in: 0...255, using: &g))
                }
            }
            _ = Self.read(bytes, format)
        }
    }

    @Test("random edits of a valid file per reader", arguments: formats)
    func mutations(format: ModelFormat) throws {
        let valid = try ModelFile.encode(try sampleProgram(), format: format).bytes
        #expect(Self.read(valid, format))
        var g = Generator(seed: 0xC0FFEE + UInt64(format.rawValue.utf8.count))
        for _ in 0..<1500 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &g) {
                let k = Int.random(in: 0..<bytes.count, using: &g)
                switch Int.random(in: 0..<4, using: &g) {
                case 0: bytes[k] = UInt8.random(in: 0...255, using: &g)
                case 1: bytes.remove(at: k)
                case 2: bytes.insert(UInt8.random(in: 0x20...0x7E, using: &g), at: k)
                default: bytes.insert(contentsOf: Array(Self.vocabulary(format).randomElement(using: &g)!.utf8), at: k)
                }
                if bytes.isEmpty { break }
            }
            _ = Self.read(bytes, format)
        }
    }

    /// Cut points: evenly spread, plus the last few bytes (inside the end marker).
    static func cuts(_ count: Int, points: Int) -> [Int] {
        let spread = (0..<points).map { $0 * count / points }
        let tail = [1, 2, 4, 7].filter { $0 <= count }.map { count - $0 }
        return Array(Set(spread + tail)).sorted()
    }

    @Test("every shared file cut at many points: an error, or a model when the end marker survived",
          .enabled(if: SharedData.available, SharedData.missingMessage))
    func truncatedSharedFiles() throws {
        for url in SharedData.mpsFiles + SharedData.badFiles {
            let bytes = [UInt8](try Data(contentsOf: url))
            let text = String(decoding: bytes, as: UTF8.self)
            // Debug builds parse a few MB/s: fewer cuts for the big files keep this test quick.
            let small = bytes.count < 40_000
            for cut in Self.cuts(bytes.count, points: small ? 16 : 5) {
                let prefix = Array(bytes[..<cut])
                let read = Self.read(prefix, .mps)
                if small { _ = Self.read(prefix, .fixedMPS) }
                if read {
                    #expect(String(decoding: prefix, as: UTF8.self).contains("ENDATA"), "\(url.lastPathComponent) cut at \(cut)")
                    #expect(text.contains("ENDATA"))
                }
            }
        }
    }

    @Test("LP and JSON encodings of shared files cut at many points",
          .enabled(if: SharedData.available, SharedData.missingMessage))
    func truncatedEncodings() throws {
        for name in ["afiro", "small_mip", "sctest", "silly-names", "e226", "flugpl", "galenet", "bell5"] {
            let program = try MPSReader().read(contentsOf: SharedData.file("\(name).mps").path).model.lowered()
            for format in [ModelFormat.lp, .json] {
                let bytes = try ModelFile.encode(program, format: format).bytes
                let whole = String(decoding: bytes, as: UTF8.self).strippingCharacters(in: " \n")
                for cut in Self.cuts(bytes.count, points: 40) {
                    let prefix = Array(bytes[..<cut])
                    // Only the whole text (up to trailing blanks) is a model: `}` / `End` come last.
                    let complete = String(decoding: prefix, as: UTF8.self).strippingCharacters(in: " \n") == whole
                    #expect(Self.read(prefix, format) == complete, "\(name) as \(format) cut at \(cut)")
                }
            }
        }
    }

    @Test("deeply nested or huge inputs do not crash")
    func pathological() {
        #expect(!Self.read(Array(repeating: UInt8(ascii: "["), count: 100_000), .json))
        #expect(!Self.read(Array(repeating: UInt8(ascii: "{"), count: 100_000), .json))
        #expect(!Self.read(Array(repeating: UInt8(ascii: "-"), count: 100_000), .lp))
        #expect(!Self.read(Array(("ROWS\n N " + String(repeating: "x", count: 100_000) + "\nENDATA\n").utf8), .mps))
        #expect(!Self.read(Array(("ROWS\n N obj\nCOLUMNS\n x obj 1" + String(repeating: "0", count: 5000) + "e-99999999999999999999\nENDATA\n").utf8), .mps) == false)
        #expect(!Self.read([0xFF, 0xFE, 0x00, 0x00], .mps))
    }
}
