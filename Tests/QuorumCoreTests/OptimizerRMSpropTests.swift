import XCTest
@testable import QuorumCore

/// RMSprop against PyTorch's update rule, worked out by hand: s = α·s + (1−α)·g², w −= lr·g/(√s + ε),
/// with α = 0.75 (so 1−α = 0.25), lr = 0.1, and the fixed gradient g = 2 from w = 1.
final class OptimizerRMSpropTests: XCTestCase {
    func testStepsWithoutMomentum() {
        let p = OptimizerFixture.parameter([1], gradient: [2])
        let rms = RMSprop(parameters: [p], learningRate: 0.1, alpha: 0.75)
        rms.step()
        // s = 0.25·4 = 1; step 0.1·2/1 = 0.2 → 0.8
        OptimizerFixture.assertValues(p, [0.8])
        rms.step()
        // s = 0.75 + 1 = 1.75; step 0.1·2/1.3228757 = 0.1511858 → 0.6488142
        OptimizerFixture.assertValues(p, [0.6488142])
        rms.step()
        // s = 1.3125 + 1 = 2.3125; step 0.1·2/1.5206906 = 0.1315192 → 0.5172950
        OptimizerFixture.assertValues(p, [0.5172950])
    }

    func testMomentumBuffersTheNormalisedGradient() {
        let p = OptimizerFixture.parameter([1], gradient: [2])
        let rms = RMSprop(parameters: [p], learningRate: 0.1, alpha: 0.75, momentum: 0.5)
        rms.step()
        // buf = 2/1 = 2 → 1 − 0.2 = 0.8
        OptimizerFixture.assertValues(p, [0.8])
        rms.step()
        // buf = 0.5·2 + 2/1.3228757 = 1 + 1.5118579 = 2.5118579 → 0.8 − 0.2511858 = 0.5488142
        OptimizerFixture.assertValues(p, [0.5488142])
        rms.step()
        // buf = 1.2559289 + 2/1.5206906 = 1.2559289 + 1.3151919 = 2.5711208 → 0.2917021
        OptimizerFixture.assertValues(p, [0.2917021])
    }

    func testWeightDecayIsAddedToTheGradient() {
        let p = OptimizerFixture.parameter([1], gradient: [2])
        let bias = OptimizerFixture.parameter([1], gradient: [2], decays: false)
        let rms = RMSprop(parameters: [p, bias], learningRate: 0.1, alpha: 0.75, weightDecay: 0.5)
        rms.step()
        // g' = 2 + 0.5 = 2.5; s = 0.25·6.25 = 1.5625, √s = 1.25; step 0.1·2.5/1.25 = 0.2 → 0.8
        OptimizerFixture.assertValues(p, [0.8])
        rms.step()
        // g' = 2 + 0.4 = 2.4; s = 1.171875 + 1.44 = 2.611875, √s = 1.6161296; step 0.24/1.6161296 = 0.1485030
        OptimizerFixture.assertValues(p, [0.6514970])
        // The bias follows the plain rule.
        OptimizerFixture.assertValues(bias, [0.6488142])
    }
}
