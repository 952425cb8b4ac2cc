import XCTest
@testable import QuorumCore

/// Checks oneDNN's convolution against a direct convolution computed in Double.
final class DNNLConvolutionTests: XCTestCase {
    /// One geometry of the sweep.
    private struct Case: CustomStringConvertible {
        let h, w, cin, cout, k, s, p, n: Int
        var oh: Int { (h + 2 * p - k) / s + 1 }
        var ow: Int { (w + 2 * p - k) / s + 1 }
        var description: String { "\(h)x\(w)x\(cin)->\(cout) k\(k) s\(s) p\(p) n\(n)" }
    }

    /// Cin 1 and 3, Cout 4, kernel 3 and 5, stride 1 and 2, padding 0/1/2, batch 1 and 3, on a 7×6 image
    /// (not square, so a swapped height and width shows); then wide layers like cnn-a's second one, where
    /// oneDNN switches to channel-blocked kernels.
    private var sweep: [Case] {
        var cases: [Case] = []
        for cin in [1, 3] {
            for k in [3, 5] {
                for s in [1, 2] {
                    for p in [0, 1, 2] {
                        for n in [1, 3] {
                            cases.append(Case(h: 7, w: 6, cin: cin, cout: 4, k: k, s: s, p: p, n: n))
                        }
                    }
                }
            }
        }
        cases.append(Case(h: 6, w: 5, cin: 16, cout: 16, k: 3, s: 1, p: 1, n: 2))
        cases.append(Case(h: 7, w: 7, cin: 32, cout: 64, k: 3, s: 2, p: 1, n: 2))
        cases.append(Case(h: 5, w: 6, cin: 32, cout: 64, k: 3, s: 1, p: 1, n: 3))
        return cases
    }

    private func random(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in rng.nextUniform() * 2 - 1 }
    }

    private func make(_ c: Case) throws -> DNNLConvolution {
        try DNNLConvolution(
            height: c.h, width: c.w, inChannels: c.cin, outChannels: c.cout,
            kernel: c.k, stride: c.s, padding: c.p)
    }

    /// The same geometry with kernels restricted to `layout` (every layout must give the same answers).
    private func make(_ c: Case, _ layout: DNNLLayout) throws -> DNNLConvolution {
        try DNNLConvolution(
            shape: DNNLConvolutionShape(
                height: c.h, width: c.w, inChannels: c.cin, outChannels: c.cout,
                kernel: c.k, stride: c.s, padding: c.p), layout: layout)
    }

    /// Calls `body(n, oy, ox, iy, ix, ky, kx)` for every kernel tap that lands inside the input.
    private func taps(_ c: Case, _ body: (Int, Int, Int, Int, Int, Int, Int) -> Void) {
        for n in 0..<c.n {
            for oy in 0..<c.oh {
                for ox in 0..<c.ow {
                    for ky in 0..<c.k {
                        for kx in 0..<c.k {
                            let iy = oy * c.s - c.p + ky, ix = ox * c.s - c.p + kx
                            if iy >= 0, iy < c.h, ix >= 0, ix < c.w { body(n, oy, ox, iy, ix, ky, kx) }
                        }
                    }
                }
            }
        }
    }

    private func inIndex(_ c: Case, _ n: Int, _ y: Int, _ x: Int, _ ch: Int) -> Int {
        ((n * c.h + y) * c.w + x) * c.cin + ch
    }
    private func outIndex(_ c: Case, _ n: Int, _ y: Int, _ x: Int, _ o: Int) -> Int {
        ((n * c.oh + y) * c.ow + x) * c.cout + o
    }
    private func wIndex(_ c: Case, _ ky: Int, _ kx: Int, _ ch: Int, _ o: Int) -> Int {
        ((ky * c.k + kx) * c.cin + ch) * c.cout + o
    }

    private func assertClose(
        _ got: [Float], _ want: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        for (i, (g, r)) in zip(got, want).enumerated() where abs(Double(g) - r) > 1e-4 * max(abs(r), 1) {
            XCTFail("\(what): element \(i) is \(g), expected \(r)", file: file, line: line)
            return
        }
    }

    func testForwardMatchesDirectConvolution() throws {
        var rng = SeededGenerator(seed: 1, purpose: "forward")
        for c in sweep {
            let x = random(c.n * c.h * c.w * c.cin, &rng), w = random(c.k * c.k * c.cin * c.cout, &rng),
                b = random(c.cout, &rng)
            var want = [Double](repeating: 0, count: c.n * c.oh * c.ow * c.cout)
            for n in 0..<c.n {
                for oy in 0..<c.oh {
                    for ox in 0..<c.ow { for o in 0..<c.cout { want[outIndex(c, n, oy, ox, o)] = Double(b[o]) } }
                }
            }
            taps(c) { n, oy, ox, iy, ix, ky, kx in
                for o in 0..<c.cout {
                    for ch in 0..<c.cin {
                        want[outIndex(c, n, oy, ox, o)] +=
                            Double(x[inIndex(c, n, iy, ix, ch)]) * Double(w[wIndex(c, ky, kx, ch, o)])
                    }
                }
            }
            for layout in DNNLLayout.allCases {
                let conv = try make(c, layout)
                XCTAssertEqual([conv.outHeight, conv.outWidth], [c.oh, c.ow], "\(c)")
                for training in [true, false] {
                    var y = [Float](repeating: .nan, count: want.count)
                    try conv.forward(input: x, weight: w, bias: b, output: &y, batch: c.n, training: training)
                    assertClose(y, want, "forward \(c) \(layout) training \(training)")
                }
            }
        }
    }

    func testBackwardDataMatchesDirectConvolution() throws {
        var rng = SeededGenerator(seed: 2, purpose: "backward data")
        for c in sweep {
            let dy = random(c.n * c.oh * c.ow * c.cout, &rng), w = random(c.k * c.k * c.cin * c.cout, &rng)
            var want = [Double](repeating: 0, count: c.n * c.h * c.w * c.cin)
            taps(c) { n, oy, ox, iy, ix, ky, kx in
                for o in 0..<c.cout {
                    for ch in 0..<c.cin {
                        want[inIndex(c, n, iy, ix, ch)] +=
                            Double(dy[outIndex(c, n, oy, ox, o)]) * Double(w[wIndex(c, ky, kx, ch, o)])
                    }
                }
            }
            // Filled with garbage first: backwardData overwrites, it does not accumulate.
            for layout in DNNLLayout.allCases {
                var dx = [Float](repeating: 7, count: want.count)
                try make(c, layout).backwardData(gradOutput: dy, weight: w, gradInput: &dx, batch: c.n)
                assertClose(dx, want, "backward data \(c) \(layout)")
            }
        }
    }

    func testBackwardWeightsMatchesDirectConvolutionAndAddsToExistingGradients() throws {
        var rng = SeededGenerator(seed: 3, purpose: "backward weights")
        for c in sweep {
            let x = random(c.n * c.h * c.w * c.cin, &rng), dy = random(c.n * c.oh * c.ow * c.cout, &rng)
            let w0 = random(c.k * c.k * c.cin * c.cout, &rng), b0 = random(c.cout, &rng)
            var wantW = w0.map(Double.init), wantB = b0.map(Double.init)
            taps(c) { n, oy, ox, iy, ix, ky, kx in
                for o in 0..<c.cout {
                    for ch in 0..<c.cin {
                        wantW[wIndex(c, ky, kx, ch, o)] +=
                            Double(x[inIndex(c, n, iy, ix, ch)]) * Double(dy[outIndex(c, n, oy, ox, o)])
                    }
                }
            }
            for n in 0..<c.n {
                for oy in 0..<c.oh {
                    for ox in 0..<c.ow { for o in 0..<c.cout { wantB[o] += Double(dy[outIndex(c, n, oy, ox, o)]) } }
                }
            }
            for layout in DNNLLayout.allCases {
                var dw = w0, db = b0
                try make(c, layout).backwardWeights(
                    input: x, gradOutput: dy, gradWeight: &dw, gradBias: &db, batch: c.n)
                assertClose(dw, wantW, "weight gradient \(c) \(layout)")
                assertClose(db, wantB, "bias gradient \(c) \(layout)")
            }
        }
    }

    func testBackwardWeightsTwiceDoublesTheGradients() throws {
        let c = Case(h: 9, w: 9, cin: 3, cout: 4, k: 3, s: 1, p: 1, n: 3)
        var rng = SeededGenerator(seed: 4, purpose: "accumulate")
        let x = random(c.n * c.h * c.w * c.cin, &rng), dy = random(c.n * c.oh * c.ow * c.cout, &rng)
        let conv = try make(c)
        var once = [Float](repeating: 0, count: c.k * c.k * c.cin * c.cout),
            onceB = [Float](repeating: 0, count: c.cout)
        try conv.backwardWeights(input: x, gradOutput: dy, gradWeight: &once, gradBias: &onceB, batch: c.n)
        var twice = [Float](repeating: 0, count: once.count), twiceB = [Float](repeating: 0, count: c.cout)
        try conv.backwardWeights(input: x, gradOutput: dy, gradWeight: &twice, gradBias: &twiceB, batch: c.n)
        try conv.backwardWeights(input: x, gradOutput: dy, gradWeight: &twice, gradBias: &twiceB, batch: c.n)
        XCTAssertTrue(once.contains { $0 != 0 })
        XCTAssertEqual(twice, once.map { $0 * 2 })
        XCTAssertEqual(twiceB, onceB.map { $0 * 2 })
    }

    func testChangingBatchSizeGivesEachImageTheSameResult() throws {
        let c = Case(h: 10, w: 10, cin: 3, cout: 4, k: 3, s: 1, p: 1, n: 4)
        var rng = SeededGenerator(seed: 5, purpose: "batch")
        let x = random(c.n * c.h * c.w * c.cin, &rng), w = random(c.k * c.k * c.cin * c.cout, &rng),
            b = random(c.cout, &rng)
        let conv = try make(c)
        let perImage = c.oh * c.ow * c.cout
        var all = [Float](repeating: 0, count: c.n * perImage)
        try conv.forward(input: x, weight: w, bias: b, output: &all, batch: c.n, training: true)
        // Smaller, larger and then the first batch size again: each image's output stays the same.
        for batch in [1, 2, 4] {
            var part = [Float](repeating: 0, count: batch * perImage)
            try conv.forward(input: x, weight: w, bias: b, output: &part, batch: batch, training: true)
            for i in 0..<part.count {
                XCTAssertEqual(part[i], all[i], accuracy: 1e-5 * max(1, abs(all[i])), "batch \(batch) element \(i)")
            }
        }
        var again = [Float](repeating: 0, count: all.count)
        try conv.forward(input: x, weight: w, bias: b, output: &again, batch: c.n, training: true)
        XCTAssertEqual(again, all, "the cached kernels for the first batch size give the same bits")
    }

    /// cnn-a's second convolution: forward, both backward passes twice from fresh buffers, bit for bit.
    func testRepeatedRunsAreBitIdentical() throws {
        let c = Case(h: 14, w: 14, cin: 32, cout: 64, k: 3, s: 1, p: 1, n: 8)
        var rng = SeededGenerator(seed: 6, purpose: "determinism")
        let x = random(c.n * c.h * c.w * c.cin, &rng), dy = random(c.n * c.oh * c.ow * c.cout, &rng)
        let w = random(c.k * c.k * c.cin * c.cout, &rng), b = random(c.cout, &rng)
        func run(_ conv: DNNLConvolution) throws -> [[Float]] {
            var y = [Float](repeating: 0, count: dy.count), dx = [Float](repeating: 0, count: x.count)
            var dw = [Float](repeating: 0, count: w.count), db = [Float](repeating: 0, count: b.count)
            try conv.forward(input: x, weight: w, bias: b, output: &y, batch: c.n, training: true)
            try conv.backwardData(gradOutput: dy, weight: w, gradInput: &dx, batch: c.n)
            try conv.backwardWeights(input: x, gradOutput: dy, gradWeight: &dw, gradBias: &db, batch: c.n)
            return [y, dx, dw, db]
        }
        let saved = DNNL.threads
        defer { DNNL.setThreads(saved) }
        // Used at both thread counts in turn: it must keep kernels per count, not reuse the first ones.
        let switching = try make(c)
        for threads in [1, 2, 1] {
            DNNL.setThreads(threads)
            XCTAssertEqual(DNNL.threads, threads)
            let conv = try make(c)
            let first = try run(conv)
            XCTAssertEqual(try run(conv), first, "same convolution, \(threads) threads")
            XCTAssertEqual(try run(try make(c)), first, "a new convolution, \(threads) threads")
            XCTAssertEqual(try run(switching), first, "a convolution used before at another count, \(threads) threads")
        }
    }

    func testInvalidGeometryAndBatchAreReported() throws {
        XCTAssertThrowsError(try DNNLConvolution(height: 2, width: 2, inChannels: 1, outChannels: 1, kernel: 5)) {
            XCTAssertTrue("\($0)".contains("convolution 2x2x1->1 k5 s1 p0"), "\($0)")
        }
        let conv = try DNNLConvolution(height: 4, width: 4, inChannels: 1, outChannels: 1, kernel: 3, padding: 1)
        var y = [Float](repeating: 0, count: 16)
        XCTAssertThrowsError(
            try conv.forward(
                input: y, weight: [Float](repeating: 0, count: 9), bias: [0], output: &y,
                batch: 0, training: false)
        ) {
            XCTAssertTrue("\($0)".contains("batch 0"), "\($0)")
        }
    }
}
