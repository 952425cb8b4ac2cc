import Dispatch

/// Measures how fast an image folder is decoded and resized, the work a first run (or a changed folder)
/// pays before training: every file read, decoded, converted and resized on all cores, nothing written.
public enum DecodeBenchmark {
    /// One measurement.
    public struct Result: Sendable {
        /// Files decoded (readable or not).
        public let images: Int
        /// Files that could not be decoded.
        public let failures: Int
        /// Wall-clock seconds for the whole folder.
        public let seconds: Double
        /// Files per second.
        public var imagesPerSecond: Double { seconds > 0 ? Double(images) / seconds : 0 }
    }

    /// Decodes every file of `scan` to `settings`'s shape as the cache does, `repeats` times, and returns the
    /// fastest pass (the least disturbed by other work on the machine).
    public static func run(_ scan: ImageFolderScan, settings: ImageFolderSettings, repeats: Int = 3) -> Result {
        let entries = scan.all
        var best: Result?
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            let (_, failed) = DecodedImageCache.decodeAll(entries, root: scan.root, settings: settings, counter: nil)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let result = Result(images: entries.count, failures: failed.count, seconds: seconds)
            if best.map({ seconds < $0.seconds }) ?? true { best = result }
        }
        return best!
    }
}
