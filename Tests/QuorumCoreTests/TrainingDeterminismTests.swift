import XCTest
@testable import QuorumCore

/// The same seed must give bit-identical weights after training at the same thread count.
final class TrainingDeterminismTests: XCTestCase {
    private func trainedWeights(threads: Int) throws -> [[Float]] {
        ComputeThreads.set(threads)
        let spec = try ModelSpec(parsing: "conv3x3(8) relu maxpool2 flatten dense(10)", inputShape: [12, 12, 1], classes: 10)
        let net = try Sequential(spec: spec, seed: 42)
        let optimizer = Adam(parameters: net.parameters, learningRate: 1e-2)
        let loss = SoftmaxCrossEntropy(classes: 10)
        var rng = SeededGenerator(seed: 3, purpose: "data")
        let batch = 32
        for _ in 0..<5 {
            let x = Tensor(shape: [batch, 12, 12, 1], values: (0..<batch * 144).map { _ in rng.nextNormal() })
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
        let initial = try Sequential(spec: ModelSpec(parsing: "conv3x3(8) relu maxpool2 flatten dense(10)",
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
