import QuorumCore
import XCTest

@testable import QuorumData

/// `MemberSample`: a bagged member's share of the training set, drawn from its seed.
final class MemberSampleTests: XCTestCase {
    func testABootstrapSampleHasTheSameSizeAndDrawsWithReplacement() {
        let sample = MemberSample.bootstrap.indices(count: 1000, seed: 7)
        XCTAssertEqual(sample.count, 1000, "as many draws as images")
        XCTAssertTrue(sample.allSatisfy { (0..<1000).contains($0) })
        // With replacement, about 1 − 1/e ≈ 63 % of the images are drawn at least once.
        let distinct = Set(sample).count
        XCTAssertLessThan(distinct, 1000, "some image is drawn twice")
        XCTAssertTrue((580...690).contains(distinct), "\(distinct) distinct images of 1000")
    }

    func testTheSameSeedGivesTheSameSampleAndMembersDiffer() {
        for method in [MemberSample.bootstrap, .subsample(share: 0.8)] {
            let a = method.indices(count: 500, seed: 3)
            XCTAssertEqual(a, method.indices(count: 500, seed: 3), "\(method): same seed, same sample")
            XCTAssertNotEqual(a, method.indices(count: 500, seed: 4), "\(method): members (seeds) differ")
        }
    }

    func testASubsampleKeepsItsShareWithoutReplacement() {
        let sample = MemberSample.subsample(share: 0.8).indices(count: 1001, seed: 1)
        XCTAssertEqual(sample.count, 801, "⌈0.8 · 1001⌉")
        XCTAssertEqual(Set(sample).count, sample.count, "no image twice")
        XCTAssertEqual(sample, sample.sorted())
        XCTAssertEqual(MemberSample.subsample(share: 1).indices(count: 50, seed: 9), Array(0..<50))
    }

    func testTheTextFormRoundTripsAndBadTextIsNamed() throws {
        for method in [MemberSample.bootstrap, .subsample(share: 0.5)] {
            XCTAssertEqual(try MemberSample(parsing: method.description), method)
        }
        XCTAssertEqual(MemberSample.subsample(share: 0.8).description, "subsample=0.8")
        for bad in ["", "bagging", "subsample=0", "subsample=1.5", "subsample=x"] {
            XCTAssertThrowsError(try MemberSample(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("sample:"), "\(error)")
            }
        }
    }
}
