import Foundation

/// Prepares the next batch on a background thread while the caller trains on the current one.
///
/// Two slots are filled in turn; `free` counts slots the producer may write, `filled` counts slots the
/// consumer may read. Slots are allocated once, so nothing is allocated per batch. The thread holds
/// this object, not the loader, so dropping the loader early can stop it (`stop()`).
final class Prefetcher: @unchecked Sendable {
    // @unchecked: the slots are handed between the two threads by the semaphores, and `cancelled` is
    // guarded by `lock`; nothing else is shared.
    private let producer: BatchProducer
    private let images: [UnsafeMutablePointer<Float>]
    private let labels: [UnsafeMutablePointer<Int32>]
    /// Images in each slot; a raw buffer because the two threads write and read different elements at once.
    private let counts: UnsafeMutablePointer<Int>
    // Semaphores start at 0 and are signalled up: libdispatch traps when a semaphore is released with a
    // value below its initial one, which an early stop could otherwise leave behind.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var cancelled = false
    private var stopped = false

    init(producer: BatchProducer) {
        self.producer = producer
        let imageFloats = max(1, producer.batchSize * producer.imageSize)
        images = (0..<2).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: imageFloats) }
        labels = (0..<2).map { _ in UnsafeMutablePointer<Int32>.allocate(capacity: max(1, producer.batchSize)) }
        counts = .allocate(capacity: 2)
        counts.initialize(repeating: 0, count: 2)
        free.signal()
        free.signal()
        let thread = Thread { [self] in run() }
        thread.name = "quorum.batch-prefetch"
        thread.start()
    }

    deinit {
        images.forEach { $0.deallocate() }
        labels.forEach { $0.deallocate() }
        counts.deallocate()
    }

    private var isCancelled: Bool {
        lock.lock(); defer { lock.unlock() }
        return cancelled
    }

    private func run() {
        for b in 0..<producer.batchCount {
            free.wait()
            if isCancelled { break }
            let slot = b % 2
            counts[slot] = producer.fill(batch: b, images: images[slot], labels: labels[slot])
            filled.signal()
        }
        finished.signal()
    }

    /// Waits for batch `b` (batches must be taken in order) and copies it out; then frees its slot.
    func take(batch b: Int, into out: UnsafeMutablePointer<Float>, labels outLabels: inout [Int32]) -> Int {
        filled.wait()
        let slot = b % 2
        let n = counts[slot]
        out.update(from: images[slot], count: n * producer.imageSize)
        for j in 0..<n { outLabels.append(labels[slot][j]) }
        free.signal()
        return n
    }

    /// Asks the thread to finish and waits until it has, whether it is working, waiting or done.
    func stop() {
        lock.lock()
        let first = !stopped
        stopped = true
        cancelled = true
        lock.unlock()
        guard first else { return }
        // Two signals: the producer may be waiting for a slot while both are full.
        free.signal()
        free.signal()
        finished.wait()
    }
}
