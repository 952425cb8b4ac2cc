import Foundation

/// How `quorum serve` listens, batches and limits requests.
public struct ServeSettings: Sendable {
    /// The address to listen on.
    public var address: ServeAddress
    /// How long the first request of a batch waits for others before the engine runs.
    public var maxDelay: Duration
    /// The most images voted in one engine batch.
    public var maxBatch: Int
    /// The largest request body accepted, in bytes; a larger one is refused before it is read in full.
    public var maxBody: Int
    /// The most images one request may carry.
    public var maxImages: Int
    /// The bearer token every `/v1/` and `/metrics` request must carry; nil serves without one.
    public var token: String?
    /// Cores the engine uses.
    public var threads: Int
    /// Images the page offers to try (count 0: none).
    public var examples: ServeExamples

    /// Settings with the command line's defaults.
    public init(
        address: ServeAddress = ServeAddress(host: "127.0.0.1", port: 8080), maxDelay: Duration = .milliseconds(2),
        maxBatch: Int = 64, maxBody: Int = 8 << 20, maxImages: Int = 64, token: String? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, examples: ServeExamples = ServeExamples()
    ) {
        self.address = address
        self.maxDelay = maxDelay
        self.maxBatch = maxBatch
        self.maxBody = maxBody
        self.maxImages = maxImages
        self.token = token
        self.threads = threads
        self.examples = examples
    }
}

/// A `HOST:PORT` to listen on (`[::1]:PORT` for IPv6).
public struct ServeAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host or address.
    public var host: String
    /// The TCP port; 0 lets the system pick one.
    public var port: Int

    /// An address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` or `[V6]:PORT`; nil when either part is missing or the port is not 0...65535.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    /// True when only this machine can reach the address: 127.x.x.x, `localhost` or `::1`.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// `HOST:PORT`, with brackets around an IPv6 host.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
