import XCTest
@testable import QuorumCore

/// `--init`: each scheme's draws have the mean, spread and bounds its formula gives, layer by layer.
final class InitSchemeTests: XCTestCase {
    private let layers =
        "conv3x3(32) batchnorm relu maxpool2 conv3x3(64) batchnorm relu maxpool2 flatten "
        + "dense(128) relu dense(10)"

    private func model(_ scheme: InitializationScheme, seed: UInt64 = 3) throws -> Sequential {
        let spec = try ModelSpec(parsing: layers, inputShape: [28, 28, 1], classes: 10)
        let model = try Sequential(spec: spec, seed: seed)
        model.reinitialize(scheme, seed: seed)
        return model
    }

    private func statistics(_ t: Tensor) -> (mean: Double, std: Double, maxAbs: Double) {
        let v = t.array.map(Double.init)
        let mean = v.reduce(0, +) / Double(v.count)
        let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)
        return (mean, variance.squareRoot(), v.map(abs).max() ?? 0)
    }

    /// (weight, bias, fan-in) of every convolution and dense layer.
    private func weighted(_ model: Sequential) -> [(Parameter, Parameter, Int)] {
        model.layers.compactMap { layer in
            if let conv = layer as? Conv2D { return (conv.weight, conv.bias, 9 * conv.inChannels) }
            if let dense = layer as? Dense { return (dense.weight, dense.bias, dense.inFeatures) }
            return nil
        }
    }

    func testPyTorchDefaultDrawsWeightsAndBiasesFromUniformOverSqrtFanIn() throws {
        let net = try model(.pytorch)
        let fanIns = weighted(net).map(\.2)
        XCTAssertEqual(fanIns, [9, 288, 3136, 128])
        for (weight, bias, fanIn) in weighted(net) {
            let bound = 1 / Double(fanIn).squareRoot()
            // U(−b, b) has standard deviation b/√3; the tolerance is about 4 standard errors of each estimate.
            for (tensor, what) in [(weight.value, weight.name), (bias.value, bias.name)] {
                let s = statistics(tensor), n = Double(tensor.count), sd = bound / 3.0.squareRoot()
                XCTAssertLessThanOrEqual(s.maxAbs, bound, what)
                XCTAssertEqual(s.mean, 0, accuracy: 4 * sd / n.squareRoot(), what)
                XCTAssertEqual(s.std, sd, accuracy: max(4 * sd / (2 * n).squareRoot() * 0.9, 0.02 * sd), what)
                if tensor.count >= 64 {
                    XCTAssertGreaterThan(s.maxAbs, 0.9 * bound, "\(what) should reach near its bound")
                }
            }
        }
        for layer in net.layers {
            guard let bn = layer as? BatchNorm2D else { continue }
            XCTAssertEqual(Set(bn.weight.value.array), [1])
            XCTAssertEqual(Set(bn.bias.value.array), [0])
        }
    }

    func testHeSchemesKeepZeroBiasesAndTheirScale() throws {
        for (scheme, std) in [
            (InitializationScheme.he, { (f: Int) in (2 / Double(f)).squareRoot() }),
            (.heNormal, { (f: Int) in (2 / Double(f)).squareRoot() })
        ] {
            for (weight, bias, fanIn) in weighted(try model(scheme)) where weight.count >= 1000 {
                let s = statistics(weight.value)
                XCTAssertEqual(s.std, std(fanIn), accuracy: 0.05 * std(fanIn), "\(scheme) \(weight.name)")
                XCTAssertEqual(s.mean, 0, accuracy: 0.05 * std(fanIn), "\(scheme) \(weight.name)")
                XCTAssertEqual(Set(bias.value.array), [0], "\(scheme) \(bias.name)")
            }
        }
    }

    func testHeIsExactlyWhatTheModelDrawsByItselfAndSeedsDecide() throws {
        let spec = try ModelSpec(parsing: layers, inputShape: [28, 28, 1], classes: 10)
        let own = try Sequential(spec: spec, seed: 3)
        XCTAssertEqual(try model(.he).parameters.map(\.value.array), own.parameters.map(\.value.array))
        let pytorch = try model(.pytorch).parameters.map(\.value.array)
        XCTAssertEqual(pytorch, try model(.pytorch).parameters.map(\.value.array))
        XCTAssertNotEqual(
            try model(.pytorch).parameters.map(\.value.array),
            try model(.pytorch, seed: 4).parameters.map(\.value.array))
        XCTAssertEqual(InitializationScheme(rawValue: "he-normal"), .heNormal)
        XCTAssertEqual(InitializationScheme.pytorchBound(fanIn: 9), 1 / 3)
    }
}
