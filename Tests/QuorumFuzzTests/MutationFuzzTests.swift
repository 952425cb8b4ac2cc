import Foundation
import XCTest
@testable import QuorumFuzzing

/// Seeded random-mutation fuzzing of every parser that reads untrusted bytes, in the normal suite.
///
/// Each target replays its corpus in Tests/Fixtures/fuzz/TARGET (the seeds, which must parse, and any
/// `crash-*` input libFuzzer once found, kept as a regression), then runs mutations of the seeds. A parser
/// that traps, crashes or exhausts memory fails the suite; thrown errors are the expected outcome.
/// scripts/fuzz.sh runs the same targets under libFuzzer and AddressSanitizer.
final class MutationFuzzTests: XCTestCase {
    /// Mutated inputs per target: a few seconds each in a debug build.
    private let iterations = 20000

    private static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz")

    private func corpus(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        let folder = Self.corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.map { ($0, [UInt8](try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }

    private func fuzz(_ target: FuzzTarget, seed: UInt64) throws {
        let files = try corpus(target)
        let seeds = files.filter { $0.name.hasPrefix("seed-") }
        XCTAssertFalse(seeds.isEmpty, "no seeds for \(target.rawValue)")
        for file in files {
            if file.name.hasPrefix("seed-") {
                XCTAssertNoThrow(
                    try target.parse(file.bytes),
                    "\(target.rawValue)/\(file.name) is a seed and must parse")
            } else {
                target.run(file.bytes)
            }
        }
        var mutator = Mutator(seed: seed)
        var pool = seeds.map(\.bytes)
        var accepted = 0
        for _ in 0..<iterations {
            var input = mutator.mutate(pool[mutator.below(pool.count)])
            if mutator.below(2) == 0 { input = target.repaired(input) }
            if (try? target.parse(input)) != nil {
                accepted += 1
                // Inputs that still parse are kept as new starting points, as a coverage-blind fuzzer can.
                if pool.count < 64 && input.count < 1 << 16 { pool.append(input) }
            }
        }
        // Not a correctness claim, only a check that mutations reach past the first validation.
        XCTAssertLessThan(accepted, iterations, "\(target.rawValue): every mutation was accepted")
    }

    func testMessageCodec() throws { try fuzz(.messageCodec, seed: 1) }
    func testModelFile() throws { try fuzz(.modelFile, seed: 2) }
    func testIDX() throws { try fuzz(.idx, seed: 3) }
    func testPNG() throws { try fuzz(.png, seed: 4) }
    func testPGM() throws { try fuzz(.pgm, seed: 5) }
    func testCSV() throws { try fuzz(.csv, seed: 6) }
    func testGzip() throws { try fuzz(.gzip, seed: 7) }

    func testFramesLayoutRoundTrips() {
        let frames = [Data("QUORUM/1".utf8), Data(), Data([0, 1, 2])]
        XCTAssertEqual(FuzzTarget.frames(from: FuzzTarget.bytes(fromFrames: frames)), frames)
        // A length past the end takes the rest.
        XCTAssertEqual(FuzzTarget.frames(from: [0xFF, 0xFF, 0xFF, 0xFF, 7, 8]), [Data([7, 8])])
    }
}
