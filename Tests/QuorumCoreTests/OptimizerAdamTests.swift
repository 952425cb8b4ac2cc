import XCTest
@testable import QuorumCore

/// Adam and AdamW against PyTorch's update rule, worked out by hand:
/// m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², w −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
final class OptimizerAdamTests: XCTestCase {
    /// β1 = 0.5 and β2 = 0.75 keep the arithmetic short: 1−β1ᵗ = 0.5, 0.75, 0.875; 1−β2ᵗ = 0.25, 0.4375, 0.578125.
    func testFirstThreeStepsWithChangingGradients() {
        let p = OptimizerFixture.parameter([1, -2], gradient: [2, -1])
        let adam = Adam(parameters: [p], learningRate: 0.1, beta1: 0.5, beta2: 0.75, epsilon: 1e-8)
        adam.step()
        // w0: m = 0.5·2 = 1, v = 0.25·4 = 1; m̂ = 1/0.5 = 2, v̂ = 1/0.25 = 4; step 2/√4 = 1 → 0.9
        // w1: m = −0.5, v = 0.25;   m̂ = −1, v̂ = 1; step −1 → −1.9
        OptimizerFixture.assertValues(p, [0.9, -1.9])
        OptimizerFixture.setGradient(p, [1, -1])
        adam.step()
        // w0: m = 0.5 + 0.5 = 1, v = 0.75 + 0.25 = 1; m̂ = 1/0.75 = 4/3, v̂ = 1/0.4375 = 16/7;
        //     step (4/3)/(4/√7) = √7/3 = 0.8819171 → 0.9 − 0.08819171 = 0.8118083
        // w1: m = −0.25 − 0.5 = −0.75, v = 0.1875 + 0.25 = 0.4375; m̂ = −1, v̂ = 1 → −1.8
        OptimizerFixture.assertValues(p, [0.8118083, -1.8])
        OptimizerFixture.setGradient(p, [0, -1])
        adam.step()
        // w0: m = 0.5, v = 0.75; m̂ = 0.5/0.875 = 4/7, v̂ = 0.75/0.578125 = 48/37, √ = 1.1389808;
        //     step 0.5714286/1.1389808 = 0.5016996 → 0.8118083 − 0.05016996 = 0.7616383
        // w1: m = −0.875, v = 0.578125; m̂ = −1, v̂ = 1 → −1.7
        OptimizerFixture.assertValues(p, [0.7616385, -1.7], accuracy: 2e-6)
        XCTAssertEqual(adam.steps, 3)
        XCTAssertEqual(adam.name, "adam")
    }

    func testDefaultsGiveUnitStepsForAConstantGradient() {
        let p = OptimizerFixture.parameter([1], gradient: [0.5])
        let adam = Adam(parameters: [p], learningRate: 0.1)
        // With a constant g, m̂ = g and v̂ = g² exactly, so each step is lr·g/(|g| + 1e-8) ≈ lr.
        adam.step()
        OptimizerFixture.assertValues(p, [0.9])
        adam.step()
        OptimizerFixture.assertValues(p, [0.8])
    }

    func testL2DecayGoesThroughTheMomentsButDecoupledDecayDoesNot() {
        // A zero gradient isolates the decay. Adam+L2 sees g' = 0 + 0.1·1 = 0.1, a "gradient" that Adam
        // normalises: step lr·0.1/(0.1 + 1e-8) ≈ 0.1 → 0.9. AdamW shrinks w by lr·wd·w = 0.01 → 0.99,
        // and its Adam step on m = 0 is 0.
        let l2 = OptimizerFixture.parameter([1], gradient: [0])
        let decoupled = OptimizerFixture.parameter([1], gradient: [0])
        Adam(parameters: [l2], learningRate: 0.1, weightDecay: 0.1).step()
        AdamW(parameters: [decoupled], learningRate: 0.1, weightDecay: 0.1).step()
        OptimizerFixture.assertValues(l2, [0.9])
        OptimizerFixture.assertValues(decoupled, [0.99])
    }

    func testAdamWShrinksBeforeTheAdamStep() {
        let p = OptimizerFixture.parameter([1], gradient: [0.5])
        let adamw = Adam(parameters: [p], learningRate: 0.1, weightDecay: 0.1, decoupled: true)
        XCTAssertEqual(adamw.name, "adamw")
        adamw.step()
        // 1·(1 − 0.1·0.1) = 0.99, then the unit Adam step: 0.99 − 0.1 = 0.89
        OptimizerFixture.assertValues(p, [0.89])
        adamw.step()
        // 0.89·0.99 = 0.8811, then − 0.1 = 0.7811
        OptimizerFixture.assertValues(p, [0.7811])
        // Adam+L2 instead: g' = 0.6 then 0.5 + 0.09 = 0.59; both steps stay ≈ lr because Adam normalises
        // the gradient, so L2 barely acts: 0.9, then 0.8000473.
        let q = OptimizerFixture.parameter([1], gradient: [0.5])
        let adam = Adam(parameters: [q], learningRate: 0.1, weightDecay: 0.1)
        adam.step()
        adam.step()
        OptimizerFixture.assertValues(q, [0.8000473])
    }

    func testDecayIsSkippedForNonDecayingParameters() {
        let bias = OptimizerFixture.parameter([1], gradient: [0], decays: false)
        let adamw = AdamW(parameters: [bias], learningRate: 0.1, weightDecay: 0.1)
        let adam = Adam(parameters: [bias], learningRate: 0.1, weightDecay: 0.1)
        adamw.step()
        adam.step()
        XCTAssertEqual(bias.value.array, [1])
    }

    func testAdamWDefaultsToPyTorchsDecay() {
        let adamw = AdamW(parameters: [], learningRate: 1e-3)
        XCTAssertTrue(adamw.decoupled)
        XCTAssertEqual(adamw.weightDecay, 0.01)
    }
}
