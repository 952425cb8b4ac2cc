import XCTest
@testable import QuorumCore

/// Behaviour every optimizer shares: frozen parameters keep their bytes, each one minimises a quadratic,
/// and none allocates or changes its parameter list between steps.
final class OptimizerTests: XCTestCase {
    /// One optimizer of each kind over `parameters`, with weight decay and momentum on where they exist
    /// so that a frozen parameter would move if the optimizer touched it.
    private func everyOptimizer(_ parameters: [Parameter]) -> [Optimizer] {
        [
            SGD(parameters: parameters, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1),
            Adam(parameters: parameters, learningRate: 0.1, weightDecay: 0.1),
            AdamW(parameters: parameters, learningRate: 0.1, weightDecay: 0.1),
            RMSprop(parameters: parameters, learningRate: 0.1, momentum: 0.5, weightDecay: 0.1),
            Adadelta(parameters: parameters, weightDecay: 0.1),
            AdamThenSGD(parameters: parameters, learningRate: 0.1, weightDecay: 0.1, switchTolerance: 1e-3)
        ]
    }

    func testFrozenParametersKeepTheirExactBytes() {
        for index in 0..<6 {
            let live = OptimizerFixture.parameter([1, -2, 3], gradient: [0.5, 0.25, -1])
            let frozen = OptimizerFixture.parameter([0.1, -0.7, 1e-30], gradient: [0.3, -0.2, 5])
            frozen.trainable = false
            let before = frozen.value.array.map(\.bitPattern)
            let optimizer = everyOptimizer([frozen, live])[index]
            for epoch in 0..<2 {
                optimizer.beginEpoch(epoch)
                for _ in 0..<5 { optimizer.step() }
            }
            XCTAssertEqual(frozen.value.array.map(\.bitPattern), before, "\(optimizer.name) moved a frozen parameter")
            XCTAssertNotEqual(live.value.array, [1, -2, 3], "\(optimizer.name) did not move the trainable one")
        }
    }

    func testUnfreezingLaterUpdatesTheParameter() {
        let p = OptimizerFixture.parameter([1, 2], gradient: [1, 1])
        p.trainable = false
        let optimizer = Adam(parameters: [p], learningRate: 0.1)
        optimizer.step()
        XCTAssertEqual(p.value.array, [1, 2])
        p.trainable = true
        optimizer.step()
        // The parameter's own first step: bias correction makes it lr·sign(g), as for a fresh Adam.
        XCTAssertEqual(p.value.array[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(p.value.array[1], 1.9, accuracy: 1e-6)
    }

    /// f(w) = ½ Σ aᵢ (wᵢ − cᵢ)², minimum 0 at c; f at the start (w = 0) is 6.5625.
    func testEveryOptimizerMinimisesAQuadratic() {
        let a: [Float] = [1, 3, 0.5], c: [Float] = [1, -2, 0.5]
        func loss(_ w: [Float]) -> Float {
            var sum: Float = 0
            for i in 0..<3 { sum += 0.5 * a[i] * (w[i] - c[i]) * (w[i] - c[i]) }
            return sum
        }
        let cases: [(String, Int, ([Parameter]) -> Optimizer)] = [
            ("sgd", 300, { SGD(parameters: $0, learningRate: 0.1) }),
            ("sgd momentum", 300, { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9) }),
            ("sgd nesterov", 300, { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true) }),
            ("adam", 1000, { Adam(parameters: $0, learningRate: 0.05) }),
            ("adamw", 1000, { AdamW(parameters: $0, learningRate: 0.05, weightDecay: 0) }),
            ("rmsprop", 1000, { RMSprop(parameters: $0, learningRate: 0.01) }),
            ("rmsprop momentum", 500, { RMSprop(parameters: $0, learningRate: 0.01, momentum: 0.9) }),
            ("adadelta", 2000, { Adadelta(parameters: $0) }),
            ("adam-sgd", 1000, { AdamThenSGD(parameters: $0, learningRate: 0.05) }),
            (
                "adam-sgd forced", 1000,
                { AdamThenSGD(parameters: $0, learningRate: 0.05, switchAtEpoch: 1, sgdLearningRate: 0.5) }
            )
        ]
        for (label, steps, make) in cases {
            let p = OptimizerFixture.parameter([0, 0, 0], gradient: [0, 0, 0])
            let optimizer = make([p])
            for k in 0..<steps {
                if k % 100 == 0 { optimizer.beginEpoch(k / 100) }
                let w = p.value.array
                for i in 0..<3 { p.gradient[i] = a[i] * (w[i] - c[i]) }
                optimizer.step()
            }
            XCTAssertLessThan(loss(p.value.array), 1e-6, "\(label) after \(steps) steps: \(p.value.array)")
        }
    }

    func testSettingsBuildTheNamedOptimizer() throws {
        let p = OptimizerFixture.parameter([1], gradient: [1])
        for kind in OptimizerKind.allCases {
            let settings = OptimizerSettings(kind: kind)
            try settings.validate()
            let optimizer = settings.makeOptimizer(parameters: [p])
            XCTAssertEqual(optimizer.name, kind.rawValue)
            XCTAssertEqual(optimizer.learningRate, settings.learningRate)
            XCTAssertTrue(optimizer.stateDescription.hasPrefix(kind.rawValue), optimizer.stateDescription)
        }
    }
}

/// Tiny parameters for optimizer tests.
enum OptimizerFixture {
    /// A parameter holding `values` with gradient `gradient`.
    static func parameter(_ values: [Float], gradient: [Float], decays: Bool = true) -> Parameter {
        let p = Parameter(name: "w", shape: [values.count], decays: decays)
        for (i, v) in values.enumerated() { p.value[i] = v }
        setGradient(p, gradient)
        return p
    }

    /// Overwrites `p`'s gradient.
    static func setGradient(_ p: Parameter, _ gradient: [Float]) {
        for (i, g) in gradient.enumerated() { p.gradient[i] = g }
    }

    /// Asserts that `p` holds `expected`, element by element, within `accuracy`.
    static func assertValues(
        _ p: Parameter, _ expected: [Float], accuracy: Float = 1e-6, _ message: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let actual = p.value.array
        XCTAssertEqual(actual.count, expected.count, message, file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertEqual(
                a, e, accuracy: accuracy, "\(message) got \(actual), expected \(expected)", file: file, line: line)
        }
    }
}
