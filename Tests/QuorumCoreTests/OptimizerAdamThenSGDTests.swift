import XCTest
@testable import QuorumCore

/// SWATS: the automatic switch against an independent Double implementation of the paper's rule, the
/// `k > 1` and positive-estimate conditions, the forced switch at an epoch, and the SGD phase's steps.
final class OptimizerAdamThenSGDTests: XCTestCase {
    /// The paper's Algorithm 1 (Adam part) in Double for gradients that do not depend on the weights:
    /// the step at which the rule fires, Λ = λ/(1−β₂ᵏ), and |Λₖ − γₖ| for every step up to it.
    private func referenceSwitch(
        gradient: (Int) -> [Double], learningRate: Float, beta1: Float, beta2: Float,
        epsilon: Float, tolerance: Double, maxSteps: Int
    )
        -> (step: Int, rate: Double, gaps: [Double])?
    {
        let lr = Double(learningRate), b1 = Double(beta1), b2 = Double(beta2), eps = Double(epsilon)
        var m: [Double] = [], v: [Double] = [], lambda = 0.0, gaps: [Double] = []
        for k in 1...maxSteps {
            let g = gradient(k)
            if m.isEmpty { m = Array(repeating: 0, count: g.count); v = m }
            var pp = 0.0, pg = 0.0
            for i in g.indices {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                let mHat = m[i] / (1 - pow(b1, Double(k)))
                let vHat = v[i] / (1 - pow(b2, Double(k)))
                let p = -lr * mHat / (vHat.squareRoot() + eps)
                pp += p * p
                pg += p * g[i]
            }
            guard pg != 0 else { gaps.append(.infinity); continue }
            let gamma = pp / -pg
            lambda = b2 * lambda + (1 - b2) * gamma
            let estimate = lambda / (1 - pow(b2, Double(k)))
            gaps.append(abs(estimate - gamma))
            if k > 1, estimate > 0, abs(estimate - gamma) < tolerance { return (k, estimate, gaps) }
        }
        return nil
    }

    func testSwitchesWhenTheEstimateSettlesAtTheRulesStepAndRate() throws {
        // One step with g = [1, 1], then g = [3, 1] for good: the Adam steps, and with them the projection
        // γ, drift while the moments forget the first gradient; the rule fires once the bias-corrected
        // average λ/(1−β₂ᵏ) has caught up with γ to within 1e-3.
        let gradient: (Int) -> [Double] = { $0 == 1 ? [1, 1] : [3, 1] }
        let lr: Float = 0.1, beta1: Float = 0.9, beta2: Float = 0.99, tolerance = 1e-3
        let reference = try XCTUnwrap(
            referenceSwitch(
                gradient: gradient, learningRate: lr, beta1: beta1, beta2: beta2,
                epsilon: 1e-8, tolerance: tolerance, maxSteps: 500))
        // The scenario is not a trivial one: the rule fires late, and with margins far wider than the
        // rounding of Float updates (about 1e-9 here), so Float and Double must agree on the step.
        XCTAssertEqual(reference.step, 39)
        XCTAssertLessThan(reference.gaps[reference.step - 1], tolerance * 0.995)
        XCTAssertGreaterThan(reference.gaps[reference.step - 2], tolerance * 1.01)
        XCTAssertEqual(reference.rate, 0.0511, accuracy: 1e-4)

        let p = OptimizerFixture.parameter([0, 0], gradient: [0, 0])
        let swats = AdamThenSGD(
            parameters: [p], learningRate: lr, beta1: beta1, beta2: beta2, switchTolerance: tolerance)
        for k in 1...reference.step {
            let g = gradient(k)
            OptimizerFixture.setGradient(p, g.map(Float.init))
            XCTAssertFalse(swats.switched, "switched before step \(k)")
            swats.step()
        }
        XCTAssertTrue(swats.switched)
        XCTAssertEqual(swats.switchStep, reference.step)
        let rate = try XCTUnwrap(swats.sgdLearningRate)
        XCTAssertEqual(Double(rate), reference.rate, accuracy: reference.rate * 1e-5)
        XCTAssertTrue(swats.stateDescription.contains("phase=sgd"), swats.stateDescription)

        // SGD phase: v = β1·v + g from v = 0, w −= (1−β1)·Λ·v.
        let before = p.value.array
        swats.step()
        // v = [3, 1]; w −= 0.1·Λ·[3, 1]
        OptimizerFixture.assertValues(p, [before[0] - 0.1 * rate * 3, before[1] - 0.1 * rate * 1])
        let middle = p.value.array
        swats.step()
        // v = 0.9·[3, 1] + [3, 1] = [5.7, 1.9]
        OptimizerFixture.assertValues(p, [middle[0] - 0.1 * rate * 5.7, middle[1] - 0.1 * rate * 1.9])
        XCTAssertEqual(swats.steps, reference.step + 2)
    }

    func testNeverSwitchesAfterTheFirstStep() {
        // A constant gradient makes every Adam step lr·sign(g), so γ = lr·n/Σ|g| = 0.1·2/1.5 from the start
        // and the estimate matches it at once; the rule still waits for k = 2.
        let p = OptimizerFixture.parameter([1, -2], gradient: [0.5, 1])
        let swats = AdamThenSGD(parameters: [p], learningRate: 0.1, switchTolerance: 1e-6)
        swats.step()
        XCTAssertFalse(swats.switched)
        XCTAssertEqual(swats.estimatedSGDLearningRate ?? 0, 0.2 / 1.5, accuracy: 1e-6)
        swats.step()
        XCTAssertTrue(swats.switched)
        XCTAssertEqual(swats.switchStep, 2)
        XCTAssertEqual(swats.sgdLearningRate ?? 0, 0.2 / 1.5, accuracy: 1e-6)
    }

    func testANegativeEstimateNeverSwitches() {
        // g = 1 once, then −0.001: the momentum keeps the Adam steps going downhill against the new
        // gradient, so pᵀg > 0, γ < 0 and the estimate turns negative. Even with a tolerance that
        // accepts any gap the switch must not happen on a negative rate.
        let p = OptimizerFixture.parameter([0], gradient: [1])
        let swats = AdamThenSGD(parameters: [p], learningRate: 0.1, switchTolerance: 1e30)
        swats.step()
        OptimizerFixture.setGradient(p, [-0.001])
        for _ in 2...10 {
            swats.step()
            XCTAssertLessThan(swats.projection ?? 0, 0)
            XCTAssertLessThan(swats.estimatedSGDLearningRate ?? 0, 0)
            XCTAssertFalse(swats.switched)
        }
        // The same tolerance switches at step 2 when the estimate is positive.
        let q = OptimizerFixture.parameter([0], gradient: [1])
        let control = AdamThenSGD(parameters: [q], learningRate: 0.1, switchTolerance: 1e30)
        control.step()
        control.step()
        XCTAssertTrue(control.switched)
    }

    func testForcedSwitchAtAnEpochUsesTheGivenRateAndFollowsTheSchedule() throws {
        let p = OptimizerFixture.parameter([1, -2], gradient: [0.5, 1])
        let swats = AdamThenSGD(parameters: [p], learningRate: 0.1, switchAtEpoch: 2, sgdLearningRate: 0.05)
        XCTAssertEqual(swats.sgdLearningRate, 0.05)
        for epoch in 0..<2 {
            swats.beginEpoch(epoch)
            swats.step()
            swats.step()
            // A constant gradient would satisfy the automatic rule at step 2; with an epoch given it is off.
            XCTAssertFalse(swats.switched)
        }
        // Four unit Adam steps of lr·sign(g): [1 − 0.4, −2 − 0.4]
        OptimizerFixture.assertValues(p, [0.6, -2.4], accuracy: 1e-5)
        swats.beginEpoch(2)
        XCTAssertTrue(swats.switched)
        XCTAssertEqual(swats.switchStep, 4)
        XCTAssertEqual(swats.sgdLearningRate, 0.05)
        let start = p.value.array
        swats.step()
        // v = g; w −= (1 − 0.9)·0.05·[0.5, 1] = [0.0025, 0.005]
        OptimizerFixture.assertValues(p, [start[0] - 0.0025, start[1] - 0.005])
        swats.step()
        // v = 1.9·g; w −= 0.005·1.9·[0.5, 1] = [0.00475, 0.0095]
        OptimizerFixture.assertValues(p, [start[0] - 0.00725, start[1] - 0.0145])
        // The schedule halves the rate: Λ follows, 0.025, with v = 2.71·g.
        swats.learningRate = 0.05
        XCTAssertEqual(try XCTUnwrap(swats.currentSGDLearningRate), 0.025, accuracy: 1e-7)
        swats.step()
        OptimizerFixture.assertValues(
            p, [start[0] - 0.00725 - 0.1 * 0.025 * 2.71 * 0.5, start[1] - 0.0145 - 0.1 * 0.025 * 2.71])
    }

    func testForcedSwitchWithoutARateTakesTheEstimate() {
        let p = OptimizerFixture.parameter([1, -2], gradient: [0.5, 1])
        let swats = AdamThenSGD(parameters: [p], learningRate: 0.1, switchAtEpoch: 1)
        XCTAssertNil(swats.sgdLearningRate)
        swats.beginEpoch(0)
        for _ in 0..<3 { swats.step() }
        swats.beginEpoch(1)
        // γ = lr·n/Σ|g| = 0.1·2/1.5 at every step, so the estimate is that too.
        XCTAssertTrue(swats.switched)
        XCTAssertEqual(swats.switchStep, 3)
        XCTAssertEqual(swats.sgdLearningRate ?? 0, 0.2 / 1.5, accuracy: 1e-6)
    }

    func testLateStartedRunSwitchesAtTheFirstEpochPastTheSwitch() {
        let p = OptimizerFixture.parameter([1], gradient: [1])
        let swats = AdamThenSGD(parameters: [p], learningRate: 0.1, switchAtEpoch: 3, sgdLearningRate: 0.01)
        swats.beginEpoch(5)
        XCTAssertTrue(swats.switched)
        XCTAssertEqual(swats.switchStep, 0)
    }
}
