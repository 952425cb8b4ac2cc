import XCTest
@testable import QuorumData
import QuorumCore

final class BatchLoaderTests: XCTestCase {
    private func drain(_ loader: BatchLoader) -> (images: [[Float]], labels: [[Int32]], shapes: [[Int]]) {
        let t = Tensor(shape: [1])
        var labels: [Int32] = []
        var out: ([[Float]], [[Int32]], [[Int]]) = ([], [], [])
        while loader.next(into: t, labels: &labels) {
            out.0.append(t.array)
            out.1.append(labels)
            out.2.append(t.shape)
        }
        return out
    }

    func testBatchesAreIdenticalWithAndWithoutPrefetch() throws {
        let d = makeDataset(perClass: [20, 5, 12], shape: [6, 6, 3])
        let augmentation = try AugmentationSettings(
            parsing: "hflip,rotate=10,crop=2,brightness=0.2,contrast=0.2,color=0.2,blur=0.5,erase=0.5,boost=1")
        let order = epochOrder(labels: d.labels, strategy: .shuffle, epoch: 2, seed: 11)
        let norm = Normalization.fit(d)
        func make(_ prefetch: Bool) -> BatchLoader {
            BatchLoader(
                dataset: d, batchSize: 8, normalization: norm, augmentation: augmentation, order: order,
                seed: 11, epoch: 2, prefetch: prefetch)
        }
        let a = drain(make(true)), b = drain(make(false))
        XCTAssertEqual(a.images, b.images)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertEqual(a.shapes, [[8, 6, 6, 3], [8, 6, 6, 3], [8, 6, 6, 3], [8, 6, 6, 3], [5, 6, 6, 3]])
        XCTAssertEqual(a.labels.flatMap { $0 }, order.map { d.labels[$0] })
        // Another epoch augments differently.
        let other = drain(
            BatchLoader(
                dataset: d, batchSize: 8, normalization: norm, augmentation: augmentation, order: order,
                seed: 11, epoch: 3, prefetch: true))
        XCTAssertNotEqual(other.images, a.images)
    }

    func testWithoutAugmentationBatchesAreNormalisedBytes() {
        let d = makeDataset(perClass: [3, 2], shape: [2, 2, 1])
        let norm = Normalization(mean: [0.5], std: [0.25])
        let loader = BatchLoader.evaluationBatches(dataset: d, batchSize: 2, normalization: norm)
        XCTAssertEqual(loader.batchCount, 3)
        let out = drain(loader)
        let all = out.images.flatMap { $0 }
        XCTAssertEqual(all.count, d.pixels.count)
        for (v, byte) in zip(all, d.pixels) { XCTAssertEqual(v, (Float(byte) / 255 - 0.5) / 0.25, accuracy: 1e-5) }
        XCTAssertEqual(out.labels.flatMap { $0 }, d.labels)
        XCTAssertEqual(out.shapes.last, [1, 2, 2, 1])
    }

    func testDropLastAndReuseOfStorage() {
        let d = makeDataset(perClass: [7, 6])
        let loader = BatchLoader(
            dataset: d, batchSize: 4, normalization: .identity(channels: 1), augmentation: .none,
            order: Array(0..<13), seed: 0, epoch: 0, dropLast: true)
        XCTAssertEqual(loader.batchCount, 3)
        XCTAssertEqual(loader.imageCount, 12)
        let t = Tensor(shape: [4, 4, 4, 1])
        let storage = t.data
        var labels: [Int32] = []
        var batches = 0
        while loader.next(into: t, labels: &labels) {
            batches += 1
            XCTAssertEqual(t.data, storage, "the caller's tensor is reused, not reallocated")
            XCTAssertEqual(labels.count, 4)
        }
        XCTAssertEqual(batches, 3)
        XCTAssertFalse(loader.next(into: t, labels: &labels))
    }

    func testDroppingALoaderEarlyStopsItsThread() {
        let d = makeDataset(perClass: [200, 200], shape: [8, 8, 1])
        let augmentation = try! AugmentationSettings(parsing: "crop=2,hflip")
        for taken in [0, 1, 3] {
            let done = expectation(description: "loader dropped after \(taken) batches")
            DispatchQueue.global().async {
                do {
                    let loader = BatchLoader(
                        dataset: d, batchSize: 4, normalization: .identity(channels: 1),
                        augmentation: augmentation, order: Array(0..<400), seed: 1, epoch: 0)
                    let t = Tensor(shape: [1])
                    var labels: [Int32] = []
                    for _ in 0..<taken { _ = loader.next(into: t, labels: &labels) }
                }
                done.fulfill()
            }
            wait(for: [done], timeout: 10)
        }
    }
}
