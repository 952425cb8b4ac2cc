import XCTest
@testable import QuorumCore

/// SGD's first steps against PyTorch's update rule, worked out by hand.
/// Every case starts from w = [1, −2] with the fixed gradient g = [0.5, 1] and lr = 0.1.
final class OptimizerSGDTests: XCTestCase {
    func testPlainSGDStepsAgainstTheGradient() {
        let p = OptimizerFixture.parameter([1, -2], gradient: [0.5, 1])
        let sgd = SGD(parameters: [p], learningRate: 0.1)
        sgd.step()
        // w − lr·g = [1 − 0.05, −2 − 0.1]
        OptimizerFixture.assertValues(p, [0.95, -2.1])
        sgd.step()
        OptimizerFixture.assertValues(p, [0.9, -2.2])
        XCTAssertEqual(sgd.steps, 2)
    }

    func testMomentumAccumulatesTheGradient() {
        let p = OptimizerFixture.parameter([1, -2], gradient: [0.5, 1])
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
        sgd.step()
        // buf = g = [0.5, 1]; w = [1 − 0.05, −2 − 0.1]
        OptimizerFixture.assertValues(p, [0.95, -2.1])
        sgd.step()
        // buf = 0.9·[0.5, 1] + [0.5, 1] = [0.95, 1.9]; w = [0.95 − 0.095, −2.1 − 0.19]
        OptimizerFixture.assertValues(p, [0.855, -2.29])
        sgd.step()
        // buf = 0.9·[0.95, 1.9] + [0.5, 1] = [1.355, 2.71]; w = [0.855 − 0.1355, −2.29 − 0.271]
        OptimizerFixture.assertValues(p, [0.7195, -2.561])
    }

    func testNesterovLooksAheadAlongTheMomentum() {
        let p = OptimizerFixture.parameter([1, -2], gradient: [0.5, 1])
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, nesterov: true)
        sgd.step()
        // buf = [0.5, 1]; update g + 0.9·buf = [0.95, 1.9]; w = [1 − 0.095, −2 − 0.19]
        OptimizerFixture.assertValues(p, [0.905, -2.19])
        sgd.step()
        // buf = [0.95, 1.9]; update [0.5 + 0.855, 1 + 1.71] = [1.355, 2.71]; w = [0.905 − 0.1355, −2.19 − 0.271]
        OptimizerFixture.assertValues(p, [0.7695, -2.461])
    }

    func testWeightDecayAddsL2OnlyToDecayingParameters() {
        let weight = OptimizerFixture.parameter([1, -2], gradient: [0.5, 1])
        let bias = OptimizerFixture.parameter([1, -2], gradient: [0.5, 1], decays: false)
        let sgd = SGD(parameters: [weight, bias], learningRate: 0.1, weightDecay: 0.1)
        sgd.step()
        // g + 0.1·w = [0.5 + 0.1, 1 − 0.2] = [0.6, 0.8]; w = [1 − 0.06, −2 − 0.08]
        OptimizerFixture.assertValues(weight, [0.94, -2.08])
        OptimizerFixture.assertValues(bias, [0.95, -2.1])
        sgd.step()
        // g + 0.1·w = [0.5 + 0.094, 1 − 0.208] = [0.594, 0.792]; w = [0.94 − 0.0594, −2.08 − 0.0792]
        OptimizerFixture.assertValues(weight, [0.8806, -2.1592])
        OptimizerFixture.assertValues(bias, [0.9, -2.2])
    }

    func testWeightDecayWithMomentumGoesIntoTheBuffer() {
        let p = OptimizerFixture.parameter([1], gradient: [0.5])
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.5, weightDecay: 0.1)
        sgd.step()
        // buf = 0.5 + 0.1·1 = 0.6; w = 1 − 0.06 = 0.94
        OptimizerFixture.assertValues(p, [0.94])
        sgd.step()
        // buf = 0.5·0.6 + (0.5 + 0.094) = 0.894; w = 0.94 − 0.0894 = 0.8506
        OptimizerFixture.assertValues(p, [0.8506])
    }

    func testLearningRateChangesTakeEffectOnTheNextStep() {
        let p = OptimizerFixture.parameter([1], gradient: [0.5])
        let sgd = SGD(parameters: [p], learningRate: 0.1)
        sgd.step()
        sgd.learningRate = 0.01
        sgd.step()
        // 1 − 0.05 − 0.005
        OptimizerFixture.assertValues(p, [0.945])
    }
}
