import Foundation
import CZeroMQ

/// ZeroMQ's authentication handler (ZAP, RFC 27) for one context: it answers the CURVE handshakes of every
/// socket in that context, accepting only public keys on the allow-list.
///
/// libzmq asks the handler bound at `inproc://zeromq.zap.01` before it completes a handshake; the handler
/// runs on its own thread because the coordinator's loop may be busy when a worker connects. Refusals are
/// queued for the coordinator's loop to log, so log callbacks stay on one thread.
public final class ZAPHandler: @unchecked Sendable {
    /// A handshake the handler turned down.
    public struct Refusal: Equatable, Sendable {
        /// The peer's IP address as libzmq reports it.
        public var address: String
        /// The peer's CURVE public key (Z85), or the mechanism when it was not CURVE.
        public var key: String
    }

    /// The endpoint libzmq sends ZAP requests to.
    public static let endpoint = "inproc://zeromq.zap.01"

    private let allowed: Set<Data>
    private let lock = NSLock()
    private var refusals: [Refusal] = []
    private var acceptedCount = 0
    private let stopFlag = CancellationFlag()
    private let finished = DispatchSemaphore(value: 0)
    private var started = false

    /// A handler for `context` accepting exactly `authorizedKeys` (Z85 public keys). Binds at once, so
    /// it is in place before any socket of the context accepts a connection.
    public init(context: ZMQContext, authorizedKeys: [String]) throws {
        allowed = Set(try authorizedKeys.map { try Z85.decode($0) })
        let socket = try context.socket(.rep)
        do {
            try socket.setLinger(0)
            try socket.bind(Self.endpoint)
        } catch {
            socket.close()
            throw error
        }
        let thread = Thread { [self] in
            serve(socket)
            socket.close()
            finished.signal()
        }
        thread.name = "quorum-zap"
        started = true
        thread.start()
    }

    deinit { stop() }

    /// Handshakes refused since the last call, oldest first.
    public func takeRefusals() -> [Refusal] {
        lock.lock(); defer { lock.unlock() }
        let taken = refusals
        refusals.removeAll()
        return taken
    }

    /// How many handshakes were accepted so far.
    public var accepted: Int { lock.lock(); defer { lock.unlock() }; return acceptedCount }

    /// Stops the thread and closes its socket; idempotent.
    public func stop() {
        lock.lock()
        let wasStarted = started
        started = false
        lock.unlock()
        guard wasStarted else { return }
        stopFlag.cancel(reason: "stop")
        finished.wait()
    }

    private func serve(_ socket: ZMQSocket) {
        var poller = ZMQPoller(sockets: [socket])
        while !stopFlag.isCancelled {
            guard (try? poller.poll(timeout: 0.05))?.first == true else { continue }
            guard let request = try? socket.receive(dontWait: true) else { continue }
            let reply = answer(request)
            _ = try? socket.send(frames: reply)
        }
    }

    /// The reply to one ZAP request: version, request id, status code, status text, user id, metadata.
    private func answer(_ frames: [Data]) -> [Data] {
        // Request: version, request id, domain, address, identity, mechanism, credentials...
        guard frames.count >= 6, frames[0] == Data("1.0".utf8) else {
            return [
                Data("1.0".utf8), frames.count > 1 ? frames[1] : Data(), Data("500".utf8),
                Data("malformed ZAP request".utf8), Data(), Data()
            ]
        }
        let address = String(decoding: frames[3], as: UTF8.self)
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        if mechanism == "CURVE", frames.count >= 7, allowed.contains(frames[6]) {
            lock.lock(); acceptedCount += 1; lock.unlock()
            let key = (try? Z85.encode(frames[6])) ?? ""
            return [frames[0], frames[1], Data("200".utf8), Data("OK".utf8), Data(key.utf8), Data()]
        }
        let key =
            mechanism == "CURVE" && frames.count >= 7
            ? ((try? Z85.encode(frames[6])) ?? "?") : "(mechanism \(mechanism))"
        lock.lock(); refusals.append(Refusal(address: address, key: key)); lock.unlock()
        return [frames[0], frames[1], Data("400".utf8), Data("unknown key".utf8), Data(), Data()]
    }
}
