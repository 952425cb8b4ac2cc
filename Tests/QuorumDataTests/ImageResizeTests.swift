import XCTest
@testable import QuorumData

/// Resizing and channel conversion against values computed by hand.
final class ImageResizeTests: XCTestCase {
    func testHalvingAveragesEachTwoByTwoBlock() {
        let image: [UInt8] = [
            10, 20, 100, 100,
            30, 40, 100, 104,
            0, 0, 255, 255,
            0, 4, 255, 255
        ]
        let out = ImageResize.resize(image, height: 4, width: 4, channels: 1, toHeight: 2, toWidth: 2)
        XCTAssertEqual(out, [25, 101, 1, 255])
    }

    func testShrinkingByANonIntegerRatioWeighsPartialPixelsByTheirOverlap() {
        // 3 -> 2: output 0 covers pixels [0, 1.5): (0 × 1 + 90 × 0.5) / 1.5 = 30;
        // output 1 covers [1.5, 3): (90 × 0.5 + 180 × 1) / 1.5 = 150.
        let out = ImageResize.resize([0, 90, 180], height: 1, width: 3, channels: 1, toHeight: 1, toWidth: 2)
        XCTAssertEqual(out, [30, 150])
    }

    func testEnlargingIsBilinearBetweenPixelCentres() {
        // 2 -> 4: centres at -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        let out = ImageResize.resize([0, 100], height: 1, width: 2, channels: 1, toHeight: 1, toWidth: 4)
        XCTAssertEqual(out, [0, 25, 75, 100])
        let tall = ImageResize.resize([0, 200], height: 2, width: 1, channels: 1, toHeight: 4, toWidth: 1)
        XCTAssertEqual(tall, [0, 50, 150, 200])
    }

    func testEachAxisChoosesItsOwnFilterAndChannelsStayApart() {
        // Height 2 -> 1 averages the rows; width 1 -> 2 copies the single column.
        let image: [UInt8] = [
            10, 20, 30,
            30, 40, 51
        ]
        let out = ImageResize.resize(image, height: 2, width: 1, channels: 3, toHeight: 1, toWidth: 2)
        XCTAssertEqual(out, [20, 30, 41, 20, 30, 41])  // 40.5 rounds half up
    }

    func testSameSizeIsACopy() {
        let image = (0..<48).map { UInt8($0 * 5) }
        XCTAssertEqual(ImageResize.resize(image, height: 4, width: 4, channels: 3, toHeight: 4, toWidth: 4), image)
    }

    func testColourToGreyUsesBT601LumaAndGreyToColourCopies() {
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 10, 20, 30]
        // 0.299 × 255 = 76.2, 0.587 × 255 = 149.7, 0.114 × 255 = 29.1, 255, 2.99 + 11.74 + 3.42 = 18.15.
        XCTAssertEqual(ImageResize.convert(rgb, channels: 3, toChannels: 1), [76, 150, 29, 255, 18])
        XCTAssertEqual(ImageResize.convert([7, 200], channels: 1, toChannels: 3), [7, 7, 7, 200, 200, 200])
        XCTAssertEqual(ImageResize.convert([1, 2, 3, 9, 4, 5, 6, 9], channels: 4, toChannels: 3), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(ImageResize.convert([40, 9, 50, 9], channels: 2, toChannels: 1), [40, 50])
    }
}
