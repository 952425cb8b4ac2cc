import Foundation
import XCTest

/// A private network of Linux network namespaces for one test: a coordinator namespace holding a bridge
/// at 10.77.0.1/24, and worker namespaces joined to it by veth pairs at 10.77.0.2, .3, …
///
/// Every link is created inside the namespaces (nothing touches the host's own network), names are unique
/// per test run, and `tearDown` kills the processes it started and deletes the namespaces, also after a failure.
final class NamespaceLab {
    let prefix: String
    let coordinator: String
    private(set) var workers: [String] = []
    private var processes: [Process] = []

    /// Sets the lab up, or throws `XCTSkip` saying why it cannot be (not root, no `ip netns`).
    init(workers count: Int) throws {
        guard getuid() == 0 else { throw XCTSkip("network namespace tests need root (ip netns, veth pairs)") }
        guard
            FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
                || FileManager.default.isExecutableFile(atPath: "/sbin/ip")
                || FileManager.default.isExecutableFile(atPath: "/usr/bin/ip")
        else {
            throw XCTSkip("network namespace tests need the 'ip' command (iproute2)")
        }
        prefix = "q\(getpid() % 10_000)" + UUID().uuidString.prefix(4).lowercased()
        coordinator = "\(prefix)c"
        let probe = try Self.ip(["netns", "add", coordinator])
        guard probe.status == 0 else {
            throw XCTSkip(
                "cannot create a network namespace: \(probe.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        do {
            try Self.must(["-n", coordinator, "link", "set", "lo", "up"])
            try Self.must(["-n", coordinator, "link", "add", "br0", "type", "bridge"])
            try Self.must(["-n", coordinator, "addr", "add", "10.77.0.1/24", "dev", "br0"])
            try Self.must(["-n", coordinator, "link", "set", "br0", "up"])
            for i in 1...count {
                let ns = "\(prefix)w\(i)"
                try Self.must(["netns", "add", ns])
                workers.append(ns)
                try Self.must(["-n", ns, "link", "set", "lo", "up"])
                // Both ends are created inside the namespaces: the host's interfaces are never touched.
                try Self.must([
                    "-n", coordinator, "link", "add", "h\(i)", "type", "veth", "peer", "name", "eth0", "netns", ns
                ])
                try Self.must(["-n", coordinator, "link", "set", "h\(i)", "master", "br0", "up"])
                try Self.must(["-n", ns, "addr", "add", "10.77.0.\(i + 1)/24", "dev", "eth0"])
                try Self.must(["-n", ns, "link", "set", "eth0", "up"])
            }
        } catch {
            tearDown()
            throw error
        }
    }

    /// The address of worker namespace `i` (1-based).
    func address(worker i: Int) -> String { "10.77.0.\(i + 1)" }

    /// Cuts worker `i`'s link, as a pulled cable would.
    func cut(worker i: Int) throws { try Self.must(["-n", workers[i - 1], "link", "set", "eth0", "down"]) }

    /// Starts `quorum ARGS` inside `namespace` (optionally after a shell `setup` run in the process's own mount
    /// namespace, which `ip netns exec` makes private), with output to the given files.
    func start(in namespace: String, _ arguments: [String], setup: String? = nil, stdout: URL, stderr: URL) throws
        -> Process
    {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let command = ([CLIRunner.binary] + arguments).map(Self.quote).joined(separator: " ")
        p.arguments = [
            "ip", "netns", "exec", namespace, "sh", "-c", (setup.map { $0 + " && " } ?? "") + "exec " + command
        ]
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: stdout)
        p.standardError = try FileHandle(forWritingTo: stderr)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        processes.append(p)
        return p
    }

    /// Waits for `p` up to `timeout` seconds; false when it is still running.
    static func wait(_ p: Process, _ timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        return !p.isRunning
    }

    /// Kills what this lab started and deletes its namespaces (their links go with them). Idempotent.
    func tearDown() {
        for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in processes { p.waitUntilExit() }
        processes.removeAll()
        for ns in [coordinator] + workers {
            // Anything else still inside (nothing should be) would keep the namespace's links alive.
            if let pids = try? Self.ip(["netns", "pids", ns]).output {
                for pid in pids.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
            }
            _ = try? Self.ip(["netns", "del", ns])
        }
        workers.removeAll()
    }

    deinit { tearDown() }

    private static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @discardableResult
    static func ip(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ip"] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func must(_ arguments: [String]) throws {
        let r = try ip(arguments)
        guard r.status == 0 else {
            throw XCTSkip(
                "ip \(arguments.joined(separator: " ")) failed: \(r.output.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
    }
}
