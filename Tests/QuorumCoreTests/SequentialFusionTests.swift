import XCTest
@testable import QuorumCore

/// `Sequential` folds a ReLU into the max-pool after it; the network must compute exactly what the
/// same layers compute one by one.
final class SequentialFusionTests: XCTestCase {
    private func unfusedCopy(of net: Sequential) -> [Layer] {
        var shape = net.spec.inputShape
        var copies: [Layer] = []
        for (spec, original) in zip(net.spec.layerSpecs, net.layers) {
            let layer = Sequential.makeLayer(spec, inputShape: shape)
            for (p, q) in zip(layer.parameters, original.parameters) { p.value.copy(from: q.value) }
            copies.append(layer)
            shape = layer.outputShape
        }
        return copies
    }

    private func check(_ layers: String, inputShape: [Int], file: StaticString = #filePath, line: UInt = #line) throws {
        let net = try Sequential(spec: ModelSpec(parsing: layers, inputShape: inputShape, classes: 3), seed: 4)
        XCTAssertTrue(
            net.layers.contains { ($0 as? ReLU)?.foldedIntoNext == true }, "nothing folded", file: file, line: line)
        let plain = unfusedCopy(of: net)
        let batch = 3
        // Distinct values keep max-pool winners and ReLU signs away from ties.
        let x = Tensor(
            shape: [batch] + inputShape, values: GradientCheck.distinct(batch * inputShape.reduce(1, *), seed: 6))
        for training in [false, true] {
            let fused = net.forward(x, training: training).clone()
            var y = x
            for layer in plain { y = layer.forward(y, training: training) }
            XCTAssertEqual(fused.array, y.array, "logits, training \(training)", file: file, line: line)
            let dy = Tensor(shape: y.shape, values: GradientCheck.normal(y.count, seed: 7))
            net.zeroGradients()
            for p in plain.flatMap(\.parameters) { p.gradient.zero() }
            net.backward(dy)
            var g = dy
            for layer in plain.reversed() { g = layer.backward(g, needInputGradient: true)! }
            for (p, q) in zip(net.parameters, plain.flatMap(\.parameters)) {
                XCTAssertEqual(
                    p.gradient.array, q.gradient.array, "\(p.name), training \(training)", file: file, line: line)
            }
        }
    }

    func testFoldedReLUAndPoolMatchSeparateLayers() throws {
        try check("conv3x3(4) relu maxpool2 conv3x3(5) relu maxpool2 flatten dense(3)", inputShape: [8, 8, 2])
    }

    func testFoldingWithUntiledAndOverlappingPools() throws {
        try check("conv3x3(4) relu maxpool2 flatten dense(3)", inputShape: [7, 7, 1])
        try check("conv3x3(4) relu maxpool3(stride=2) flatten dense(3)", inputShape: [9, 9, 2])
    }
}
