import Foundation
import QuorumCore
import QuorumData

/// `quorum bench --decode DIR`: how fast an image folder is decoded and resized on all cores, the work a first
/// run pays before the decoded cache exists.
struct DecodeBench {
    /// The image folder.
    var folder: String
    /// `H,W` to resize to; nil: the folder's most common size.
    var imageSize: String?
    /// Passes over the folder (the fastest is reported).
    var repeats: Int
    /// One JSON object instead of a line.
    var json: Bool

    func run() throws {
        let chosen = try imageSize.map { text in
            let sides = try DataOptions.imageSizeList(text, flag: "--decode-size")
            return (height: sides[0], width: sides[1])
        }
        let scan = try ImageFolderScan.scan(folder, testShare: 0)
        if !json { Terminal.log("surveying \(scan.all.count) files in \(folder)...") }
        let survey = ImageFolderSurvey.survey(scan)
        let size = chosen ?? survey.commonSize
        guard let size else {
            throw DecodeBenchError.noReadableImage(folder: folder, bad: survey.badFiles.count)
        }
        let settings = try ImageFolderSettings(height: size.height, width: size.width, channels: survey.channels)
        if !json { Terminal.log("decoding to \(size.height)×\(size.width)×\(survey.channels), best of \(repeats)...") }
        let result = DecodeBenchmark.run(scan, settings: settings, repeats: repeats)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if json {
            let object: [String: AnyEncodable] = [
                "task": .init("decode"), "folder": .init(folder), "images": .init(result.images),
                "failures": .init(result.failures), "seconds": .init(result.seconds),
                "images_per_second": .init(result.imagesPerSecond), "height": .init(size.height),
                "width": .init(size.width), "channels": .init(survey.channels), "cores": .init(cores)
            ]
            print(String(decoding: try JSONCoding.encoder(.pretty).encode(object), as: UTF8.self))
            return
        }
        print(
            String(
                format: "decode + resize: %.0f images/s (%d files, %d unreadable, %.2f s, %d cores)",
                result.imagesPerSecond, result.images, result.failures, result.seconds, cores))
    }
}

/// Why `quorum bench --decode` could not measure.
enum DecodeBenchError: Error, CustomStringConvertible {
    case noReadableImage(folder: String, bad: Int)

    var description: String {
        switch self {
        case .noReadableImage(let folder, let bad):
            return "\(folder) holds no readable image (\(bad) unreadable files); nothing to measure"
        }
    }
}
