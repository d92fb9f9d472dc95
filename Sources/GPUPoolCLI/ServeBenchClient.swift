import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking HTTP/1.1 keep-alive client for `gpupool bench serve`: one socket per client
/// thread, so the benchmark measures the server and not a client library. Loopback (127.0.0.1) only.
final class ServeBenchClient {
    private var socketFD: Int32 = -1
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 65536)
    private let port: UInt16

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(port: Int) throws {
        guard let p = UInt16(exactly: port) else { throw Failure(description: "port \(port) out of range") }
        self.port = p
        try connect()
    }

    deinit { if socketFD >= 0 { close(socketFD) } }

    private func connect() throws {
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
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw Failure(description: "connect 127.0.0.1:\(port): errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        socketFD = fd
        buffer.removeAll(keepingCapacity: true)
    }

    /// Sends one POST and returns the status code (the body is read and dropped).
    func post(_ request: [UInt8]) throws -> Int {
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(socketFD, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
        // Head.
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headEnd == nil { try fill() }
        }
        guard let end = headEnd else { throw Failure(description: "no response head") }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
              let status = Int(statusLine.split(separator: " ")[1]) else { throw Failure(description: "bad status line") }
        var length: Int?
        var chunked = false
        var closes = false
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].lowercased(), value = parts[1].trimmingCharacters(in: .whitespaces)
            if name == "content-length" { length = Int(value) }
            if name == "transfer-encoding" && value.lowercased().contains("chunked") { chunked = true }
            if name == "connection" && value.lowercased() == "close" { closes = true }
        }
        if let length {
            while buffer.count < length { try fill() }
            buffer.removeFirst(length)
        } else if chunked {
            while Self.find(Array("\r\n0\r\n\r\n".utf8), in: buffer) == nil && !(buffer.starts(with: Array("0\r\n\r\n".utf8))) { try fill() }
            let terminator = Self.find(Array("\r\n0\r\n\r\n".utf8), in: buffer).map { $0 + 7 } ?? 5
            buffer.removeFirst(terminator)
        }
        if closes {
            close(socketFD)
            try connect()
        }
        return status
    }

    private func fill() throws {
        let fd = socketFD
        let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure(description: n == 0 ? "connection closed" : "recv: errno \(errno)") }
        buffer.append(contentsOf: scratch[..<n])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for k in 0...(haystack.count - needle.count) where haystack[k] == needle[0] {
            if haystack[k..<(k + needle.count)].elementsEqual(needle) { return k }
        }
        return nil
    }

    /// The bytes of `POST path` with a JSON body.
    static func request(path: String, body: String, token: String? = nil) -> [UInt8] {
        var text = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        if let token { text += "Authorization: Bearer \(token)\r\n" }
        text += "\r\n" + body
        return Array(text.utf8)
    }
}
