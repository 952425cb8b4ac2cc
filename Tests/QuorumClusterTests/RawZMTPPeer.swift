#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// A ZMTP 3.0 peer written by hand over a plain TCP socket, for sending what libzmq itself never would:
/// frames announced larger than they are, or requests sent by a peer that never reads.
final class RawZMTPPeer {
    private let fd: Int32

    /// Connects to `tcp://127.0.0.1:PORT` and sends the NULL-mechanism greeting and READY command of a DEALER.
    init(_ endpoint: String) throws {
        guard let port = UInt16(endpoint.split(separator: ":").last ?? "") else { throw POSIXError(.EINVAL) }
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        var greeting = Data([0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, 0])
        greeting += Data("NULL".utf8) + Data(count: 16) + Data([0]) + Data(count: 31)
        let body =
            Data([5]) + Data("READY".utf8) + Data([11]) + Data("Socket-Type".utf8) + Data([0, 0, 0, 6])
            + Data("DEALER".utf8)
        _ = send(greeting + Data([0x04, UInt8(body.count)]) + body)
        // Wait for the other side's greeting and READY: a message sent before its READY went out would be
        // taken for a handshake command.
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard read(64) != nil, let command = read(2), command.count == 2,
            read(Int(command[command.startIndex + 1])) != nil
        else {
            close(fd)
            throw POSIXError(.EPROTO)
        }
    }

    /// Exactly `count` bytes from the connection, or nil.
    private func read(_ count: Int) -> Data? {
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: max(count, 1))
        while out.count < count {
            let n = recv(fd, &buffer, count - out.count, 0)
            if n <= 0 { return nil }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    deinit { close(fd) }

    /// Sends bytes; false once the other side has closed the connection.
    @discardableResult
    func send(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// The header of a frame of `size` bytes (8-byte length), with the MORE flag when `more`.
    static func frameHeader(size: UInt64, more: Bool = false) -> Data {
        var out = Data([0x02 | (more ? 0x01 : 0)])
        withUnsafeBytes(of: size.bigEndian) { out.append(contentsOf: $0) }
        return out
    }

    /// A whole multipart message in ZMTP framing.
    static func message(_ frames: [Data]) -> Data {
        var out = Data()
        for (i, frame) in frames.enumerated() {
            out += frameHeader(size: UInt64(frame.count), more: i < frames.count - 1) + frame
        }
        return out
    }
}

/// The resident memory of this process, from /proc/self/status, in bytes.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kb * 1024
}
