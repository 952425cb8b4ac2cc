import Foundation
import QuorumFuzzing

/// The fuzzing driver. Built by scripts/fuzz.sh with `-sanitize=fuzzer,address -DQUORUM_LIBFUZZER`, it hands
/// control to libFuzzer for the target named by `QUORUM_FUZZ_TARGET`. Built normally, it replays inputs:
/// `QuorumFuzz TARGET FILE...` runs each file through the target, to reproduce a crash without sanitizers.
@main
enum QuorumFuzz {
    static func main() {
        #if QUORUM_LIBFUZZER
            let name = ProcessInfo.processInfo.environment["QUORUM_FUZZ_TARGET"] ?? ""
            guard let target = FuzzTarget(rawValue: name) else { usage() }
            selected = target
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runDriver(&argc, &argv, fuzzOne))
        #else
            let args = CommandLine.arguments.dropFirst()
            guard let name = args.first, let target = FuzzTarget(rawValue: name) else { usage() }
            for path in args.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                    exit(1)
                }
                target.run([UInt8](data))
            }
        #endif
    }

    static func usage() -> Never {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        let text = "usage: QuorumFuzz TARGET FILE... (QUORUM_FUZZ_TARGET=TARGET under libFuzzer); targets: \(names)\n"
        FileHandle.standardError.write(Data(text.utf8))
        exit(2)
    }
}

#if QUORUM_LIBFUZZER
    /// The target libFuzzer calls; set once before the driver starts.
    nonisolated(unsafe) private var selected = FuzzTarget.gzip

    private func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        selected.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }

    @_silgen_name("LLVMFuzzerRunDriver")
    private func runDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt
#endif
