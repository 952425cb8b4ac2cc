import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 exchange over a plain loopback socket, written by hand so that a test controls every byte
/// sent: a Content-Length that lies, a body cut short, a pause in the middle of a body.
struct HTTPTestClient {
    /// A parsed response.
    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]

        /// The body as a JSON object (nil when it is not one).
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
        /// The body as text.
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    enum Failure: Error, CustomStringConvertible {
        case socket(String)
        case malformed(String)
        var description: String {
            switch self {
            case let .socket(s): return "socket: \(s)"
            case let .malformed(s): return "malformed response: \(s)"
            }
        }
    }

    let port: Int

    /// Sends a request and reads the response on a thread of its own (not the concurrency pool the server
    /// runs on). `contentLength` overrides the header (nil: the body's size; -1: no header).
    func send(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [],
        contentLength: Int? = nil
    ) async throws -> Reply {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        let socket = try connect()
                        defer { close(socket) }
                        try write(socket, head(method, path, headers, contentLength ?? body.count) + body)
                        return try Self.parse(readAll(socket))
                    })
            }.start()
        }
    }

    /// The request line and headers, ending the connection after the response.
    func head(_ method: String, _ path: String, _ headers: [(String, String)], _ length: Int) -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if length >= 0 { text += "Content-Length: \(length)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    /// A connected socket with a 30 s receive time-out.
    func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            close(fd)
            throw Failure.socket("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// Writes all of `bytes`; a peer that closed early (it refused the rest) is not an error here.
    func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }

    /// Everything until the server closes the connection.
    func readAll(_ fd: Int32) throws -> [UInt8] {
        var out: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && !out.isEmpty { break }  // reset after the response was sent
            if n < 0 { throw Failure.socket("recv: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    /// Parses a response with a Content-Length (or read until close).
    static func parse(_ bytes: [UInt8]) throws -> Reply {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else {
            throw Failure.malformed("no end of headers in \(bytes.count) bytes")
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusFields = lines[0].split(separator: " ")
        guard statusFields.count >= 2, let status = Int(statusFields[1]) else { throw Failure.malformed(lines[0]) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if let length = headers["content-length"].flatMap(Int.init), body.count > length {
            body = Array(body.prefix(length))
        }
        return Reply(status: status, headers: headers, body: body)
    }
}
