import GPUPoolSupport
import Foundation
import Testing
@testable import GPUPoolHeuristics

@Suite("GAPLibrary reader")
struct GAPLibraryTests {
    static let small = """
        2
        2 3
        1 2 3
        4 5 6
        7 8 9
        1 2 3
        10 11
        1 2
        5 6
        1 1
        4
        """

    @Test func parsesSeveralProblemsInTheFile() throws {
        let problems = try GAPLibrary.parse(text: Self.small, fileName: "gapx.txt")
        #expect(problems.count == 2)
        #expect(problems[0].name == "gapx-1" && problems[1].name == "gapx-2")
        #expect(problems[0].binCount == 2 && problems[0].itemCount == 3)
        #expect(problems[0].cost(item: 2, bin: 1) == 6)
        #expect(problems[0].demand(item: 0, bin: 1, dimension: 0) == 1)
        #expect(problems[0].capacity(bin: 1, dimension: 0) == 11)
        #expect(problems[1].binCount == 1 && problems[1].itemCount == 2)
        #expect(problems[0].sense == .minimize)
    }

    @Test func senseFollowsTheFileNameAndCanBeOverridden() throws {
        #expect(GAPLibrary.defaultSense(forFileName: "gap7.txt") == .maximize)
        #expect(GAPLibrary.defaultSense(forFileName: "/x/gap12.txt") == .maximize)
        #expect(GAPLibrary.defaultSense(forFileName: "gapd.txt") == .minimize)
        #expect(GAPLibrary.defaultSense(forFileName: "gap13.txt") == .minimize)
        let forced = try GAPLibrary.parse(text: Self.small, fileName: "gapd.txt", sense: .maximize)
        #expect(forced.allSatisfy { $0.sense == .maximize })
    }

    @Test func errorsNameFileProblemLineAndToken() {
        let text = "1\n2 2\n1 2\n3 x\n1 1 1 1\n5 5\n"
        #expect {
            _ = try GAPLibrary.parse(text: text, fileName: "bad.txt")
        } throws: { error in
            guard let error = error as? GAPFormatError else { return false }
            return error.file == "bad.txt" && error.problem == 1 && error.line == 4 && error.token == 7
                && error.description.contains("cost of job 2 on agent 2")
        }
    }

    @Test func truncatedInputFailsAtEveryCutWithoutCrashing() throws {
        let bytes = Array(Self.small.utf8)
        // Cut just after each token (cutting inside a number can leave a valid shorter file).
        var cuts = 0
        for cut in 0..<bytes.count where cut == 0 || bytes[cut] == 10 || bytes[cut] == 32 {
            #expect(throws: GAPFormatError.self) {
                try GAPLibrary.parse(bytes: Array(bytes[..<cut]), fileName: "cut.txt")
            }
            cuts += 1
        }
        #expect(cuts > 10)
    }

    @Test func rejectsOversizedHeadersBeforeAllocating() {
        #expect(throws: GAPFormatError.self) { try GAPLibrary.parse(text: "1\n100000 100000\n1 2 3", fileName: "big.txt") }
        #expect(throws: GAPFormatError.self) { try GAPLibrary.parse(text: "1\n50000 60\n1 2 3", fileName: "big.txt") }
        #expect(throws: GAPFormatError.self) { try GAPLibrary.parse(text: "1e300", fileName: "big.txt") }
        #expect(throws: GAPFormatError.self) { try GAPLibrary.parse(text: "1\n-2 3", fileName: "neg.txt") }
        #expect(throws: GAPFormatError.self) { try GAPLibrary.parse(text: "1\n1 1\n5\n-3\n4", fileName: "neg.txt") }
        #expect(throws: GAPFormatError.self) { try GAPLibrary.parse(text: Self.small + " 7", fileName: "extra.txt") }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededGenerator(seed: 42)
        for round in 0..<300 {
            let length = rng.nextInt(below: 200)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if round % 2 == 0 {
                // Mostly digits and spaces, to get deeper into the parser.
                bytes = bytes.map { [48, 49, 50, 51, 57, 32, 10, 45, 46, 101][Int($0) % 10] }
            }
            do {
                let problems = try GAPLibrary.parse(bytes: bytes, fileName: "noise.txt")
                #expect(!problems.isEmpty)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func formatRoundTrips() throws {
        let problems = try GAPLibrary.parse(text: Self.small, fileName: "gapx.txt")
        let text = try #require(GAPLibrary.format(problems))
        #expect(try GAPLibrary.parse(text: text, fileName: "gapx.txt") == problems)
    }

    @Test(.enabled(if: gapDataPresent, "OR-Library GAP files not found at ../shared/data/gap"))
    func readsEverySharedFile() throws {
        let names = (1...12).map { "gap\($0)" } + ["gapa", "gapb", "gapc", "gapd"]
        for name in names {
            let problems = try GAPLibrary.read(contentsOf: gapDirectory.appendingPathComponent(name + ".txt"))
            let lettered = name.last?.isLetter == true
            #expect(problems.count == (lettered ? 6 : 5), "\(name)")
            #expect(problems.allSatisfy { $0.sense == (lettered ? .minimize : .maximize) }, "\(name)")
            #expect(problems.first?.name == "\(name)-1")
        }
        let d = try GAPLibrary.read(contentsOf: gapDirectory.appendingPathComponent("gapd.txt"))
        #expect(d.map(\.binCount) == [5, 5, 10, 10, 20, 20] && d.map(\.itemCount) == [100, 200, 100, 200, 100, 200])
    }

    @Test func missingFileIsAnError() {
        #expect(throws: GAPFormatError.self) {
            try GAPLibrary.read(contentsOf: URL(fileURLWithPath: "/nonexistent/gap99.txt"))
        }
    }
}
