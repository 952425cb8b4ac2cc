import XCTest
@testable import QuorumCore

/// Finite-difference checks of a layer's backward pass.
///
/// The scalar checked is a random projection of the output, L = Σ rᵢ·yᵢ (accumulated in Double), whose
/// dL/dy is r itself; the analytic gradients from `backward(r)` are compared with central differences
/// (L(v + ε) − L(v − ε)) / 2ε for every input element and every element of every trainable parameter.
/// The comparison is the relative error of the whole vector, ‖a − n‖ / max(‖a‖, ‖n‖), which stays
/// meaningful when single elements are near zero.
enum GradientCheck {
    /// Float forward passes with ε = 1e-2 leave about 1e-4 of noise; 1e-2 still catches any wrong term.
    static let defaultTolerance = 1e-2

    /// Checks input and parameter gradients of `layer` at `input` (per-sample shape `layer.inputShape`).
    /// `beforeForward` runs before every forward (e.g. to rewind a dropout generator).
    static func check(
        _ layer: Layer, batch: Int, input values: [Float], training: Bool = true,
        epsilon: Float = 1e-2, tolerance: Double = defaultTolerance,
        beforeForward: () -> Void = {}, file: StaticString = #filePath, line: UInt = #line
    ) {
        let input = Tensor(shape: [batch] + layer.inputShape, values: values)
        var rng = SeededGenerator(seed: 1234, purpose: "projection")
        let outCount = batch * layer.outputShape.reduce(1, *)
        let projection = Tensor(
            shape: [batch] + layer.outputShape,
            values: (0..<outCount).map { _ in rng.nextNormal() })

        func loss() -> Double {
            beforeForward()
            let y = layer.forward(input, training: training)
            XCTAssertEqual(y.shape, [batch] + layer.outputShape, "output shape", file: file, line: line)
            var sum: Double = 0
            for i in 0..<y.count { sum += Double(y[i]) * Double(projection[i]) }
            return sum
        }

        for p in layer.parameters { p.gradient.zero() }
        _ = loss()
        guard let dx = layer.backward(projection, needInputGradient: true) else {
            return XCTFail("\(layer.spec): backward returned no input gradient", file: file, line: line)
        }
        XCTAssertEqual(dx.shape, input.shape, "\(layer.spec): input gradient shape", file: file, line: line)
        let analyticInput = dx.array
        let analyticParameters = layer.parameters.map { $0.gradient.array }

        func numeric(_ t: Tensor) -> [Double] {
            (0..<t.count).map { i in
                let saved = t[i]
                t[i] = saved + epsilon
                let plus = loss()
                t[i] = saved - epsilon
                let minus = loss()
                t[i] = saved
                return (plus - minus) / (2 * Double(epsilon))
            }
        }

        let inputError = relativeError(analyticInput, numeric(input))
        XCTAssertLessThan(inputError, tolerance, "\(layer.spec): dInput relative error", file: file, line: line)
        for (p, analytic) in zip(layer.parameters, analyticParameters) where p.trainable {
            let error = relativeError(analytic, numeric(p.value))
            XCTAssertLessThan(error, tolerance, "\(layer.spec): d\(p.name) relative error", file: file, line: line)
        }
    }

    /// ‖a − n‖ / max(‖a‖, ‖n‖, 1e-8).
    static func relativeError(_ a: [Float], _ n: [Double]) -> Double {
        precondition(a.count == n.count)
        var diff: Double = 0, na: Double = 0, nn: Double = 0
        for (x, y) in zip(a, n) {
            diff += (Double(x) - y) * (Double(x) - y)
            na += Double(x) * Double(x)
            nn += y * y
        }
        return diff.squareRoot() / max(na.squareRoot(), nn.squareRoot(), 1e-8)
    }

    /// `count` standard-normal values from a fixed seed.
    static func normal(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.nextNormal() }
    }

    /// `count` values at least 0.1 away from zero (ReLU-family kinks), random signs, from a fixed seed.
    static func awayFromZero(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let magnitude = 0.1 + abs(rng.nextNormal())
            return rng.nextUniform() < 0.5 ? -magnitude : magnitude
        }
    }

    /// A shuffled ladder of distinct values 0.1 apart, so no max-pool window has a near tie.
    static func distinct(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var values = (0..<count).map { Float($0 - count / 2) * 0.1 }
        values.shuffle(using: &rng)
        return values
    }

    /// Fills every parameter of `layer` with normal values (so biases and γ are not trivially 0 or 1).
    static func randomize(_ layer: Layer, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for p in layer.parameters {
            for i in 0..<p.count { p.value[i] = 0.5 * rng.nextNormal() }
        }
    }
}
