import Foundation
import GPUPoolSupport
import Testing

/// ProcessRunner and ChildProcess: the child-process helper behind the benchmarks, the validation
/// harness's external heuristics and the tests. What matters is that a wait always ends: a lost
/// exit notice from Foundation's Process once froze a whole test run.
@Suite("Child processes", .timeLimit(.minutes(10)))
struct ChildProcessTests {
    static let shell = URL(fileURLWithPath: "/bin/sh")

    @Test("exit codes, signals, both streams, standard input, directory and environment")
    func basics() throws {
        let out = try ProcessRunner.run(Self.shell, ["-c", "echo out; echo err >&2; exit 3"])
        #expect(out.status == 3 && out.stdout == "out\n" && out.stderr == "err\n" && !out.timedOut)
        // A signal's number, as Foundation's terminationStatus gives it.
        #expect(try ProcessRunner.run(Self.shell, ["-c", "kill -TERM $$"]).status == SIGTERM)
        let echoed = try ProcessRunner.run(URL(fileURLWithPath: "/bin/cat"), [], input: "line 1\nline 2\n")
        #expect(echoed.stdout == "line 1\nline 2\n")
        let directory = try ProcessRunner.run(Self.shell, ["-c", "pwd"], currentDirectory: URL(fileURLWithPath: "/usr/share"))
        #expect(directory.stdout == "/usr/share\n")
        let environment = try ProcessRunner.run(Self.shell, ["-c", "echo \"$ONLY\"; echo \"${HOME:-unset}\""], environment: ["ONLY": "this"])
        #expect(environment.stdout == "this\nunset\n")
        // No standard input given: the child reads end of file at once, it does not wait on ours.
        #expect(try ProcessRunner.run(URL(fileURLWithPath: "/bin/cat"), [], timeout: 30).stdout.isEmpty)
    }

    @Test("a program that is not there is an error naming it")
    func missingProgram() {
        #expect(throws: SpawnError.self) { try ProcessRunner.run(URL(fileURLWithPath: "/nonexistent/tool"), []) }
    }

    @Test("a timeout kills the child and what it started, even a grandchild that holds the output pipe")
    func timeoutKillsTheGroup() throws {
        let start = ContinuousClock.now
        // The shell starts a sleeper that inherits standard output: reading to its end would wait
        // for the grandchild too, unless the whole group goes.
        let out = try ProcessRunner.run(Self.shell, ["-c", "sleep 300 & echo started; wait"], timeout: 1)
        #expect(out.timedOut && out.stdout == "started\n")
        #expect(out.status == SIGKILL)
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    @Test("large output on both streams does not deadlock (64 KiB pipe buffers)")
    func largeOutput() throws {
        let out = try ProcessRunner.run(Self.shell, ["-c", "head -c 1000000 /dev/zero | tr '\\0' a; head -c 1000000 /dev/zero | tr '\\0' b >&2"], timeout: 120)
        #expect(out.stdout.count == 1_000_000 && out.stderr.count == 1_000_000)
    }

    @Test("200 children from 8 threads at once: every exit is seen, every status right")
    func manyAtOnce() async throws {
        let statuses = try await withThrowingTaskGroup(of: (Int, Int32).self) { group in
            for k in 0..<8 {
                group.addTask {
                    // A thread of its own: the waits must not depend on the cooperative pool.
                    try await withCheckedThrowingContinuation { continuation in
                        Thread.detachNewThread {
                            do {
                                var last: Int32 = -1
                                for j in 0..<25 {
                                    let out = try ProcessRunner.run(Self.shell, ["-c", "exit \((k * 25 + j) % 200)"], timeout: 120)
                                    guard out.status == Int32((k * 25 + j) % 200), !out.timedOut else { last = -2; break }
                                    last = out.status
                                }
                                continuation.resume(returning: (k, last))
                            } catch {
                                continuation.resume(throwing: error)
                            }
                        }
                    }
                }
            }
            var all: [Int: Int32] = [:]
            for try await (k, status) in group { all[k] = status }
            return all
        }
        #expect(statuses.count == 8 && statuses.values.allSatisfy { $0 >= 0 }, "\(statuses)")
    }

    @Test("ChildProcess: wait is repeatable, kill after the exit is a no-op, hasExited reaps")
    func childProcess() throws {
        let child = try ChildProcess(Self.shell, ["-c", "exit 7"], output: .null, error: .null)
        #expect(child.wait() == 7)
        #expect(child.wait() == 7)
        #expect(child.hasExited)
        child.kill(SIGKILL, group: true)   // reaped: must not signal whoever has the pid now
        let sleeper = try ChildProcess(URL(fileURLWithPath: "/bin/sleep"), ["300"], output: .null, error: .null)
        #expect(!sleeper.hasExited)
        sleeper.kill(SIGTERM)
        #expect(sleeper.wait() == SIGTERM)
    }
}
