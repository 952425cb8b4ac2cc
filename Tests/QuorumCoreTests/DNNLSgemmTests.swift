import XCTest
@testable import QuorumCore

/// Checks `DNNL.sgemm` (cblas_sgemm's conventions) against a direct product in Double.
final class DNNLSgemmTests: XCTestCase {
    func testEveryTransposeWithAlphaBetaAndLeadingDimensions() {
        var rng = SeededGenerator(seed: 7, purpose: "sgemm")
        let m = 5, n = 7, k = 11, pad = 3
        for transA in [false, true] {
            for transB in [false, true] {
                // Stored with extra columns, so a wrong leading dimension reads the wrong elements.
                let aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n
                let a = (0..<aRows * (aCols + pad)).map { _ in rng.nextUniform() - 0.5 }
                let b = (0..<bRows * (bCols + pad)).map { _ in rng.nextUniform() - 0.5 }
                let c0 = (0..<m * (n + pad)).map { _ in rng.nextUniform() - 0.5 }
                func av(_ i: Int, _ p: Int) -> Double {
                    Double(transA ? a[p * (aCols + pad) + i] : a[i * (aCols + pad) + p])
                }
                func bv(_ p: Int, _ j: Int) -> Double {
                    Double(transB ? b[j * (bCols + pad) + p] : b[p * (bCols + pad) + j])
                }
                var c = c0
                DNNL.sgemm(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: aCols + pad,
                    b: b, ldb: bCols + pad, beta: 2, c: &c, ldc: n + pad)
                for i in 0..<m {
                    for j in 0..<(n + pad) {
                        let index = i * (n + pad) + j
                        guard j < n else { XCTAssertEqual(c[index], c0[index], "padding column untouched"); continue }
                        let want = 0.5 * (0..<k).reduce(0.0) { $0 + av(i, $1) * bv($1, j) } + 2 * Double(c0[index])
                        XCTAssertEqual(
                            Double(c[index]), want, accuracy: 1e-5, "transA \(transA) transB \(transB) [\(i),\(j)]")
                    }
                }
            }
        }
    }

    func testDefaultsMatchADirectProductOnTheDenseLayerShape() {
        var rng = SeededGenerator(seed: 8, purpose: "sgemm dense")
        let m = 64, n = 128, k = 3136
        let a = (0..<m * k).map { _ in rng.nextUniform() - 0.5 }, b = (0..<k * n).map { _ in rng.nextUniform() - 0.5 }
        var viaDNNL = [Float](repeating: .nan, count: m * n)
        DNNL.sgemm(m: m, n: n, k: k, a: a, b: b, c: &viaDNNL)
        for i in 0..<m {
            for j in 0..<n {
                let want = (0..<k).reduce(0.0) { $0 + Double(a[i * k + $1]) * Double(b[$1 * n + j]) }
                XCTAssertEqual(Double(viaDNNL[i * n + j]), want, accuracy: 1e-4, "element [\(i),\(j)]")
            }
        }
        var again = [Float](repeating: 0, count: m * n)
        DNNL.sgemm(m: m, n: n, k: k, a: a, b: b, c: &again)
        XCTAssertEqual(again, viaDNNL, "bit-identical from run to run")
    }
}
