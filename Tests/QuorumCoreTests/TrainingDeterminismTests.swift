import XCTest
@testable import QuorumCore

/// The same seed must give bit-identical weights after training, at any thread count.
final class TrainingDeterminismTests: XCTestCase {
    private static let smallModel = "conv3x3(8) relu maxpool2 flatten dense(10)"

    private func trainedWeights(
        threads: Int, model: String = smallModel, side: Int = 12, batch: Int = 32,
        steps: Int = 5
    ) throws -> [[Float]] {
        ComputeThreads.set(threads)
        let spec = try ModelSpec(parsing: model, inputShape: [side, side, 1], classes: 10)
        let net = try Sequential(spec: spec, seed: 42)
        let optimizer = Adam(parameters: net.parameters, learningRate: 1e-2)
        let loss = SoftmaxCrossEntropy(classes: 10)
        var rng = SeededGenerator(seed: 3, purpose: "data")
        for _ in 0..<steps {
            let x = Tensor(
                shape: [batch, side, side, 1], values: (0..<batch * side * side).map { _ in rng.nextNormal() })
            let labels = (0..<batch).map { _ in Int32(rng.nextInt(below: 10)) }
            net.zeroGradients()
            let logits = net.forward(x, training: true)
            _ = labels.withUnsafeBufferPointer { loss.forward(logits: logits, labels: $0) }
            net.backward(loss.gradient)
            optimizer.step()
        }
        return net.parameters.map(\.value.array)
    }

    func testSameSeedGivesIdenticalWeightsAtOneAndTwoThreads() throws {
        let saved = ComputeThreads.current
        defer { ComputeThreads.set(saved) }
        let initial = try Sequential(
            spec: ModelSpec(
                parsing: Self.smallModel,
                inputShape: [12, 12, 1], classes: 10), seed: 42)
        for threads in [1, 2] {
            let first = try trainedWeights(threads: threads), second = try trainedWeights(threads: threads)
            XCTAssertEqual(first.count, 4)
            for (a, b) in zip(first, second) {
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(threads) thread(s)")
            }
            XCTAssertNotEqual(first[0], initial.parameters[0].value.array, "training changed the weights")
        }
    }

    /// A member whose worker is lent threads mid-run, or that is re-run on a machine with more cores, must
    /// still be the member its seed decides: the convolutions' weight gradients, batch norm and the dense layers
    /// all sum in an order that does not follow the thread count.
    func testWeightsAreBitIdenticalAtOneTwoAndThreeThreads() throws {
        let saved = ComputeThreads.current
        defer { ComputeThreads.set(saved) }
        let model =
            "conv3x3(16) batchnorm relu maxpool2 conv3x3(32) batchnorm relu maxpool2 conv3x3(64) batchnorm relu "
            + "flatten dense(64) relu dense(10)"
        let reference = try trainedWeights(threads: 1, model: model, side: 28, batch: 64, steps: 3)
        for threads in [2, 3] {
            let weights = try trainedWeights(threads: threads, model: model, side: 28, batch: 64, steps: 3)
            XCTAssertEqual(weights.count, reference.count)
            for (index, (a, b)) in zip(weights, reference).enumerated() {
                let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
                XCTAssertEqual(
                    differing, 0, "parameter \(index) at \(threads) threads: \(differing) of \(a.count) differ")
            }
        }
    }

    func testComputeThreadsSetsOneDNNsPool() {
        let saved = ComputeThreads.current
        defer { ComputeThreads.set(saved) }
        for n in [1, 2] {
            ComputeThreads.set(n)
            XCTAssertEqual(DNNL.threads, n, "OpenMP")
            XCTAssertEqual(ComputeThreads.current, n)
        }
        ComputeThreads.set(0)
        XCTAssertEqual(DNNL.threads, 1, "at least one thread")
    }
}
