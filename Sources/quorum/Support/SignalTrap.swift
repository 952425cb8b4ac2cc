import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a callback on a dispatch queue, so long work can stop cleanly
/// (tell workers, keep what is stored) instead of dying mid-write.
final class SignalTrap {
    private var sources: [DispatchSourceSignal] = []

    init(_ signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping (Int32) -> Void) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { handler(sig) }
            source.resume()
            sources.append(source)
        }
    }

    deinit { sources.forEach { $0.cancel() } }
}
