import Foundation
import XCTest
@testable import QuorumCore

/// Model files built to crash or exhaust a reader: each is refused with a message, and nothing is allocated
/// by the sizes they declare.
final class HostileModelFileTests: XCTestCase {
    /// A safetensors file with this header text and `body` zero bytes after it.
    static func file(header json: String, body: Int = 0) -> Data {
        var d = Data()
        withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { d.append(contentsOf: $0) }
        d.append(contentsOf: Array(json.utf8))
        d.append(Data(count: body))
        return d
    }

    /// A valid model file of `flatten dense(3)` on 2×2×1 images.
    static func validModel() throws -> SafeTensors {
        let spec = try ModelSpec(parsing: "flatten dense(3)", inputShape: [2, 2, 1], classes: 3)
        let metadata = ModelMetadata(
            spec: spec, normalizationMean: [0], normalizationStd: [1],
            classNames: ["a", "b", "c"])
        let model = try Sequential(spec: spec, seed: 1)
        return try SafeTensors.parse(ModelFile.serialized(model, metadata: metadata), path: "valid")
    }

    /// A spec's JSON as model files carry it.
    static func spec(layers: String, inputShape: String = "[2,2,1]", classes: Int = 3) -> String {
        "{\"name\":\"custom\",\"layers\":\"\(layers)\",\"inputShape\":\(inputShape),\"classes\":\(classes)}"
    }

    private func loadError(_ data: Data) -> String {
        do {
            _ = try ModelFile.load(data: data, path: "member.safetensors")
            return "accepted"
        } catch { return "\(error)" }
    }

    private func assertMentions(_ message: String, _ parts: String..., line: UInt = #line) {
        XCTAssertNotEqual(message, "accepted", line: line)
        for part in parts { XCTAssertTrue(message.contains(part), "'\(message)' should mention '\(part)'", line: line) }
    }

    func testWrappingConvolutionShapeIsRefusedByTheHeaderCheck() {
        // 4 × 1 × 2^31 × 2^31 floats wrap to 0 elements, which a 0-byte range would match.
        let tensor =
            "\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[4,1,2147483648,2147483648],"
            + "\"data_offsets\":[0,0]}"
        let data = Self.file(header: "{\(tensor)}")
        assertMentions(loadError(data), "member.safetensors", "layers.0.weight", "more elements than can be counted")
        XCTAssertThrowsError(try PyTorchImport.readTensors(data, path: "net.safetensors")) {
            XCTAssertTrue("\($0)".contains("more elements than can be counted"), "\($0)")
        }
        // Each factor alone fits, the byte count (× 4) does not.
        let bytesWrap = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387903],\"data_offsets\":[0,4]}}"
        assertMentions(loadError(Self.file(header: bytesWrap, body: 4)), "'w'")
    }

    func testWrappingConvolutionSpecInTheMetadataIsRefusedBeforeBuilding() throws {
        var file = try Self.validModel()
        file.metadata["quorum.spec"] = Self.spec(layers: "conv2147483648x2147483648(4) gap dense(3)")
        assertMentions(loadError(file.serialized()), "member.safetensors", "quorum.spec", "kernel size")
    }

    func testHugeSpecsInTheMetadataAreRefusedBeforeBuilding() throws {
        var file = try Self.validModel()
        let cases = [
            (Self.spec(layers: "flatten dense(1000000000)", classes: 1_000_000_000), "number of classes"),
            (Self.spec(layers: "flatten dense(3)", inputShape: "[4611686018427387904,1,1]"), "input shape"),
            (Self.spec(layers: "flatten dense(1000000) dense(3)"), "number of units")
        ]
        for (spec, expected) in cases {
            file.metadata["quorum.spec"] = spec
            assertMentions(loadError(file.serialized()), "quorum.spec", expected)
        }
    }

    func testSmallFileDeclaringALargeLegalModelIsRefusedByItsTensors() throws {
        // 123 million parameters are within the limits, but the file holds 15 values: refused by the tensor
        // check, which runs before the model (and its half a gigabyte of weights) is built.
        var file = try Self.validModel()
        file.metadata["quorum.spec"] = Self.spec(layers: "flatten dense(30000) dense(3)", inputShape: "[64,64,1]")
        assertMentions(loadError(file.serialized()), "layers.1.weight", "[3, 4]", "[30000, 4096]")
    }

    func testTensorThatDisagreesWithItsSpecIsRefusedBeforeAnyCopy() throws {
        var file = try Self.validModel()
        // Same element count, other shape: refused by shape, and the model is never filled.
        let index = try XCTUnwrap(file.entries.firstIndex { $0.name == "layers.1.weight" })
        file.entries[index] = .init(name: "layers.1.weight", shape: [12], values: Array(repeating: 1, count: 12))
        assertMentions(loadError(file.serialized()), "layers.1.weight", "[12]", "[3, 4]")
    }

    func testMalformedHeadersSayWhatIsWrong() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        assertMentions(loadError(Self.file(header: "{\"a\":\(deep)}")), "levels deep")
        assertMentions(loadError(Self.file(header: "[1,2]")), "not an object")
        assertMentions(loadError(Self.file(header: "{\"a\":")), "not valid JSON")
        let fraction = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}"
        assertMentions(loadError(Self.file(header: fraction, body: 8)), "shape is not a list")
        let huge = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1e30],\"data_offsets\":[0,8]}}"
        assertMentions(loadError(Self.file(header: huge, body: 8)), "shape is not a list")
        let negativeOffset = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}"
        assertMentions(loadError(Self.file(header: negativeOffset, body: 8)), "data_offsets")
        // A header length with the top bit set, and one over the header limit that the file could hold.
        var topBit = Self.file(header: "{}")
        topBit[7] = 0x80
        assertMentions(loadError(topBit), "header length")
        var large = Self.file(header: "{}", body: SafeTensorsHeader.maxHeaderBytes + 8)
        let declared = UInt64(SafeTensorsHeader.maxHeaderBytes + 1).littleEndian
        large.replaceSubrange(0..<8, with: withUnsafeBytes(of: declared) { Data($0) })
        assertMentions(loadError(large), "header length", "exceeds")
    }

    func testNestingDepthIsMeasuredOutsideStrings() {
        XCTAssertEqual(JSONNesting.depth(of: Array("{\"a\":[1,{\"b\":2}]}".utf8)), 3)
        XCTAssertEqual(JSONNesting.depth(of: Array("{\"[[[\\\"[[\":1}".utf8)), 1)
        XCTAssertEqual(JSONNesting.depth(of: Array(String(repeating: "[", count: 1000).utf8), limit: 10), 11)
        XCTAssertNil(JSONNesting.problem(Array("[[]]".utf8), limit: 2))
    }
}
