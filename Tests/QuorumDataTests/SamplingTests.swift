import XCTest
@testable import QuorumData
import QuorumCore

final class SamplingTests: XCTestCase {
    private let labels: [Int32] =
        [Int32](repeating: 0, count: 10) + [Int32](repeating: 1, count: 3) + [Int32](repeating: 2, count: 6)

    private func counts(_ order: [Int]) -> [Int] {
        var c = [0, 0, 0]
        for i in order { c[Int(labels[i])] += 1 }
        return c
    }

    func testShuffleIsASeededPermutationPerEpoch() {
        let a = epochOrder(labels: labels, strategy: .shuffle, epoch: 0, seed: 5)
        XCTAssertEqual(a.sorted(), Array(0..<labels.count))
        XCTAssertEqual(a, epochOrder(labels: labels, strategy: .shuffle, epoch: 0, seed: 5))
        XCTAssertNotEqual(a, epochOrder(labels: labels, strategy: .shuffle, epoch: 1, seed: 5))
        XCTAssertNotEqual(a, epochOrder(labels: labels, strategy: .shuffle, epoch: 0, seed: 6))
    }

    func testOversampleBringsEveryClassToTheLargest() {
        let order = epochOrder(labels: labels, strategy: .oversample, epoch: 0, seed: 1)
        XCTAssertEqual(counts(order), [10, 10, 10])
        // Class 1 (3 images → 10): each image 3 or 4 times.
        let uses = Dictionary(grouping: order.filter { labels[$0] == 1 }, by: { $0 }).mapValues(\.count)
        XCTAssertEqual(Set(uses.keys), [10, 11, 12])
        XCTAssertTrue(uses.values.allSatisfy { $0 == 3 || $0 == 4 })
        // Every image of the largest class appears exactly once.
        XCTAssertEqual(order.filter { labels[$0] == 0 }.sorted(), Array(0..<10))
    }

    func testUndersampleCutsEveryClassToTheSmallest() {
        let order = epochOrder(labels: labels, strategy: .undersample, epoch: 0, seed: 1)
        XCTAssertEqual(counts(order), [3, 3, 3])
        XCTAssertEqual(Set(order).count, 9, "no image twice")
        XCTAssertNotEqual(Set(order), Set(epochOrder(labels: labels, strategy: .undersample, epoch: 1, seed: 1)))
    }

    func testBalancedClassWeights() throws {
        let w = ClassWeights.balanced.weights(classCounts: [10, 3, 6, 0])
        XCTAssertEqual(w[0], 19.0 / (4 * 10), accuracy: 1e-6)
        XCTAssertEqual(w[1], 19.0 / (4 * 3), accuracy: 1e-6)
        XCTAssertEqual(w[3], 0)
        XCTAssertEqual(try ClassWeights(parsing: "balanced", classes: 3), .balanced)
        let explicit = try ClassWeights(parsing: "1, 2.5,0", classes: 3)
        XCTAssertEqual(explicit, .explicit([1, 2.5, 0]))
        XCTAssertEqual(explicit.weights(classCounts: [1, 1, 1]), [1, 2.5, 0])
        XCTAssertEqual(try ClassWeights(parsing: explicit.description, classes: 3), explicit)
        XCTAssertThrowsError(try ClassWeights(parsing: "1,2", classes: 3)) {
            XCTAssertEqual($0 as? DataSpecError, .wrongCount(form: "class weights '1,2'", found: 2, expected: 3))
        }
        XCTAssertThrowsError(try ClassWeights(parsing: "1,x,2", classes: 3)) {
            XCTAssertTrue("\($0)".contains("class 1"), "\($0)")
        }
        XCTAssertThrowsError(try ClassWeights(parsing: "1,-2,2", classes: 3))
        XCTAssertThrowsError(try ClassWeights(parsing: "0,0", classes: 2))
    }

    func testImbalanceKeepsTheNamedFractions() throws {
        let d = makeDataset(perClass: [100, 100, 100, 100])
        let spec = try ImbalanceSpec(parsing: "0=0.1,3=0.05")
        XCTAssertEqual(spec.fractions, [0: 0.1, 3: 0.05])
        XCTAssertEqual(try ImbalanceSpec(parsing: spec.description), spec)
        let thin = try spec.apply(to: d, seed: 4)
        XCTAssertEqual(thin.classCounts(), [10, 100, 100, 5])
        XCTAssertEqual(try spec.apply(to: d, seed: 4).pixels, thin.pixels, "seeded")
        XCTAssertNotEqual(try spec.apply(to: d, seed: 5).pixels, thin.pixels)
        XCTAssertThrowsError(try ImbalanceSpec(parsing: "4=0.5").apply(to: d, seed: 0)) {
            XCTAssertTrue("\($0)".contains("'4'"), "\($0)")
        }
        XCTAssertThrowsError(try ImbalanceSpec(parsing: "1=1.5")) { XCTAssertTrue("\($0)".contains("1.5"), "\($0)") }
        XCTAssertThrowsError(try ImbalanceSpec(parsing: "x=0.5"))
        XCTAssertThrowsError(try ImbalanceSpec(parsing: "1=0.5,1=0.2"))
    }

    func testMinorityClassesAreBelowTheMedian() {
        XCTAssertEqual(MinorityClasses.mask(classCounts: [10, 3, 6]), [false, true, false])
        XCTAssertEqual(MinorityClasses.mask(classCounts: [10, 3, 6, 8]), [false, true, true, false])
        XCTAssertEqual(MinorityClasses.mask(classCounts: [5, 5, 5]), [false, false, false])
    }

    func testMinorityBoostAugmentsOnlyMinorityImages() {
        // Class 1 is the minority; with erase=0.4 and boost=1.5 its images are always erased (p capped at 1),
        // while about 40 % of the majority's are.
        var pixels = [UInt8](repeating: 255, count: 60 * 100)
        let labels = (0..<60).map { Int32($0 < 45 ? 0 : ($0 < 50 ? 1 : 2)) }
        pixels[0] = 255
        let d = Dataset(name: "b", imageShape: [10, 10, 1], pixels: pixels, labels: labels, classNames: ["a", "b", "c"])
        var s = AugmentationSettings()
        s.erasingProbability = 0.4
        s.minorityBoost = 1.5
        let loader = BatchLoader(
            dataset: d, batchSize: 60, normalization: .identity(channels: 1), augmentation: s,
            order: Array(0..<60), seed: 2, epoch: 0, prefetch: false)
        let t = Tensor(shape: [1])
        var got: [Int32] = []
        XCTAssertTrue(loader.next(into: t, labels: &got))
        let erased = (0..<60).map { i in (0..<100).contains { t[i * 100 + $0] == 0 } }
        XCTAssertTrue((45..<50).allSatisfy { erased[$0] })
        XCTAssertLessThan((0..<45).filter { erased[$0] }.count, 40)
    }
}
