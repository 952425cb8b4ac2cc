import XCTest
@testable import QuorumCore

final class LayerInitializationTests: XCTestCase {
    private func statistics(_ t: Tensor) -> (mean: Double, std: Double, maxAbs: Float) {
        let values = t.array.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance.squareRoot(), t.array.map(abs).max() ?? 0)
    }

    func testSchemesHaveTheirScale() {
        let t = Tensor(shape: [200, 100])
        var rng = SeededGenerator(seed: 1)
        let expectedStd: [Initializer: Double] = [
            .heNormal: (2.0 / 200).squareRoot(), .heUniform: (2.0 / 200).squareRoot(),
            .xavierNormal: (2.0 / 300).squareRoot(),
            .xavierUniform: (2.0 / 300).squareRoot()
        ]
        for scheme in Initializer.allCases {
            scheme.fill(t, fanIn: 200, fanOut: 100, using: &rng)
            let s = statistics(t)
            let std = expectedStd[scheme]!
            XCTAssertEqual(s.mean, 0, accuracy: 0.05 * std, "\(scheme)")
            XCTAssertEqual(s.std, std, accuracy: 0.03 * std, "\(scheme)")
        }
        Initializer.heUniform.fill(t, fanIn: 200, fanOut: 100, using: &rng)
        XCTAssertLessThanOrEqual(statistics(t).maxAbs, (6 / 200 as Float).squareRoot())
        Initializer.xavierUniform.fill(t, fanIn: 200, fanOut: 100, using: &rng)
        XCTAssertLessThanOrEqual(statistics(t).maxAbs, (6 / 300 as Float).squareRoot())
    }

    func testLayerInitialisationIsDeterministicAndUsesFanIn() {
        func build(seed: UInt64) -> [Layer] {
            let layers: [Layer] = [
                Conv2D(inputShape: [8, 8, 3], filters: 16, kernelSize: 3, padding: 1),
                BatchNorm2D(inputShape: [8, 8, 16]), ReLU(inputShape: [8, 8, 16]),
                Flatten(inputShape: [8, 8, 16]), Dense(inFeatures: 1024, outFeatures: 10)
            ]
            var rng = SeededGenerator(seed: seed, purpose: "init")
            for layer in layers { initialize(layer, using: &rng) }
            return layers
        }
        let a = build(seed: 5), b = build(seed: 5), c = build(seed: 6)
        let weights = { (layers: [Layer]) in layers.flatMap { $0.parameters.flatMap { $0.value.array } } }
        XCTAssertEqual(weights(a), weights(b))
        XCTAssertNotEqual(weights(a), weights(c))

        let conv = a[0] as! Conv2D, dense = a[4] as! Dense, bn = a[1] as! BatchNorm2D
        XCTAssertEqual(conv.bias.value.array, [Float](repeating: 0, count: 16))
        XCTAssertEqual(dense.bias.value.array, [Float](repeating: 0, count: 10))
        XCTAssertLessThanOrEqual(statistics(conv.weight.value).maxAbs, (6 / 27 as Float).squareRoot())
        XCTAssertGreaterThan(statistics(conv.weight.value).maxAbs, 0.8 * (6 / 27 as Float).squareRoot())
        XCTAssertLessThanOrEqual(statistics(dense.weight.value).maxAbs, (6 / 1024 as Float).squareRoot())
        XCTAssertEqual(bn.weight.value.array, [Float](repeating: 1, count: 16))
        XCTAssertEqual(bn.runningVar.value.array, [Float](repeating: 1, count: 16))
    }
}
