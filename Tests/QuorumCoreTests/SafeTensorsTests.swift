import XCTest
@testable import QuorumCore

final class SafeTensorsTests: XCTestCase {
    private func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("quorum-st-\(UUID().uuidString)-\(name)").path
    }

    func testRoundTripAndLayout() throws {
        let file = SafeTensors(
            metadata: ["b": "2", "a": "x\"y"],
            entries: [
                .init(name: "w", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
                .init(name: "bias", shape: [2], values: [-1, 0.5])
            ])
        let bytes = file.serialized()
        let headerLength = Int(
            bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        XCTAssertEqual(headerLength % 8, 0, "header is padded to 8 bytes")
        XCTAssertEqual(bytes.count, 8 + headerLength + 8 * 4)
        let header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<8 + headerLength)) as! [String: Any]
        XCTAssertEqual((header["w"] as! [String: Any])["data_offsets"] as! [Int], [0, 24])
        XCTAssertEqual((header["bias"] as! [String: Any])["dtype"] as! String, "F32")
        XCTAssertEqual(try SafeTensors.parse(bytes, path: "mem"), file)
        XCTAssertEqual(bytes, file.serialized(), "serialisation is deterministic")
    }

    func testCorruptFilesAreRefusedWithTheReason() throws {
        let good = SafeTensors(metadata: [:], entries: [.init(name: "w", shape: [4], values: [1, 2, 3, 4])])
            .serialized()
        func error(_ data: Data) -> String {
            do { _ = try SafeTensors.parse(data, path: "m.safetensors"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(error(Data([1, 2, 3])).contains("only 3 bytes"))
        var hugeHeader = good
        hugeHeader[7] = 0x7f
        XCTAssertTrue(error(hugeHeader).contains("does not fit"))
        XCTAssertTrue(error(good.prefix(good.count - 4)).contains("data_offsets outside"))
        var notJSON = good
        notJSON[8] = UInt8(ascii: "!")
        XCTAssertTrue(error(notJSON).contains("not valid JSON"))
        let f16 = "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}"
        XCTAssertTrue(error(withHeader(f16, body: 4)).contains("dtype F16 is not supported"))
        let mismatch = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}"
        XCTAssertTrue(error(withHeader(mismatch, body: 8)).contains("needs 12 bytes"))
        let overlap =
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"
        XCTAssertTrue(error(withHeader(overlap, body: 12)).contains("overlap"))
        XCTAssertThrowsError(try SafeTensors.read(path: temp("missing"))) {
            XCTAssertTrue("\($0)".contains("cannot read"))
        }
    }

    private func withHeader(_ json: String, body: Int) -> Data {
        var d = Data()
        withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { d.append(contentsOf: $0) }
        d.append(contentsOf: Array(json.utf8))
        d.append(Data(count: body))
        return d
    }
}
