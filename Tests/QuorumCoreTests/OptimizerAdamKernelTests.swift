import XCTest
@testable import QuorumCore

/// The Adam update runs four lanes at a time; every element must come out as the one-at-a-time loop gives it.
final class OptimizerAdamKernelTests: XCTestCase {
    func testVectorLanesMatchElementByElementBitForBit() {
        let n = 23
        var rng = SeededGenerator(seed: 17, purpose: "adam kernel")
        let w0 = (0..<n).map { _ in rng.nextNormal() }, g = (0..<n).map { _ in rng.nextNormal() }
        let m0 = (0..<n).map { _ in 0.1 * rng.nextNormal() }, v0 = (0..<n).map { _ in abs(0.1 * rng.nextNormal()) }
        var (wa, ga, ma, va) = (w0, g, m0, v0)
        var (wb, gb, mb, vb) = (w0, g, m0, v0)
        func run(_ w: inout [Float], _ g: inout [Float], _ m: inout [Float], _ v: inout [Float], from: Int, count: Int)
        {
            w.withUnsafeMutableBufferPointer { w in
                g.withUnsafeMutableBufferPointer { g in
                    m.withUnsafeMutableBufferPointer { m in
                        v.withUnsafeMutableBufferPointer { v in
                            AdamKernel.update(
                                value: w.baseAddress! + from, gradient: g.baseAddress! + from, m: m.baseAddress! + from,
                                v: v.baseAddress! + from, count: count, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
                                stepSize: 3e-3, correction2: 0.05, l2: 1e-2, shrink: 0.999)
                        }
                    }
                }
            }
        }
        run(&wa, &ga, &ma, &va, from: 0, count: n)
        for j in 0..<n { run(&wb, &gb, &mb, &vb, from: j, count: 1) }
        XCTAssertEqual(wa.map(\.bitPattern), wb.map(\.bitPattern), "weights")
        XCTAssertEqual(ma.map(\.bitPattern), mb.map(\.bitPattern), "first moments")
        XCTAssertEqual(va.map(\.bitPattern), vb.map(\.bitPattern), "second moments")
        XCTAssertNotEqual(wa, w0, "the update moved the weights")
    }
}
