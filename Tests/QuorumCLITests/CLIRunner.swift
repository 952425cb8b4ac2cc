import Foundation
import XCTest

/// Runs the built `quorum` executable as a user would, with a time limit, and cleans up after it.
enum CLIRunner {
    /// The executable: `QUORUM_BINARY`, or the one `swift build` put next to the test bundle.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["QUORUM_BINARY"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/quorum").path
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts the command, with `environment` added to this process's; the caller waits for it.
    static func start(
        _ arguments: [String], environment: [String: String] = [:], stdout: URL,
        stderr: URL
    ) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        FileManager.default.createFile(atPath: stderr.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: stdout)
        p.standardError = try FileHandle(forWritingTo: stderr)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// The address a started `quorum coordinator` says it is listening on (read from its standard error file),
    /// waiting up to `timeout` seconds; fails with what it printed if it stops or stays silent.
    static func boundEndpoint(of coordinator: Process, stderr err: URL, timeout: Double = 60) throws -> String {
        var endpoint: String?
        let deadline = Date().addingTimeInterval(timeout)
        while endpoint == nil && coordinator.isRunning && Date() < deadline {
            let text = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            endpoint = text.components(separatedBy: "coordinator listening on ").dropFirst().first?
                .split(separator: "\n").first.map(String.init)
            if endpoint == nil { usleep(50_000) }
        }
        return try XCTUnwrap(endpoint, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Runs the command to completion (killing it after `timeout` seconds) and returns what it printed.
    static func run(
        _ arguments: [String], timeout: Double = 300, environment: [String: String] = [:],
        in dir: URL
    ) throws -> Output {
        let out = dir.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        let p = try start(arguments, environment: environment, stdout: out, stderr: err)
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(50_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            XCTFail("quorum \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        p.waitUntilExit()
        return Output(
            status: p.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Processes whose command line contains `text` (to find workers, and to check none is left).
    static func processes(containing text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> Int32? in
            guard let pid = Int32(name), pid != getpid(),
                let raw = FileManager.default.contents(atPath: "/proc/\(name)/cmdline")
            else { return nil }
            let cmd = String(decoding: raw.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return cmd.contains(text) ? pid : nil
        }
    }

    static func requireFashionMNIST() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist") else {
            throw XCTSkip("Fashion-MNIST is not installed (scripts/setup.sh installs dataset-fashion-mnist)")
        }
    }
}
