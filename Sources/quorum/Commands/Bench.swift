import ArgumentParser
import Foundation
import QuorumTraining
import QuorumCore

extension Quorum {
    /// `quorum bench`: the core's speed against PyTorch on this machine.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure training and inference speed, and compare with PyTorch's reference figures.",
            discussion: """
                Measures cnn-a training (batch 64) at 1 and 2 compute threads and inference (batch 256), on \
                synthetic batches, as the median of several timed windows; then peak memory, the compute engine \
                in use (oneDNN's version and instruction set, which decides the exact bits of results) and the \
                SHA-256 rate data sets are hashed at. Build with -c release: a debug build is many times slower.

                Ratios are against PyTorch figures: by default those measured on the reference machine (2-core \
                AVX-512, tuned allocator: training 3,120 img/s at 1 thread and 5,230 at 2; inference 5,860 and \
                10,800). Machines differ, so measure PyTorch on the same machine in the same session and pass its \
                figures with --pytorch train1=N,train2=N,infer1=N,infer2=N. "% ceiling" is the layers' useful \
                GFLOP/s against one large oneDNN sgemm measured in the same run.
                """)

        @Option(help: "Model to measure.")
        var model: String = "cnn-a"

        @Option(help: "Timed windows per measurement (the median is reported).")
        var windows: Int = 5

        @Option(help: "Seconds per window.")
        var seconds: Double = 1.0

        @Option(
            help: """
                PyTorch img/s to compare with, measured on this machine: train1=N,train2=N,infer1=N,infer2=N \
                (default: the reference machine's figures).
                """)
        var pytorch: String?

        @Option(
            help: """
                Measure instead how fast this image folder (class folders of JPEG, PNG or PGM files) is decoded \
                and resized on all cores, as a first training run on it does (the best of --windows passes).
                """)
        var decode: String?

        @Option(help: "With --decode: the size to resize to, H,W (default: the folder's most common size).")
        var decodeSize: String?

        @Flag(help: "Print one JSON object.")
        var json = false

        /// PyTorch at its best on the reference machine (2-core AVX-512, tuned allocator), img/s.
        static let referencePyTorch: [String: Double] = [
            "train-64-1": 3120, "train-64-2": 5230, "infer-256-1": 5860, "infer-256-2": 10800
        ]

        func validate() throws {
            guard windows >= 1, seconds > 0 else { throw ValidationError("--windows must be ≥ 1 and --seconds > 0") }
            _ = try comparison()
        }

        /// The PyTorch figures to compare with, keyed like `train-64-1`.
        private func comparison() throws -> [String: Double] {
            guard let pytorch else { return Self.referencePyTorch }
            let keys = [
                "train1": "train-64-1", "train2": "train-64-2", "infer1": "infer-256-1", "infer2": "infer-256-2"
            ]
            var out: [String: Double] = [:]
            for item in pytorch.split(separator: ",") {
                let parts = item.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let key = keys[parts[0]], let value = Double(parts[1]), value > 0 else {
                    throw ValidationError(
                        "--pytorch takes train1=N,train2=N,infer1=N,infer2=N; '\(item)' is not one of them")
                }
                out[key] = value
            }
            return out
        }

        func run() throws {
            #if DEBUG
                Terminal.log("warning: this is a debug build; measure with 'swift build -c release'")
            #endif
            if let decode {
                try DecodeBench(folder: decode, imageSize: decodeSize, repeats: windows, json: json).run()
                return
            }
            var bench = ThroughputBenchmark()
            bench.model = model
            bench.windows = windows
            bench.windowSeconds = seconds
            var results: [ThroughputBenchmark.Result] = []
            for threads in [1, 2] {
                if !json { Terminal.log("measuring training, batch 64, \(threads) thread(s)...") }
                results.append(try bench.training(batchSize: 64, threads: threads))
            }
            for threads in [1, 2] {
                if !json { Terminal.log("measuring inference, batch 256, \(threads) thread(s)...") }
                results.append(try bench.inference(batchSize: 256, threads: threads))
            }
            let ceilings = [1: bench.sgemmCeiling(threads: 1), 2: bench.sgemmCeiling(threads: 2)]
            let reference = try comparison()
            let engine = ComputeEngine.summary
            let rss = PeakMemory.residentBytes
            // After the peak memory is read: the hashed buffer is not the training's.
            if !json { Terminal.log("measuring SHA-256...") }
            let hashRate = bench.sha256Rate()
            if json {
                let rows = results.map { r -> [String: AnyEncodable] in
                    var row: [String: AnyEncodable] = [
                        "task": .init(r.task), "model": .init(r.model), "batch_size": .init(r.batchSize),
                        "threads": .init(r.threads), "images_per_second": .init(r.imagesPerSecond),
                        "min_images_per_second": .init(r.minImagesPerSecond),
                        "max_images_per_second": .init(r.maxImagesPerSecond),
                        "gflops": .init(r.gflops), "sgemm_ceiling_gflops": .init(ceilings[r.threads] ?? 0),
                        "percent_of_sgemm_ceiling": .init(100 * r.gflops / max(ceilings[r.threads] ?? 1, 1e-9))
                    ]
                    if let ref = reference["\(r.task)-\(r.batchSize)-\(r.threads)"] {
                        row["pytorch_images_per_second"] = .init(ref)
                        row["ratio_to_pytorch"] = .init(r.imagesPerSecond / ref)
                    }
                    return row
                }
                let object: [String: AnyEncodable] = [
                    "compute_engine": .init(engine), "isa": .init(ComputeEngine.oneDNNInstructionSet),
                    "sha256_mib_per_second": .init(hashRate),
                    "peak_rss_bytes": .init(rss), "results": .init(rows)
                ]
                let encoder = JSONCoding.encoder(.pretty)
                print(String(decoding: try encoder.encode(object), as: UTF8.self))
                return
            }
            print("compute engine: \(engine)")
            print(
                "sgemm ceiling (n = 1024): \(Int(ceilings[1] ?? 0)) GFLOP/s at 1 thread, \(Int(ceilings[2] ?? 0)) at 2")
            print(
                "PyTorch figures: "
                    + (pytorch == nil
                        ? "the reference machine's (pass --pytorch to compare with this machine)"
                        : "given with --pytorch"))
            print("task      batch  threads     img/s  (min-max)          GFLOP/s  % ceiling        PyTorch   ratio")
            for r in results {
                let ref = reference["\(r.task)-\(r.batchSize)-\(r.threads)"]
                let peak = 100 * r.gflops / max(ceilings[r.threads] ?? 1, 1e-9)
                let cells = [
                    r.task.padding(toLength: 8, withPad: " ", startingAt: 0),
                    String(
                        format: "%5d  %7d  %8.0f  (%6.0f-%6.0f)  %9.1f  %7.1f %%", r.batchSize, r.threads,
                        r.imagesPerSecond, r.minImagesPerSecond, r.maxImagesPerSecond, r.gflops, peak),
                    pad(ref.map { String(format: "%.0f", $0) } ?? "-", 13),
                    pad(ref.map { String(format: "%.2fx", r.imagesPerSecond / $0) } ?? "-", 6)
                ]
                print(cells.joined(separator: "  "))
            }
            print("SHA-256 (data set hashing, 1 thread): \(Int(hashRate)) MiB/s")
            print("peak RSS: \(rss / 1_048_576) MiB")
        }

        private func pad(_ s: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - s.count)) + s
        }
    }
}
