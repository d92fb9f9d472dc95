import Foundation
import GPUPoolClusters
import GPUPoolDomain
import GPUPoolSupport
import Testing

/// No listing crashes or hangs the readers: real and demo listings cut, spliced and garbled at seeded
/// random places either read (then the pool validates or says why) or fail with a located error.
@Suite("Mutated cluster listings")
struct MutatedListingTests {
    static func mutations(of text: String, count: Int, seed: UInt64) -> [String] {
        var rng = SeededGenerator(seed: seed)
        let bytes = Array(text.utf8)
        var out: [String] = []
        for _ in 0..<count {
            var b = bytes
            switch rng.next() % 5 {
            case 0: b = Array(b.prefix(Int(rng.next() % UInt64(b.count))))                       // cut
            case 1:                                                                                 // drop a span
                let i = Int(rng.next() % UInt64(b.count)), n = Int(rng.next() % 200)
                b.removeSubrange(i..<min(b.count, i + n))
            case 2:                                                                                 // garble bytes
                for _ in 0..<8 { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next() % 128) }
            case 3:                                                                                 // huge numbers
                let text = String(decoding: b, as: UTF8.self).replacingOccurrences(of: "8", with: "99999999999999999999")
                b = Array(text.utf8)
            default:                                                                                // duplicate a span
                let i = Int(rng.next() % UInt64(b.count)), n = Int(rng.next() % 400)
                b.insert(contentsOf: b[i..<min(b.count, i + n)], at: Int(rng.next() % UInt64(b.count)))
            }
            out.append(String(decoding: b, as: UTF8.self))
        }
        return out
    }

    @Test func kubernetesListings() throws {
        let nodes = try String(contentsOfFile: ClusterFixtures.demo("kubernetes-nodes.json"), encoding: .utf8)
        let pods = try String(contentsOfFile: ClusterFixtures.demo("kubernetes-pods.json"), encoding: .utf8)
        var read = 0, refused = 0
        for (k, text) in Self.mutations(of: nodes, count: 150, seed: 11).enumerated() {
            do {
                let inventory = try KubernetesInventory.parse(nodes: text, nodesFile: "n.json", pods: k % 2 == 0 ? pods : nil, podsFile: "p.json")
                _ = try? inventory.pool()
                read += 1
            } catch let error as DomainError {
                #expect(!error.problems.isEmpty && error.problems.allSatisfy { $0.file != nil }, "\(error)")
                refused += 1
            }
        }
        for text in Self.mutations(of: pods, count: 150, seed: 12) {
            do { _ = try KubernetesInventory.parse(nodes: nodes, nodesFile: "n.json", pods: text, podsFile: "p.json"); read += 1 }
            catch let error as DomainError { #expect(error.problems.allSatisfy { $0.file != nil }); refused += 1 }
        }
        #expect(read > 0 && refused > 0)
    }

    @Test func slurmListings() throws {
        let texts = [try String(contentsOfFile: ClusterFixtures.demo("slurm-nodes.txt"), encoding: .utf8),
                     try ClusterFixtures.text("slurm-sinfo-22.05.json"), try ClusterFixtures.text("slurm-show-node.txt")]
        let mapping = AcceleratorMapping(memoryGiB: ["m60": 8, "rtx2080": 8, "quadro": 4])
        var read = 0, refused = 0
        for (t, original) in texts.enumerated() {
            for text in Self.mutations(of: original, count: 150, seed: 20 + UInt64(t)) {
                do {
                    let inventory = try SlurmInventory.parse(nodes: text, nodesFile: "n", jobs: "{\"jobs\": [{\"job_state\": \"RUNNING\", \"nodes\": \"dgx-a100-[01-99]\"}]}",
                                                             jobsFile: "q.json", mapping: mapping)
                    _ = try? inventory.pool()
                    read += 1
                } catch let error as DomainError {
                    #expect(error.problems.allSatisfy { $0.file != nil }, "\(error)")
                    refused += 1
                }
            }
        }
        #expect(read > 0 && refused > 0)
    }
}
