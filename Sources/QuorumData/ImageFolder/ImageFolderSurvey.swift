import Foundation

/// What decoding every file of an image folder found: the files that cannot be read, the most common image
/// size (the default `--image-size`) and whether any image is in colour (the default `--channels`).
///
/// Every file is decoded in full, on all cores, because a truncated JPEG only shows itself at its end.
public struct ImageFolderSurvey: Sendable, Equatable {
    /// The files that cannot be decoded, in the scan's order, with their reasons.
    public let badFiles: [BadImageFile]
    /// The most common `(height, width)` among the readable files (ties: the larger area, then the taller),
    /// nil when no file is readable.
    public let commonSize: (height: Int, width: Int)?
    /// 3 when any readable file is in colour, else 1.
    public let channels: Int
    /// How many files were decoded.
    public let fileCount: Int

    /// Decodes every file of `scan`; `progress(done, total)` is called after each file, from any thread.
    public static func survey(
        _ scan: ImageFolderScan,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> ImageFolderSurvey {
        let entries = scan.all
        var shapes = [[Int]?](repeating: nil, count: entries.count)
        var failures = [String?](repeating: nil, count: entries.count)
        let counter = ProgressCounter(total: entries.count, report: progress)
        shapes.withUnsafeMutableBufferPointer { shapeOut in
            failures.withUnsafeMutableBufferPointer { failureOut in
                ImageFileDecoder.concurrentForEach(entries.count) { i, decompressor in
                    let path = scan.root + "/" + entries[i].path
                    do {
                        shapeOut[i] = try ImageFileDecoder.decodeWithSize(
                            path: path, decompressor: decompressor,
                            atLeast: (1, 1)
                        ).declaredShape
                    } catch {
                        failureOut[i] = reason(error, path: path)
                    }
                    counter.step()
                }
            }
        }
        var sizes: [[Int]: Int] = [:]
        for shape in shapes.compactMap({ $0 }) { sizes[[shape[0], shape[1]], default: 0] += 1 }
        let common = sizes.max { a, b in
            (a.value, a.key[0] * a.key[1], a.key[0]) < (b.value, b.key[0] * b.key[1], b.key[0])
        }?.key
        let bad = zip(entries, failures).compactMap { entry, failure in
            failure.map { BadImageFile(path: entry.path, reason: $0) }
        }
        return ImageFolderSurvey(
            badFiles: bad, commonSize: common.map { ($0[0], $0[1]) },
            channels: shapes.contains { $0?[2] == 3 } ? 3 : 1, fileCount: entries.count)
    }

    /// An error's message without the leading file path (the bad-file list names the file itself).
    static func reason(_ error: Error, path: String) -> String {
        let text = "\(error)"
        return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
    }

    public static func == (a: ImageFolderSurvey, b: ImageFolderSurvey) -> Bool {
        a.badFiles == b.badFiles && a.commonSize?.height == b.commonSize?.height
            && a.commonSize?.width == b.commonSize?.width && a.channels == b.channels && a.fileCount == b.fileCount
    }
}

/// Counts finished files across threads and reports each step in order of completion.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    /// One more file finished.
    func step() {
        guard let report else { return }
        lock.lock()
        done += 1
        report(done, total)
        lock.unlock()
    }
}
