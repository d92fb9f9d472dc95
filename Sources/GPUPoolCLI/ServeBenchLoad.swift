import Foundation
import GPUPoolModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The load generator of `gpupool bench serve`, in the style of `wrk`: one thread drives every
/// client connection with `poll(2)`. Each client is one keep-alive HTTP/1.1 connection with one
/// request outstanding (closed loop): when its answer is complete, the next request goes out.
///
/// One thread instead of a thread per client keeps the generator's own CPU use and context
/// switches small, so on a small machine the figures describe the server rather than the client.
/// Loopback (127.0.0.1) only.
struct ServeBenchLoad {
    /// What one measurement gathered.
    struct Outcome {
        /// Seconds from sending a request to having its whole answer, for 200 answers.
        var latencies: [Double] = []
        /// Answers other than 200.
        var errors = 0
        /// Connections that failed (refused, reset, malformed answer).
        var failures: [String] = []
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: UInt16
    let request: [UInt8]

    init(port: Int, request: [UInt8]) throws {
        guard let p = UInt16(exactly: port) else { throw Failure(description: "port \(port) out of range") }
        self.port = p
        self.request = request
    }

    /// Runs `clients` closed-loop connections until `deadline` or until each has had
    /// `maxRequests` answers.
    func run(clients: Int, until deadline: ContinuousClock.Instant, maxRequests: Int) throws -> Outcome {
        var connections: [Connection] = []
        defer { for c in connections where c.fd >= 0 { close(c.fd) } }
        for _ in 0..<clients { connections.append(Connection(fd: try connect())) }
        var outcome = Outcome()
        var polls = [pollfd](repeating: pollfd(), count: clients)
        for k in connections.indices { try send(&connections[k]) }
        var scratch = [UInt8](repeating: 0, count: 65536)
        var due: [Int] = []
        while connections.contains(where: { $0.fd >= 0 }) {
            for k in connections.indices {
                polls[k].fd = connections[k].fd  // negative: ignored by poll
                polls[k].events = Int16(POLLIN) | (connections[k].unsent > 0 ? Int16(POLLOUT) : 0)
                polls[k].revents = 0
            }
            let ready = poll(&polls, nfds_t(polls.count), 1000)
            if ready < 0 && errno != EINTR { throw Failure(description: "poll: errno \(errno)") }
            guard ready > 0 else { continue }
            // Two passes: first read every answer that is in (so an answer's time is not delayed
            // by sending other clients' requests), then send the next requests.
            due.removeAll(keepingCapacity: true)
            for k in connections.indices where connections[k].fd >= 0 && polls[k].revents != 0 {
                do {
                    if polls[k].revents & Int16(POLLOUT) != 0 { try flush(&connections[k]) }
                    guard polls[k].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 else { continue }
                    try receive(&connections[k], scratch: &scratch)
                    let received = ContinuousClock.now
                    while let answer = try connections[k].takeAnswer() {
                        if answer.status == 200 {
                            outcome.latencies.append((received - connections[k].sentAt).seconds)
                        } else {
                            outcome.errors += 1
                        }
                        connections[k].answered += 1
                        if answer.closes {
                            close(connections[k].fd)
                            connections[k].fd = try connect()
                        }
                        if connections[k].answered < maxRequests && received < deadline {
                            due.append(k)
                        } else {
                            close(connections[k].fd)
                            connections[k].fd = -1
                        }
                    }
                } catch {
                    outcome.failures.append("\(error)")
                    close(connections[k].fd)
                    connections[k].fd = -1
                }
            }
            for k in due {
                do { try send(&connections[k]) } catch {
                    outcome.failures.append("\(error)")
                    close(connections[k].fd)
                    connections[k].fd = -1
                }
            }
        }
        return outcome
    }

    /// One client connection and what it has read but not yet consumed.
    private struct Connection {
        var fd: Int32
        var buffer: [UInt8] = []
        var unsent = 0
        var sentAt = ContinuousClock.now
        var answered = 0

        struct Answer {
            var status: Int
            var closes: Bool
        }

        /// The next complete answer in the buffer (removed from it), or nil while incomplete.
        /// Parsed on bytes: the generator must stay cheap next to the server it measures.
        mutating func takeAnswer() throws -> Answer? {
            guard let headEnd = find([13, 10, 13, 10], in: buffer[...]) else { return nil }
            // "HTTP/1.1 200 OK"
            guard headEnd >= 12, buffer[8] == 32, let status = Self.integer(buffer[9..<12]) else {
                throw Failure(description: "malformed status line")
            }
            var length: Int?
            var chunked = false
            var closes = false
            var lineStart = (find([13, 10], in: buffer[..<headEnd]) ?? headEnd) + 2
            while lineStart < headEnd {
                let lineEnd = find([13, 10], in: buffer[lineStart..<headEnd]) ?? headEnd
                if let colon = buffer[lineStart..<lineEnd].firstIndex(of: 58) {
                    var valueStart = colon + 1
                    while valueStart < lineEnd && buffer[valueStart] == 32 { valueStart += 1 }
                    let name = buffer[lineStart..<colon], value = buffer[valueStart..<lineEnd]
                    if Self.equalsIgnoringCase(name, "content-length") {
                        length = Self.integer(value)
                    } else if Self.equalsIgnoringCase(name, "transfer-encoding") {
                        chunked = Self.equalsIgnoringCase(value, "chunked")
                    } else if Self.equalsIgnoringCase(name, "connection") {
                        closes = Self.equalsIgnoringCase(value, "close")
                    }
                }
                lineStart = lineEnd + 2
            }
            let bodyStart = headEnd + 4
            let end: Int
            if let length {
                guard buffer.count - bodyStart >= length else { return nil }
                end = bodyStart + length
            } else if chunked {
                let last = Array("0\r\n\r\n".utf8)
                if buffer[bodyStart...].starts(with: last) {
                    end = bodyStart + last.count
                } else {
                    guard let terminator = find([13, 10] + last, in: buffer[bodyStart...]) else { return nil }
                    end = terminator + 2 + last.count
                }
            } else {
                end = bodyStart
            }
            buffer.removeFirst(end)
            return Answer(status: status, closes: closes)
        }

        private static func integer(_ digits: ArraySlice<UInt8>) -> Int? {
            guard !digits.isEmpty, digits.count < 19 else { return nil }
            var value = 0
            for d in digits {
                guard (48...57).contains(d) else { return nil }
                value = value * 10 + Int(d - 48)
            }
            return value
        }

        private static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ text: StaticString) -> Bool {
            guard bytes.count == text.utf8CodeUnitCount else { return false }
            let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            for (a, b) in zip(bytes, expected) {
                let lower: UInt8 = (a >= 65 && a <= 90) ? a | 0x20 : a
                if lower != b { return false }
            }
            return true
        }

        private func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            var k = haystack.startIndex
            let last = haystack.endIndex - needle.count
            while k <= last {
                if haystack[k] == needle[0] && haystack[k..<(k + needle.count)].elementsEqual(needle) { return k }
                k += 1
            }
            return nil
        }
    }

    private func connect() throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                Darwin.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard connected == 0 else { close(fd); throw Failure(description: "connect 127.0.0.1:\(port): errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    private func send(_ connection: inout Connection) throws {
        connection.sentAt = ContinuousClock.now
        connection.unsent = request.count
        try flush(&connection)
    }

    private func flush(_ connection: inout Connection) throws {
        while connection.unsent > 0 {
            let offset = request.count - connection.unsent
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let n = request[offset...].withUnsafeBytes { sendBytes(connection.fd, $0.baseAddress, $0.count, flags) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                if errno == EINTR { continue }
                throw Failure(description: "send: errno \(errno)")
            }
            connection.unsent -= n
        }
    }

    private func receive(_ connection: inout Connection, scratch: inout [UInt8]) throws {
        while true {
            let fd = connection.fd
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                connection.buffer.append(contentsOf: scratch[..<n])
                if n < scratch.count { return }
            } else if n == 0 {
                throw Failure(description: "connection closed by the server")
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else if errno != EINTR {
                throw Failure(description: "recv: errno \(errno)")
            }
        }
    }

    /// The bytes of `POST path` with a JSON body.
    static func request(path: String, body: String, token: String? = nil) -> [UInt8] {
        var text = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        if let token { text += "Authorization: Bearer \(token)\r\n" }
        text += "\r\n" + body
        return Array(text.utf8)
    }
}

// `send` is shadowed inside the type by the method of the same name.
private func sendBytes(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    #if canImport(Glibc)
    Glibc.send(fd, bytes, count, flags)
    #else
    Darwin.send(fd, bytes, count, flags)
    #endif
}
