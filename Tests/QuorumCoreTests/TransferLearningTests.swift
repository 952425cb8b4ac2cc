import XCTest
@testable import QuorumCore

final class TransferLearningTests: XCTestCase {
    private func cnnB() throws -> Sequential {
        try Sequential(spec: ModelSpec(parsing: "cnn-b", inputShape: [8, 8, 1], classes: 5), seed: 2)
    }

    func testFreezeSpecsParseAndPickTheLayers() throws {
        let net = try cnnB()  // parameters in layers 0 (conv), 1 (bn), 4 (conv), 5 (bn), 9 (dense), 12 (dense)
        XCTAssertEqual(try FreezeSpec(parsing: "all-but-last=2").frozenLayers(in: net), Array(0..<9))
        XCTAssertEqual(try FreezeSpec(parsing: "until=4").frozenLayers(in: net), [0, 1, 2, 3])
        XCTAssertEqual(try FreezeSpec(parsing: "all-but-last=0").frozenLayers(in: net).count, net.layers.count)
        XCTAssertEqual(try FreezeSpec(parsing: "none").frozenLayers(in: net), [])
        XCTAssertThrowsError(try FreezeSpec(parsing: "most")) { XCTAssertTrue("\($0)".contains("all-but-last=N")) }
        let frozen = try FreezeSpec(parsing: "all-but-last=1").apply(to: net)
        XCTAssertEqual(frozen, net.parameterCount - net.layers[12].parameters.reduce(0) { $0 + $1.count })
        XCTAssertTrue(net.layers[12].parameters.allSatisfy(\.trainable))
        XCTAssertFalse(net.layers[9].parameters.contains(where: \.trainable))
    }

    func testFrozenBatchNormKeepsItsStatisticsInTrainingPasses() throws {
        let net = try cnnB()
        FreezeSpec.until(4).apply(to: net)
        let norm1 = net.layers[1] as! BatchNorm2D, norm2 = net.layers[5] as! BatchNorm2D
        let mean1 = norm1.runningMean.value.array, mean2 = norm2.runningMean.value.array
        var rng = SeededGenerator(seed: 1)
        let x = Tensor(shape: [4, 8, 8, 1], values: (0..<256).map { _ in rng.nextNormal() + 2 })
        _ = net.forwardTraining(x)
        XCTAssertEqual(norm1.runningMean.value.array, mean1, "frozen: statistics unchanged")
        XCTAssertNotEqual(norm2.runningMean.value.array, mean2, "trained: statistics move")
    }

    func testANewHeadKeepsEveryOtherWeight() throws {
        let net = try cnnB()
        let adapted = try TransferLearning.replacingHead(of: net, classes: 3, seed: 9)
        XCTAssertEqual(adapted.spec.classes, 3)
        XCTAssertTrue(adapted.spec.layers.hasSuffix("dense(3)"))
        for index in 0..<12 {
            for (a, b) in zip(
                net.layers[index].parameters + net.layers[index].buffers,
                adapted.layers[index].parameters + adapted.layers[index].buffers)
            {
                XCTAssertEqual(a.value.array, b.value.array, "layer \(index) \(a.name)")
            }
        }
        XCTAssertEqual((adapted.layers[12] as! Dense).weight.value.shape, [3, 128])
        XCTAssertThrowsError(
            try TransferLearning.replacingHead(
                of: Sequential(spec: ModelSpec(parsing: "conv1x1(3) gap", inputShape: [4, 4, 1], classes: 3), seed: 1),
                classes: 2, seed: 1)
        ) { XCTAssertTrue("\($0)".contains("dense")) }
    }
}
