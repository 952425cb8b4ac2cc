import XCTest
@testable import QuorumCore

/// Adadelta against PyTorch's update rule, worked out by hand: s = ρ·s + (1−ρ)·g²,
/// Δ = √(u + ε)/√(s + ε)·g, u = ρ·u + (1−ρ)·Δ², w −= lr·Δ; with ρ = 0.75, ε = 0.01 (large, to keep the
/// numbers readable), lr = 1 and the fixed gradient g = 2 from w = 1.
final class OptimizerAdadeltaTests: XCTestCase {
    func testFirstThreeSteps() {
        let p = OptimizerFixture.parameter([1], gradient: [2])
        let adadelta = Adadelta(parameters: [p], rho: 0.75, epsilon: 0.01)
        XCTAssertEqual(adadelta.learningRate, 1.0)
        adadelta.step()
        // s = 0.25·4 = 1; Δ = √0.01/√1.01·2 = 0.1/1.0049876·2 = 0.1990074; u = 0.25·0.0396040 = 0.0099010
        OptimizerFixture.assertValues(p, [0.8009926])
        adadelta.step()
        // s = 0.75 + 1 = 1.75; Δ = √0.0199010/√1.76·2 = 0.1410709/1.3266499·2 = 0.2126723;
        // u = 0.0074257 + 0.25·0.0452295 = 0.0187331
        OptimizerFixture.assertValues(p, [0.5883202])
        adadelta.step()
        // s = 1.3125 + 1 = 2.3125; Δ = √0.0287331/√2.3225·2 = 0.1695084/1.5239751·2 = 0.2224557
        OptimizerFixture.assertValues(p, [0.3658645])
    }

    func testLearningRateScalesTheSelfTunedStep() {
        let p = OptimizerFixture.parameter([1], gradient: [2])
        Adadelta(parameters: [p], learningRate: 0.5, rho: 0.75, epsilon: 0.01).step()
        // half of the first Δ above: 1 − 0.0995037
        OptimizerFixture.assertValues(p, [0.9004963])
    }

    func testWeightDecayIsAddedToTheGradient() {
        let p = OptimizerFixture.parameter([1], gradient: [2])
        let adadelta = Adadelta(parameters: [p], rho: 0.75, epsilon: 0.01, weightDecay: 0.5)
        adadelta.step()
        // g' = 2.5; s = 0.25·6.25 = 1.5625; Δ = 0.1/√1.5725·2.5 = 0.1/1.2539936·2.5 = 0.1993631
        OptimizerFixture.assertValues(p, [0.8006369])
        adadelta.step()
        // g' = 2 + 0.4003185 = 2.4003185; s = 1.171875 + 0.25·5.7615290 = 2.6122572;
        // u = 0.25·0.0397457 = 0.0099364; Δ = √0.0199364/√2.6222572·2.4003185 = 0.2092930
        OptimizerFixture.assertValues(p, [0.5913440])
    }
}
