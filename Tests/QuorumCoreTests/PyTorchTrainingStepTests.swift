import XCTest
@testable import QuorumCore

/// Quorum's training step is PyTorch's: from the same weights, on the same batch, five Adam steps give the same
/// losses and leave the same weights and batch-norm statistics. The fixtures come from
/// scripts/make_pytorch_fixture.py: a small network with batch norm, drawn by PyTorch, its batch and losses, and
/// its state after the steps.
final class PyTorchTrainingStepTests: XCTestCase {
    private let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pytorch")
    private let layers =
        "conv3x3(8) batchnorm relu maxpool2 conv3x3(16) batchnorm relu maxpool2 flatten dense(32) relu dense(3)"

    private func fixture(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func testFiveAdamStepsGivePyTorchsLossesAndWeights() throws {
        let spec = try ModelSpec(parsing: layers, inputShape: [8, 12, 1], classes: 3)
        let net = try PyTorchImport.load(path: fixture("pytorch_steps_initial.safetensors"), spec: spec)
        let expected = try PyTorchImport.readTensors(
            Data(contentsOf: URL(fileURLWithPath: fixture("pytorch_steps_expected.safetensors"))), path: "expected")
        let inputs = try XCTUnwrap(expected["inputs"]), losses = try XCTUnwrap(expected["losses"]).values
        let labels = try XCTUnwrap(expected["labels"]).values.map { Int32($0) }
        XCTAssertEqual(inputs.shape, [16, 1, 8, 12])
        XCTAssertEqual(losses.count, 5)

        // One channel: NCHW and NHWC hold the same bytes.
        let batch = Tensor(shape: [16, 8, 12, 1], values: inputs.values)
        let optimizer = OptimizerSettings(kind: .adam, learningRate: 1e-3).makeOptimizer(parameters: net.parameters)
        let loss = SoftmaxCrossEntropy(classes: 3)
        for (step, pytorchLoss) in losses.enumerated() {
            net.zeroGradients()
            let logits = net.forwardTraining(batch)
            let value = labels.withUnsafeBufferPointer { loss.forward(logits: logits, labels: $0) }
            XCTAssertEqual(value, pytorchLoss, accuracy: 1e-5 * pytorchLoss, "loss before step \(step + 1)")
            net.backward(loss.gradient)
            optimizer.step()
        }
        XCTAssertLessThan(losses[4], losses[0] - 0.05, "the fixture's steps must move the loss")

        // A convolution's bias just before batch norm cancels out of every output, so its gradient is rounding
        // noise, and Adam turns noise into steps of about ±lr whose signs no two engines share. It moves the
        // batch norm's running mean by as much. Those tensors are left out; what they feed is compared instead:
        // the trained networks' evaluation outputs, which differ only by how far the noisy biases wandered from
        // the running mean's average of them (about 2e-4 here, against outputs of about 0.1).
        let trained = try PyTorchImport.load(path: fixture("pytorch_steps_trained.safetensors"), spec: spec)
        var cancelling: Set<String> = []
        for (layer, next) in zip(net.layers, net.layers.dropFirst()) where next is BatchNorm2D {
            cancelling.formUnion(layer.parameters.filter { $0.name.hasSuffix(".bias") }.map(\.name))
            cancelling.formUnion(next.buffers.filter { $0.name.hasSuffix(".running_mean") }.map(\.name))
        }
        XCTAssertEqual(cancelling.count, 4)
        for (ours, theirs) in zip(net.namedTensors, trained.namedTensors) where !cancelling.contains(ours.name) {
            XCTAssertEqual(ours.value.shape, theirs.value.shape)
            let largest = zip(ours.value.array, theirs.value.array).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(largest, 2e-6, "\(ours.name) differs from PyTorch's by up to \(largest)")
        }
        let ourAnswers = net.forward(batch, training: false).array
        let theirAnswers = trained.forward(batch, training: false).array
        for (a, b) in zip(ourAnswers, theirAnswers) { XCTAssertEqual(a, b, accuracy: 1e-3) }
    }
}
