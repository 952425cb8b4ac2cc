import XCTest
@testable import QuorumCore

final class LayerConv2DTests: XCTestCase {
    /// A direct convolution in Double from PyTorch-ordered (OIHW) weights over NHWC input.
    private func naiveConvolution(
        _ x: [Float], batch: Int, height: Int, width: Int, channels: Int,
        oihw: [Float], bias: [Float], filters: Int, kernel: Int, stride: Int,
        padding: Int
    ) -> [Double] {
        let oh = (height + 2 * padding - kernel) / stride + 1, ow = (width + 2 * padding - kernel) / stride + 1
        var out = [Double](repeating: 0, count: batch * oh * ow * filters)
        for n in 0..<batch {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    for o in 0..<filters {
                        var sum = Double(bias[o])
                        for c in 0..<channels {
                            for ky in 0..<kernel {
                                for kx in 0..<kernel {
                                    let iy = oy * stride - padding + ky, ix = ox * stride - padding + kx
                                    guard iy >= 0, iy < height, ix >= 0, ix < width else { continue }
                                    sum +=
                                        Double(oihw[((o * channels + c) * kernel + ky) * kernel + kx])
                                        * Double(x[((n * height + iy) * width + ix) * channels + c])
                                }
                            }
                        }
                        out[((n * oh + oy) * ow + ox) * filters + o] = sum
                    }
                }
            }
        }
        return out
    }

    private func assertMatchesNaive(
        _ conv: Conv2D, batch: Int, seed: UInt64, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let (h, w, c) = (conv.inputShape[0], conv.inputShape[1], conv.inputShape[2])
        let xs = GradientCheck.normal(batch * h * w * c, seed: seed)
        let y = conv.forward(Tensor(shape: [batch, h, w, c], values: xs), training: false)
        XCTAssertEqual(y.shape, [batch] + conv.outputShape, file: file, line: line)
        let expected = naiveConvolution(
            xs, batch: batch, height: h, width: w, channels: c,
            oihw: conv.pytorchWeight(), bias: conv.bias.value.array,
            filters: conv.filters, kernel: conv.kernelSize, stride: conv.stride,
            padding: conv.padding)
        XCTAssertEqual(y.count, expected.count, file: file, line: line)
        for i in 0..<min(y.count, expected.count)
        where abs(Double(y[i]) - expected[i]) > 1e-4 * max(1, abs(expected[i])) {
            return XCTFail(
                "\(conv.spec): element \(i) is \(y[i]), direct convolution gives \(expected[i])",
                file: file, line: line)
        }
    }

    func testForwardMatchesDirectConvolution() {
        let cases: [(Int, Int, Int, Int, Int, Int, Int)] = [
            (28, 28, 1, 8, 3, 1, 1), (14, 14, 5, 7, 3, 1, 1), (9, 8, 3, 4, 3, 2, 0), (9, 9, 3, 4, 3, 2, 1),
            (7, 6, 2, 3, 3, 2, 2), (6, 7, 4, 5, 1, 1, 0), (7, 7, 3, 2, 5, 1, 2), (5, 5, 2, 3, 1, 1, 2),
            (8, 8, 3, 4, 4, 3, 1), (9, 9, 8, 4, 3, 1, 1), (8, 7, 6, 3, 3, 2, 2),
            // One input channel takes the element-wise gather path.
            (9, 8, 1, 3, 3, 2, 0), (9, 9, 1, 3, 5, 2, 2), (6, 7, 1, 2, 1, 2, 0), (5, 5, 1, 2, 1, 1, 2),
            (7, 6, 1, 3, 4, 3, 3)
        ]
        for (index, (h, w, c, f, k, s, p)) in cases.enumerated() {
            let conv = Conv2D(inputShape: [h, w, c], filters: f, kernelSize: k, stride: s, padding: p)
            GradientCheck.randomize(conv, seed: UInt64(100 + index))
            assertMatchesNaive(conv, batch: 3, seed: UInt64(200 + index))
        }
    }

    func testOutputShapes() {
        XCTAssertEqual(
            Conv2D(inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 1).outputShape, [28, 28, 32])
        XCTAssertEqual(
            Conv2D(inputShape: [28, 28, 1], filters: 4, kernelSize: 3, stride: 2, padding: 0).outputShape,
            [13, 13, 4])
        XCTAssertEqual(
            Conv2D(inputShape: [28, 28, 1], filters: 4, kernelSize: 5, stride: 2, padding: 2).outputShape,
            [14, 14, 4])
    }

    func testBatchSizeChangesReuseBuffersCorrectly() {
        let conv = Conv2D(inputShape: [6, 6, 2], filters: 3, kernelSize: 3, stride: 1, padding: 1)
        GradientCheck.randomize(conv, seed: 7)
        assertMatchesNaive(conv, batch: 4, seed: 1)
        assertMatchesNaive(conv, batch: 1, seed: 2)
        assertMatchesNaive(conv, batch: 3, seed: 3)

        // Backward after shrinking the batch equals a fresh layer's backward on the same batch.
        let fresh = Conv2D(inputShape: [6, 6, 2], filters: 3, kernelSize: 3, stride: 1, padding: 1)
        fresh.weight.value.copy(from: conv.weight.value)
        fresh.bias.value.copy(from: conv.bias.value)
        let x = Tensor(shape: [2, 6, 6, 2], values: GradientCheck.normal(144, seed: 4))
        let dy = Tensor(shape: [2, 6, 6, 3], values: GradientCheck.normal(216, seed: 5))
        conv.weight.gradient.zero()
        _ = conv.forward(x, training: true)
        let reused = conv.backward(dy, needInputGradient: true)!.array
        _ = fresh.forward(x, training: true)
        XCTAssertEqual(reused, fresh.backward(dy, needInputGradient: true)!.array)
        XCTAssertEqual(conv.weight.gradient.array, fresh.weight.gradient.array)
    }

    func testPytorchWeightRoundTripAndLayout() {
        let conv = Conv2D(inputShape: [5, 5, 3], filters: 4, kernelSize: 3, padding: 1)
        let oihw = (0..<(4 * 3 * 3 * 3)).map { Float($0) }
        conv.setPytorchWeight(oihw)
        XCTAssertEqual(conv.pytorchWeight(), oihw)
        // PyTorch's weight[o=2, c=1, ky=0, kx=2] sits at row (ky·K + kx)·Cin + c, column o of the GEMM weight.
        let pytorchIndex = ((2 * 3 + 1) * 3 + 0) * 3 + 2
        XCTAssertEqual(conv.weight.value[((0 * 3 + 2) * 3 + 1) * 4 + 2], Float(pytorchIndex))
        XCTAssertEqual(conv.weight.value.shape, [27, 4])
    }

    func testSpecAndFLOPs() {
        XCTAssertEqual(Conv2D(inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 1).spec, "conv3x3(32)")
        XCTAssertEqual(
            Conv2D(inputShape: [28, 28, 1], filters: 16, kernelSize: 5, stride: 2, padding: 0).spec,
            "conv5x5(16,stride=2,pad=0)")
        XCTAssertEqual(
            Conv2D(inputShape: [28, 28, 1], filters: 8, kernelSize: 3, stride: 2, padding: 1).spec,
            "conv3x3(8,stride=2)")
        let conv = Conv2D(inputShape: [14, 14, 32], filters: 64, kernelSize: 3, padding: 1)
        XCTAssertEqual(conv.forwardFLOPs, 2 * 14 * 14 * 9 * 32 * 64)
        XCTAssertEqual(conv.parameters.map(\.name), ["weight", "bias"])
        XCTAssertEqual(conv.parameters.map(\.count), [288 * 64, 64])
    }
}
