import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP endpoint Prometheus scrapes: `GET /metrics` answers `render()`'s text, anything else 404. It runs on
/// Hummingbird (as `quorum serve` does) in a task of its own beside the coordinator's socket loop; `close()`
/// stops it. With a token, requests must carry `Authorization: Bearer TOKEN` (compared in constant time) or get
/// 401.
public final class MetricsListener: @unchecked Sendable {
    /// The address bound, as `HOST:PORT` (port 0 asked for any free port; this names the one chosen).
    public let address: String
    private let group: ServiceGroup
    private let finished = DispatchSemaphore(value: 0)

    /// Binds `address` (`HOST:PORT`, an IPv4 host or `localhost`) and starts answering scrapes with `render()`;
    /// returns once it listens, or throws why it could not.
    public init(address text: String, token: String? = nil, render: @escaping @Sendable () -> String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw MetricsError.badAddress(text) }
        let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
        var ip = in_addr()
        guard inet_pton(AF_INET, host, &ip) == 1 else { throw MetricsError.badAddress(text) }

        let router = Router()
        let bearer = token.map(BearerToken.init)
        router.get("/metrics") { request, _ in
            if let bearer, !bearer.accepts(authorization: request.headers[.authorization]) {
                return Response(
                    status: .unauthorized, headers: [.wwwAuthenticate: "Bearer", .contentType: "text/plain"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "a bearer token is required\n")))
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: render())))
        }
        // Hummingbird's own start and stop lines would interleave with the run's table; only its problems show.
        var logger = Logger(label: "metrics")
        logger.logLevel = .warning
        let startup = Startup()
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: Int(port)), serverName: "quorum-metrics"),
            onServerRunning: { channel in startup.finish(port: channel.localAddress?.port ?? Int(port)) },
            logger: logger)
        // A service group of its own, so that `close()` can shut the server down gracefully (a cancelled
        // server logs its listening channel's cancellation as an error).
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: [], logger: logger))
        self.group = group
        let finished = finished
        Task {
            do { try await group.run() } catch { startup.finish(error: error) }
            finished.signal()
        }
        switch startup.wait() {
        case .success(let bound): address = "\(host):\(bound)"
        case .failure(let error):
            finished.wait()
            throw MetricsError.cannotListen(address: text, reason: "\(error)")
        }
    }

    /// Stops answering and waits until the endpoint has closed its socket.
    public func close() {
        let group = group
        Task { await group.triggerGracefulShutdown() }
        finished.wait()
    }
}

/// The first of "listening on port P" or "failed with E", handed from the server's task to `init`.
private final class Startup: @unchecked Sendable {
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private var outcome: Result<Int, Error>?

    func finish(port: Int) { settle(.success(port)) }
    func finish(error: Error) { settle(.failure(error)) }

    func wait() -> Result<Int, Error> {
        ready.wait()
        lock.lock()
        defer { lock.unlock() }
        return outcome!
    }

    private func settle(_ result: Result<Int, Error>) {
        lock.lock()
        let first = outcome == nil
        if first { outcome = result }
        lock.unlock()
        if first { ready.signal() }
    }
}
