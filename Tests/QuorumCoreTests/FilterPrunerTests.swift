import XCTest
@testable import QuorumCore

final class FilterPrunerTests: XCTestCase {
    private let layers = "conv3x3(8) batchnorm relu maxpool2 conv3x3(6) relu maxpool2 flatten dense(5) relu dense(3)"

    private func model(seed: UInt64 = 3) throws -> Sequential {
        try Sequential(spec: ModelSpec(parsing: layers, inputShape: [8, 8, 1], classes: 3), seed: seed)
    }

    private func batch() -> Tensor {
        var rng = SeededGenerator(seed: 11)
        return Tensor(shape: [4, 8, 8, 1], values: (0..<256).map { _ in rng.nextNormal() })
    }

    /// Makes filter `o` of a convolution output zero after its ReLU: tiny weights, a negative bias.
    private func kill(_ conv: Conv2D, filter o: Int) {
        var w = conv.pytorchWeight()
        let per = conv.inChannels * conv.kernelSize * conv.kernelSize
        for i in (o * per)..<((o + 1) * per) { w[i] = 1e-4 * Float(i % 3) }
        conv.setPytorchWeight(w)
        conv.bias.value[o] = -1
    }

    func testRemovingDeadFiltersLeavesTheAnswersUnchangedAndTheModelSmaller() throws {
        let net = try model()
        let conv1 = net.layers[0] as! Conv2D, norm = net.layers[1] as! BatchNorm2D, conv2 = net.layers[4] as! Conv2D
        for o in [1, 5, 6] {
            kill(conv1, filter: o)
            norm.bias.value[o] = -5  // keeps the dead channel at zero through BatchNorm and ReLU
        }
        for i in 0..<8 { norm.runningMean.value[i] = 0.1 * Float(i); norm.runningVar.value[i] = 1 + 0.2 * Float(i) }
        for o in [0, 4] { kill(conv2, filter: o) }
        let input = batch()
        let before = net.forward(input, training: false).array
        XCTAssertEqual(FilterPruner.prunableLayers(net.spec), [0, 4])

        let pruned = try FilterPruner.prune(net, keeping: [0: 5, 4: 4])
        XCTAssertEqual(
            pruned.spec.layers,
            "conv3x3(5) batchnorm relu maxpool2 conv3x3(4) relu maxpool2 flatten dense(5) relu dense(3)")
        XCTAssertLessThan(pruned.parameterCount, net.parameterCount)
        XCTAssertLessThan(pruned.forwardFLOPs, net.forwardFLOPs)
        XCTAssertEqual(
            (pruned.layers[8] as! Dense).inFeatures, 4 * 2 * 2, "the dense layer lost the pruned channels' features")
        let after = pruned.forward(input, training: false).array
        for (a, b) in zip(before, after) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        // Kept filters keep their order and their values.
        XCTAssertEqual((pruned.layers[0] as! Conv2D).bias.value.array, [0, 2, 3, 4, 7].map { conv1.bias.value[$0] })
        XCTAssertEqual(
            (pruned.layers[1] as! BatchNorm2D).runningVar.value.array, [0, 2, 3, 4, 7].map { norm.runningVar.value[$0] }
        )

        // The pruned model is an ordinary model file.
        let meta = ModelMetadata(
            spec: pruned.spec, normalizationMean: [0], normalizationStd: [1], classNames: ["a", "b", "c"])
        let (reloaded, _) = try ModelFile.load(data: ModelFile.serialized(pruned, metadata: meta), path: "pruned")
        XCTAssertEqual(reloaded.forward(input, training: false).array, pruned.forward(input, training: false).array)
    }

    func testLowestL1NormsGoFirst() throws {
        let net = try model()
        let conv1 = net.layers[0] as! Conv2D
        var w = conv1.pytorchWeight()
        // norms 72, 63, ..., 9
        for o in 0..<8 { for i in 0..<9 { w[o * 9 + i] = Float(8 - o) * (i % 2 == 0 ? 1 : -1) } }
        conv1.setPytorchWeight(w)
        let norms = try XCTUnwrap(FilterPruner.filterNorms(net)[0])
        XCTAssertEqual(norms[0], 72, accuracy: 1e-4)
        XCTAssertEqual(norms[7], 9, accuracy: 1e-4)
        let pruned = try FilterPruner.prune(net, keeping: [0: 3])
        let kept = (pruned.layers[0] as! Conv2D).pytorchWeight()
        XCTAssertEqual(kept.count, 3 * 9)
        XCTAssertEqual([kept[0], kept[9], kept[18]], [8, 7, 6], "the three largest-norm filters stay")
    }

    func testThirtyPercentOfCnnAFiltersCutsFLOPsByMoreThanThirtyPercent() throws {
        let net = try Sequential(spec: ModelSpec(parsing: "cnn-a", inputShape: [28, 28, 1], classes: 10), seed: 1)
        let pruned = try FilterPruner.prune(net, fraction: 0.3)
        XCTAssertTrue(
            pruned.spec.layers.hasPrefix("conv3x3(22) relu maxpool2 conv3x3(45) relu maxpool2 flatten dense(128)"),
            pruned.spec.layers)
        XCTAssertLessThan(Double(pruned.forwardFLOPs), 0.7 * Double(net.forwardFLOPs))
    }

    func testAConvolutionFeedingTheOutputIsNotPrunable() throws {
        let net = try Sequential(
            spec: ModelSpec(parsing: "conv3x3(4) relu conv1x1(3) gap", inputShape: [6, 6, 1], classes: 3), seed: 1)
        XCTAssertEqual(FilterPruner.prunableLayers(net.spec), [0])
        XCTAssertThrowsError(try FilterPruner.prune(net, keeping: [2: 2])) {
            XCTAssertTrue("\($0)".contains("layer 2"))
        }
        XCTAssertThrowsError(try FilterPruner.prune(net, keeping: [0: 9])) {
            XCTAssertTrue("\($0)".contains("4 filters"))
        }
    }
}
