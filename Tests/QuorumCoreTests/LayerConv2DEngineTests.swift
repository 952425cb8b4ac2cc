import XCTest
@testable import QuorumCore

/// Conv2D runs on oneDNN by default; the im2col path it falls back to must compute the same thing.
final class LayerConv2DEngineTests: XCTestCase {
    /// (input [H, W, C], filters, kernel, stride, padding): first-layer, strided, pointwise, wide-kernel.
    private let geometries: [([Int], Int, Int, Int, Int)] = [
        ([12, 12, 1], 8, 3, 1, 1),
        ([9, 7, 6], 5, 3, 2, 1),
        ([5, 6, 4], 3, 1, 1, 0),
        ([10, 10, 3], 4, 5, 1, 0),
        ([8, 8, 16], 32, 3, 1, 1)
    ]

    private func pair(_ g: ([Int], Int, Int, Int, Int)) -> (Conv2D, Conv2D) {
        let a = Conv2D(inputShape: g.0, filters: g.1, kernelSize: g.2, stride: g.3, padding: g.4)
        let b = Conv2D(inputShape: g.0, filters: g.1, kernelSize: g.2, stride: g.3, padding: g.4, engine: .im2col)
        GradientCheck.randomize(a, seed: 5)
        GradientCheck.randomize(b, seed: 5)
        return (a, b)
    }

    private func assertClose(_ a: Tensor, _ b: Tensor, _ what: String, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, what, line: line)
        var worst: Float = 0
        for i in 0..<min(a.count, b.count) { worst = max(worst, abs(a[i] - b[i]) / max(1, abs(b[i]))) }
        XCTAssertLessThan(worst, 1e-4, what, line: line)
    }

    func testOneDNNAndIm2colAgreeForwardAndBackward() {
        for g in geometries {
            let (fast, reference) = pair(g)
            let what = "\(fast.spec) on \(g.0)"
            for batch in [3, 1] {
                let x = Tensor(shape: [batch] + g.0, values: GradientCheck.normal(batch * g.0.reduce(1, *), seed: 9))
                let y1 = fast.forward(x, training: true).clone()
                let y2 = reference.forward(x, training: true)
                assertClose(y1, y2, "\(what): output, batch \(batch)")
                let dy = Tensor(shape: y1.shape, values: GradientCheck.normal(y1.count, seed: 10))
                for p in fast.parameters + reference.parameters { p.gradient.fill(0.25) }
                let dx1 = fast.backward(dy, needInputGradient: true)!.clone()
                let dx2 = reference.backward(dy, needInputGradient: true)!
                assertClose(dx1, dx2, "\(what): input gradient, batch \(batch)")
                assertClose(fast.weight.gradient, reference.weight.gradient, "\(what): weight gradient (accumulated)")
                assertClose(fast.bias.gradient, reference.bias.gradient, "\(what): bias gradient (accumulated)")
            }
            XCTAssertEqual(fast.engine, .oneDNN, "\(what): \(fast.fallbackReason ?? "")")
            XCTAssertEqual(reference.engine, .im2col, what)
        }
    }

    func testInferenceForwardAgreesAndFrozenParametersStayUntouched() {
        for g in geometries {
            let (fast, reference) = pair(g)
            let x = Tensor(shape: [2] + g.0, values: GradientCheck.normal(2 * g.0.reduce(1, *), seed: 11))
            assertClose(
                fast.forward(x, training: false).clone(), reference.forward(x, training: false),
                "\(fast.spec): inference output")
            for layer in [fast, reference] {
                layer.weight.trainable = false
                layer.weight.gradient.fill(7)
                layer.bias.gradient.zero()
            }
            let dy = Tensor(
                shape: [2] + fast.outputShape, values: GradientCheck.normal(2 * fast.outputShape.reduce(1, *), seed: 12)
            )
            _ = fast.forward(x, training: true)
            _ = reference.forward(x, training: true)
            XCTAssertNil(fast.backward(dy, needInputGradient: false))
            XCTAssertNil(reference.backward(dy, needInputGradient: false))
            XCTAssertEqual(fast.weight.gradient.array, [Float](repeating: 7, count: fast.weight.count), "frozen weight")
            assertClose(
                fast.bias.gradient, reference.bias.gradient, "\(fast.spec): bias gradient of a frozen-weight layer")
        }
    }
}
