import Crypto
import XCTest
@testable import QuorumData

final class DatasetTests: XCTestCase {
    func testSubsetAndClassCounts() {
        let d = makeDataset(perClass: [3, 1, 2])
        XCTAssertEqual(d.classCounts(), [3, 1, 2])
        let s = d.subset([5, 0, 5])
        XCTAssertEqual(s.labels, [2, 0, 2])
        XCTAssertEqual(s.image(0), d.image(5))
        XCTAssertEqual(s.image(1), d.image(0))
        XCTAssertEqual(s.count, 3)
        XCTAssertEqual(s.numClasses, 3)
    }

    func testContentHashIsStableAndSensitive() {
        let d = makeDataset(perClass: [2, 2])
        XCTAssertEqual(d.contentHash(), makeDataset(perClass: [2, 2]).contentHash())
        XCTAssertEqual(d.contentHash().count, 64)
        XCTAssertEqual(d.contentHash(), d.renamed("other", classNames: ["a", "b"]).contentHash())
        var labels = d.labels
        labels[3] = 0
        let relabelled = Dataset(
            name: d.name, imageShape: d.imageShape, pixels: d.pixels, labels: labels, classNames: d.classNames)
        XCTAssertNotEqual(d.contentHash(), relabelled.contentHash())
        let reshaped = Dataset(
            name: d.name, imageShape: [2, 8, 1], pixels: d.pixels, labels: d.labels, classNames: d.classNames)
        XCTAssertNotEqual(d.contentHash(), reshaped.contentHash())
        // The documented byte layout, hashed independently.
        var bytes: [UInt8] = []
        for dim in d.imageShape { bytes += [UInt8(dim)] + [UInt8](repeating: 0, count: 7) }
        bytes += d.pixels
        for l in d.labels { bytes += [UInt8(l), 0, 0, 0] }
        XCTAssertEqual(d.contentHash(), SHA256.hex(bytes))
    }

    func testNormalizationFit() {
        // Two images of one channel: all 0 and all 255: mean 0.5, std 0.5.
        let d = Dataset(
            name: "n", imageShape: [2, 2, 1], pixels: [0, 0, 0, 0, 255, 255, 255, 255], labels: [0, 1],
            classNames: ["a", "b"])
        let n = Normalization.fit(d)
        XCTAssertEqual(n.mean[0], 0.5, accuracy: 1e-6)
        XCTAssertEqual(n.std[0], 0.5, accuracy: 1e-6)
        let rgb = Dataset(name: "c", imageShape: [1, 1, 3], pixels: [255, 0, 51], labels: [0], classNames: ["a"])
        let m = Normalization.fit(rgb)
        XCTAssertEqual(m.mean, [1, 0, 0.2])
        XCTAssertEqual(m.std, [1, 1, 1], "constant channels get std 1")
        XCTAssertEqual(Normalization.fashionMNIST, Normalization(mean: [0.2860], std: [0.3530]))
    }

    func testPerClassAccuracy() {
        let acc = perClassAccuracy(predictions: [0, 1, 1, 2, 0], labels: [0, 1, 2, 2, 1], classes: 4)
        XCTAssertEqual(acc, [1, 0.5, 0.5, 0])
    }
}
