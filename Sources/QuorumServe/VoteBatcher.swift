import QuorumData

/// Dynamic batching: requests that arrive within `maxDelay` of the first waiting one are voted together, up to
/// `maxBatch` images, so the engine runs at batch speed under load. While a batch runs, new requests queue and
/// go in the next batch as soon as it is done; each request is answered as soon as its own batch is.
actor VoteBatcher {
    /// A request's images within the batch that voted them.
    struct Slice: Sendable {
        let vote: BatchVote
        let start: Int
        let count: Int
    }

    private struct Waiting {
        let images: ImageArray
        let continuation: CheckedContinuation<Slice, Never>
    }

    private let engine: VoteEngine
    private let maxDelay: Duration
    private let maxBatch: Int
    private let batchDone: @Sendable (_ images: Int) -> Void
    private var waiting: [Waiting] = []
    private var waitingImages = 0
    private var running = false
    private var timerArmed = false

    /// A batcher in front of `engine`; `batchDone` is told the size of every batch run (for metrics).
    init(
        engine: VoteEngine, maxDelay: Duration, maxBatch: Int,
        batchDone: @escaping @Sendable (_ images: Int) -> Void
    ) {
        self.engine = engine
        self.maxDelay = maxDelay
        self.maxBatch = max(1, maxBatch)
        self.batchDone = batchDone
    }

    /// Votes `images` (of the ensemble's shape) in the next batch, and returns their place in it.
    func vote(_ images: ImageArray) async -> Slice {
        await withCheckedContinuation { continuation in
            waiting.append(Waiting(images: images, continuation: continuation))
            waitingImages += images.count
            schedule()
        }
    }

    /// Starts a batch now when enough images wait, else arms the delay; a running batch picks them up itself.
    private func schedule() {
        guard !running else { return }
        if waitingImages >= maxBatch || maxDelay <= .zero {
            startBatches()
        } else if !timerArmed {
            timerArmed = true
            Task { [maxDelay] in
                try? await Task.sleep(for: maxDelay)
                self.delayEnded()
            }
        }
    }

    private func delayEnded() {
        timerArmed = false
        if !running && !waiting.isEmpty { startBatches() }
    }

    private func startBatches() {
        running = true
        Task { await self.runBatches() }
    }

    /// Runs batches until no request waits: requests that came in during a batch waited long enough already.
    private func runBatches() async {
        while !waiting.isEmpty {
            var taken = 0, images = 0
            while taken < waiting.count && (taken == 0 || images + waiting[taken].images.count <= maxBatch) {
                images += waiting[taken].images.count
                taken += 1
            }
            let batch = Array(waiting.prefix(taken))
            waiting.removeFirst(taken)
            waitingImages -= images
            let shape = batch[0].images.imageShape
            let joined = ImageArray(imageShape: shape, pixels: batch.flatMap(\.images.pixels), count: images)
            let vote = await engine.run(joined)
            batchDone(images)
            var start = 0
            for request in batch {
                request.continuation.resume(returning: Slice(vote: vote, start: start, count: request.images.count))
                start += request.images.count
            }
        }
        running = false
    }
}
