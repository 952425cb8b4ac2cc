import Foundation

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A minimal HTTP/1.1 endpoint for Prometheus: `GET /metrics` answers `render()`'s text, anything else 404.
/// One thread accepts and answers connections one at a time, each read bounded in size (8 KiB) and time (2 s),
/// so a slow or hostile client delays scrapes but cannot grow memory. Call `close()` to stop it. With a token, requests must carry
/// `Authorization: Bearer TOKEN` (compared in constant time) or get 401.
public final class MetricsListener: @unchecked Sendable {
    /// The address bound, as `HOST:PORT` (port 0 asked for any free port; this names the one chosen).
    public let address: String
    private let descriptor: Int32
    private let token: String?
    private let render: @Sendable () -> String
    private let stop = NSCondition()
    private var stopped = false
    private var thread: Thread?

    /// Binds `address` (`HOST:PORT`) and starts answering scrapes with `render()`.
    public init(address text: String, token: String? = nil, render: @escaping @Sendable () -> String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw MetricsError.badAddress(text) }
        let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
        var ip = in_addr()
        guard inet_pton(AF_INET, host, &ip) == 1 else { throw MetricsError.badAddress(text) }
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw MetricsError.socket(operation: "socket", address: text, errno: errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr = ip
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let code = errno
            closeSocket(fd)
            throw MetricsError.socket(operation: "bind", address: text, errno: code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        address = "\(host):\(UInt16(bigEndian: actual.sin_port))"
        self.token = token
        self.render = render
        let thread = Thread { [self] in serve() }
        thread.name = "quorum metrics"
        self.thread = thread
        thread.start()
    }

    /// Stops answering and closes the socket; waits for the serving thread to finish.
    public func close() {
        stop.lock()
        let wasStopped = stopped
        stopped = true
        while thread != nil && !wasStopped { stop.wait() }
        stop.unlock()
        if !wasStopped { closeSocket(descriptor) }
    }

    private var isStopped: Bool {
        stop.lock()
        defer { stop.unlock() }
        return stopped
    }

    private func serve() {
        var item = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while !isStopped {
            guard poll(&item, 1, 200) > 0 else { continue }
            let client = accept(descriptor, nil, nil)
            guard client >= 0 else { continue }
            answer(client)
            closeSocket(client)
        }
        stop.lock()
        thread = nil
        stop.broadcast()
        stop.unlock()
    }

    /// Reads one request (at most 8 KiB, 2 s) and writes the response.
    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < 8192 {
            let n = recv(client, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            request += buffer[0..<n]
            if request.count >= 4, request.suffix(4) == [13, 10, 13, 10] { break }
        }
        let text = String(decoding: request, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        let response: (status: String, type: String, body: String)
        if requestLine.count < 2 || requestLine[0] != "GET" {
            response = ("405 Method Not Allowed", "text/plain", "only GET /metrics is served\n")
        } else if requestLine[1] != "/metrics" {
            response = ("404 Not Found", "text/plain", "only GET /metrics is served\n")
        } else if let token, !Self.authorized(lines, token: token) {
            response = ("401 Unauthorized", "text/plain", "a bearer token is required\n")
        } else {
            response = ("200 OK", "text/plain; version=0.0.4; charset=utf-8", render())
        }
        let body = Array(response.body.utf8)
        var head = "HTTP/1.1 \(response.status)\r\nContent-Type: \(response.type)\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n"
        if response.status.hasPrefix("401") { head += "WWW-Authenticate: Bearer\r\n" }
        let bytes = Array((head + "\r\n").utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            sent += n
        }
    }

    /// Whether the request's headers carry `Authorization: Bearer token`, compared in constant time.
    static func authorized(_ lines: [String], token: String) -> Bool {
        let prefix = "authorization:"
        guard let line = lines.first(where: { $0.lowercased().hasPrefix(prefix) }) else { return false }
        let value = line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bearer ") else { return false }
        let given = Array(value.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8), wanted = Array(token.utf8)
        var difference = UInt8(given.count == wanted.count ? 0 : 1)
        for i in 0..<wanted.count { difference |= wanted[i] ^ (i < given.count ? given[i] : 0) }
        return difference == 0
    }
}

/// `close(2)`, out of reach of `MetricsListener.close()`'s name.
private func closeSocket(_ fd: Int32) { _ = close(fd) }
