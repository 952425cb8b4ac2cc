import CZlib
import Foundation
import QuorumCluster
import QuorumCore
import QuorumData

/// One parser that reads untrusted bytes, as an entry point for fuzzing.
///
/// `run` hands the bytes to the parser and discards its answer and its thrown error: an error is the
/// expected outcome for hostile input. What fuzzing looks for is everything else: a trap, a crash, a memory
/// error (under AddressSanitizer), or an allocation that exhausts memory.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `MessageCodec.decode`, on frames laid out as `frames(from:)` describes.
    case messageCodec = "message-codec"
    /// `ModelFile.load`: the safetensors header, the spec in its metadata, every tensor.
    case modelFile = "model-file"
    /// `IDXReader`, images and labels.
    case idx
    /// `PNGReader.decode`.
    case png
    /// `PGMReader.decode`.
    case pgm
    /// `CSVReader`, without and with a given image shape.
    case csv
    /// `Gzip.decompress`, with a 16 MiB limit.
    case gzip

    /// Parses `bytes`, ignoring the result and any thrown error.
    public func run(_ bytes: [UInt8]) {
        _ = try? parse(bytes)
    }

    /// Parses `bytes` and throws what the parser throws (a valid seed must not throw). IDX input counts as
    /// parsed when either its image or its label reading accepts it.
    public func parse(_ bytes: [UInt8]) throws {
        let name = "fuzz-input"
        switch self {
        case .messageCodec:
            _ = try MessageCodec().decode(Self.frames(from: bytes))
        case .modelFile:
            _ = try ModelFile.load(data: Data(bytes), path: name)
        case .idx:
            let images = Result { try IDXReader.readImages(bytes: bytes, path: name) }
            let labels = Result { try IDXReader.readLabels(bytes: bytes, path: name) }
            if case .failure(let error) = images, case .failure = labels { throw error }
        case .png:
            _ = try PNGReader.decode(bytes, file: name)
        case .pgm:
            _ = try PGMReader.decode(bytes, file: name)
        case .csv:
            _ = try CSVReader.read(bytes: bytes, path: name)
            _ = try? CSVReader.read(bytes: bytes, path: name, imageShape: [2, 2, 1], classes: 10)
        case .gzip:
            _ = try Gzip.decompress(bytes, file: name, limit: 16 << 20)
        }
    }

    /// `bytes` with the checksums a mutation broke made valid again, so mutations reach past them: the CRC
    /// of every PNG chunk. Other targets are returned unchanged.
    public func repaired(_ bytes: [UInt8]) -> [UInt8] {
        guard self == .png else { return bytes }
        var out = bytes
        var i = 8
        while i + 12 <= out.count {
            let length = Int(out[i]) << 24 | Int(out[i + 1]) << 16 | Int(out[i + 2]) << 8 | Int(out[i + 3])
            guard length <= out.count - i - 12 else { break }
            let crc =
                out[(i + 4)..<(i + 8 + length)].withContiguousStorageIfAvailable {
                    UInt32(crc32(0, $0.baseAddress, UInt32($0.count)))
                } ?? 0
            for k in 0..<4 { out[i + 8 + length + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(k))) }
            i += 12 + length
        }
        return out
    }

    /// Splits fuzz input into message frames: each frame is a 4-byte little-endian length then that many
    /// bytes; a length that runs past the end takes the rest. Mutating a length moves the frame boundaries.
    public static func frames(from bytes: [UInt8]) -> [Data] {
        var frames: [Data] = []
        var i = 0
        while i + 4 <= bytes.count, frames.count < 16 {
            let declared = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
            let start = i + 4
            let end = start + min(declared, bytes.count - start)
            frames.append(Data(bytes[start..<end]))
            i = end
        }
        return frames
    }

    /// The layout `frames(from:)` reads, for writing seeds.
    public static func bytes(fromFrames frames: [Data]) -> [UInt8] {
        var out: [UInt8] = []
        for frame in frames {
            withUnsafeBytes(of: UInt32(frame.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: frame)
        }
        return out
    }
}
