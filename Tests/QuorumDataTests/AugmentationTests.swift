import XCTest
@testable import QuorumData
import QuorumCore

final class AugmentationTests: XCTestCase {
    private func randomImage(_ n: Int, seed: UInt64 = 1) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in rng.nextUniform() }
    }

    func testDoubleFlipIsIdentity() {
        let original = randomImage(5 * 7 * 3)
        var img = original
        img.withUnsafeMutableBufferPointer { p in
            ImageOps.flipHorizontal(p.baseAddress!, height: 5, width: 7, channels: 3)
        }
        XCTAssertNotEqual(img, original)
        XCTAssertEqual(Array(img[0..<3]), Array(original[18..<21]), "pixel 0 takes the last pixel of the row")
        img.withUnsafeMutableBufferPointer { p in
            ImageOps.flipHorizontal(p.baseAddress!, height: 5, width: 7, channels: 3)
            ImageOps.flipVertical(p.baseAddress!, height: 5, width: 7, channels: 3)
            ImageOps.flipVertical(p.baseAddress!, height: 5, width: 7, channels: 3)
        }
        XCTAssertEqual(img, original)
    }

    func testRotationByZeroIsIdentityAndQuarterTurnMovesPixels() {
        let original = randomImage(6 * 6 * 2)
        var img = original
        var scratch = [Float](repeating: 0, count: img.count)
        scratch.withUnsafeMutableBufferPointer { s in
            img.withUnsafeMutableBufferPointer { p in
                ImageOps.rotate(p.baseAddress!, height: 6, width: 6, channels: 2, degrees: 0, scratch: s.baseAddress!)
            }
        }
        XCTAssertEqual(img, original)
        // A quarter turn of a square image is an exact permutation: four turns give the image back.
        scratch.withUnsafeMutableBufferPointer { s in
            img.withUnsafeMutableBufferPointer { p in
                for _ in 0..<4 {
                    ImageOps.rotate(
                        p.baseAddress!, height: 6, width: 6, channels: 2, degrees: 90, scratch: s.baseAddress!)
                }
            }
        }
        for (a, b) in zip(img, original) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        // A large rotation fills the corners with zeros.
        var ones = [Float](repeating: 1, count: 36)
        var s1 = [Float](repeating: 0, count: 36)
        ones.withUnsafeMutableBufferPointer { p in
            s1.withUnsafeMutableBufferPointer {
                ImageOps.rotate(p.baseAddress!, height: 6, width: 6, channels: 1, degrees: 45, scratch: $0.baseAddress!)
            }
        }
        XCTAssertEqual(ones[0], 0)
        XCTAssertEqual(ones[14], 1, accuracy: 1e-5)
    }

    func testCropKeepsSizeAndShiftsWithinBounds() {
        let augmenter = Augmenter(imageShape: [8, 8, 1])
        var settings = AugmentationSettings()
        settings.cropPadding = 2
        let original = (0..<64).map { Float($0 + 1) / 64 }
        var rng = SeededGenerator(seed: 4)
        for _ in 0..<50 {
            var img = original
            img.withUnsafeMutableBufferPointer { augmenter.apply(settings, to: $0.baseAddress!, using: &rng) }
            XCTAssertEqual(img.count, 64)
            // The content is the original shifted by at most 2 pixels in each direction: find the shift
            // from any surviving pixel and check all pixels against it.
            guard let k = img.firstIndex(where: { $0 != 0 }) else {
                return XCTFail("a shift of at most 2 keeps pixels")
            }
            let source = Int((img[k] * 64).rounded()) - 1
            let dy = source / 8 - k / 8, dx = source % 8 - k % 8
            XCTAssertLessThanOrEqual(abs(dx), 2)
            XCTAssertLessThanOrEqual(abs(dy), 2)
            for y in 0..<8 {
                for x in 0..<8 {
                    let sy = y + dy, sx = x + dx
                    let expected: Float = (0..<8).contains(sy) && (0..<8).contains(sx) ? original[sy * 8 + sx] : 0
                    XCTAssertEqual(img[y * 8 + x], expected)
                }
            }
        }
    }

    func testBlurKeepsTheMeanAwayFromBorders() {
        // Content only in the middle, farther than the kernel radius (3) from every border.
        let h = 16, w = 16
        var img = [Float](repeating: 0, count: h * w)
        var rng = SeededGenerator(seed: 9)
        for y in 4..<12 { for x in 4..<12 { img[y * w + x] = rng.nextUniform() } }
        let before = img.reduce(0, +) / Float(img.count)
        var scratch = [Float](repeating: 0, count: h * w)
        var kernel = [Float](repeating: 0, count: 7)
        XCTAssertEqual(ImageOps.blurRadius(sigma: 1), 3)
        scratch.withUnsafeMutableBufferPointer { s in
            kernel.withUnsafeMutableBufferPointer { k in
                img.withUnsafeMutableBufferPointer {
                    ImageOps.gaussianBlur(
                        $0.baseAddress!, height: h, width: w, channels: 1, sigma: 1, scratch: s.baseAddress!,
                        kernel: k.baseAddress!)
                }
            }
        }
        let after = img.reduce(0, +) / Float(img.count)
        XCTAssertEqual(after, before, accuracy: 1e-4)
        XCTAssertEqual(kernel.reduce(0, +), 1, accuracy: 1e-6)
        XCTAssertGreaterThan(img[3 * w + 8], 0, "blur spreads content outwards")
        // A constant image stays constant with edge clamping.
        var flat = [Float](repeating: 0.3, count: h * w)
        scratch.withUnsafeMutableBufferPointer { s in
            kernel.withUnsafeMutableBufferPointer { k in
                flat.withUnsafeMutableBufferPointer {
                    ImageOps.gaussianBlur(
                        $0.baseAddress!, height: h, width: w, channels: 1, sigma: 1, scratch: s.baseAddress!,
                        kernel: k.baseAddress!)
                }
            }
        }
        for v in flat { XCTAssertEqual(v, 0.3, accuracy: 1e-5) }
    }

    func testBrightnessShiftsTheMeanAndContrastKeepsIt() {
        let augmenter = Augmenter(imageShape: [4, 4, 1])
        var settings = AugmentationSettings()
        settings.brightness = 0.2
        var rng = SeededGenerator(seed: 2)
        var shifts: [Float] = []
        for _ in 0..<20 {
            var img = (0..<16).map { 0.4 + Float($0) / 80 }  // 0.4 … 0.59: a shift of ±0.2 never clips
            let before = img.reduce(0, +) / 16
            img.withUnsafeMutableBufferPointer { augmenter.apply(settings, to: $0.baseAddress!, using: &rng) }
            let shift = img.reduce(0, +) / 16 - before
            XCTAssertLessThanOrEqual(abs(shift), 0.2 + 1e-5)
            XCTAssertEqual(img[15] - img[0], 15.0 / 80, accuracy: 1e-5, "brightness adds the same amount everywhere")
            shifts.append(shift)
        }
        XCTAssertTrue(shifts.contains { $0 > 0.01 } && shifts.contains { $0 < -0.01 })

        var contrast = AugmentationSettings()
        contrast.contrast = 0.5
        var img = (0..<16).map { 0.4 + Float($0) / 80 }
        let mean = img.reduce(0, +) / 16
        img.withUnsafeMutableBufferPointer { augmenter.apply(contrast, to: $0.baseAddress!, using: &rng) }
        XCTAssertEqual(img.reduce(0, +) / 16, mean, accuracy: 1e-5)
    }

    func testErasingZeroesARectangleOfTheRightSize() {
        let augmenter = Augmenter(imageShape: [20, 20, 1])
        var settings = AugmentationSettings()
        settings.erasingProbability = 1
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<20 {
            var img = [Float](repeating: 1, count: 400)
            img.withUnsafeMutableBufferPointer { augmenter.apply(settings, to: $0.baseAddress!, using: &rng) }
            let zeros = img.filter { $0 == 0 }.count
            XCTAssertGreaterThanOrEqual(zeros, 4)
            XCTAssertLessThanOrEqual(zeros, 160, "at most about 30 % of 400 (rounding of sides allowed)")
        }
    }

    func testColorJitterOnlyTouchesRGB() {
        let grey = Augmenter(imageShape: [2, 2, 1])
        var s = AugmentationSettings()
        s.colorJitter = 1
        var rng = SeededGenerator(seed: 1)
        var img: [Float] = [0.1, 0.5, 0.7, 0.9]
        img.withUnsafeMutableBufferPointer { grey.apply(s, to: $0.baseAddress!, using: &rng) }
        XCTAssertEqual(img, [0.1, 0.5, 0.7, 0.9])
        let rgb = Augmenter(imageShape: [1, 2, 3])
        var changed = false
        for _ in 0..<5 {
            var px: [Float] = [0.9, 0.2, 0.1, 0.5, 0.5, 0.5]
            px.withUnsafeMutableBufferPointer { rgb.apply(s, to: $0.baseAddress!, using: &rng) }
            changed = changed || px[0] != 0.9
            XCTAssertEqual(Array(px[3...]), [0.5, 0.5, 0.5], "grey pixels have no saturation to change")
        }
        XCTAssertTrue(changed)
    }

    func testTextFormParsesAndRoundTrips() throws {
        let s = try AugmentationSettings(parsing: "crop=2, hflip")
        XCTAssertEqual(s.cropPadding, 2)
        XCTAssertEqual(s.horizontalFlip, 0.5)
        XCTAssertEqual(s.description, "hflip,crop=2")
        let all = try AugmentationSettings(
            parsing:
                "hflip=0.3,vflip,rotate=10,crop=3,brightness=0.2,contrast=0.15,color=0.1,blur=0.1,blur-sigma=1.5,erase=0.25,boost=1"
        )
        XCTAssertEqual(all.verticalFlip, 0.5)
        XCTAssertEqual(all.rotationDegrees, 10)
        XCTAssertEqual(all.blurSigma, 1.5)
        XCTAssertEqual(all.minorityBoost, 1)
        XCTAssertEqual(try AugmentationSettings(parsing: all.description), all)
        XCTAssertEqual(try AugmentationSettings(parsing: "none"), .none)
        XCTAssertEqual(AugmentationSettings.none.description, "none")
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<30 {
            let r = AugmentationSettings.random(using: &rng)
            XCTAssertEqual(try AugmentationSettings(parsing: r.description), r)
            XCTAssertTrue([0, 1, 2, 3].contains(r.cropPadding))
            XCTAssertTrue([0, 5, 10, 15].contains(r.rotationDegrees))
        }
        let data = try JSONEncoder().encode(all)
        XCTAssertEqual(try JSONDecoder().decode(AugmentationSettings.self, from: data), all)
        XCTAssertEqual(
            try JSONDecoder().decode(AugmentationSettings.self, from: Data("{\"cropPadding\":2}".utf8)).cropPadding, 2)
    }

    func testTextFormErrorsNameTheKey() {
        XCTAssertThrowsError(try AugmentationSettings(parsing: "hflip,zoom=2")) {
            guard case DataSpecError.unknownKey(_, let key, _)? = $0 as? DataSpecError else { return XCTFail("\($0)") }
            XCTAssertEqual(key, "zoom")
            XCTAssertTrue("\($0)".contains("zoom"))
        }
        for bad in ["hflip=2", "crop=1.5", "rotate", "rotate=abc", "blur-sigma=0", "erase=-0.1"] {
            XCTAssertThrowsError(try AugmentationSettings(parsing: bad), bad) {
                let key = String(bad.split(separator: "=")[0])
                XCTAssertTrue("\($0)".contains("'\(key)'"), "\($0)")
            }
        }
        XCTAssertThrowsError(try AugmentationSettings(parsing: "crop=1,crop=2")) {
            XCTAssertEqual($0 as? DataSpecError, .duplicateKey(form: "augmentation 'crop=1,crop=2'", key: "crop"))
        }
        XCTAssertThrowsError(try AugmentationSettings(parsing: ""))
    }

    func testBoostMultipliesAndCaps() {
        var s = AugmentationSettings()
        s.horizontalFlip = 0.5
        s.erasingProbability = 0.25
        s.rotationDegrees = 10
        s.cropPadding = 2
        let b = s.boosted(by: 1)
        XCTAssertEqual(b.horizontalFlip, 1)
        XCTAssertEqual(b.erasingProbability, 0.5)
        XCTAssertEqual(b.rotationDegrees, 20)
        XCTAssertEqual(b.cropPadding, 4)
        XCTAssertEqual(b.verticalFlip, 0, "a change that was off stays off")
        XCTAssertEqual(s.boosted(by: 3).horizontalFlip, 1, "probabilities are capped at 1")
        XCTAssertEqual(s.boosted(by: 0), s)
    }
}
