import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The worker processes `quorum local` starts on this machine, and their clean-up.
///
/// Each worker is this same executable run as `worker --connect ENDPOINT --parent-pid PID`; a worker whose
/// parent has gone exits by itself, so even a coordinator killed with SIGKILL leaves no process behind.
public final class WorkerProcesses {
    private var processes: [Process] = []
    private let lock = NSLock()

    /// No workers yet.
    public init() {}

    /// This executable, which local workers run as `quorum worker`.
    public static var currentExecutable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }

    /// Starts `count` workers of `executable` that connect to `endpoint` with the coordinator's heartbeat
    /// settings; logs go to `logDirectory/worker-i.log`.
    public func start(
        count: Int, executable: String = currentExecutable, endpoint: String, heartbeat: Double,
        liveness: Int, quiet: Bool, logDirectory: URL
    ) throws {
        var arguments = ["--connect", endpoint, "--heartbeat", "\(heartbeat)", "--liveness", "\(liveness)"]
        if quiet { arguments.append("--quiet") }
        try start(count: count, executable: executable, arguments: arguments, logDirectory: logDirectory)
    }

    /// Starts `count` workers. `arguments` are passed after `worker`; logs go to `logDirectory/worker-i.log`.
    func start(count: Int, executable: String, arguments: [String], logDirectory: URL) throws {
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        for i in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["worker"] + arguments + ["--name", "local-\(i)", "--parent-pid", "\(getpid())"]
            let logURL = logDirectory.appendingPathComponent("worker-\(i).log")
            FileManager.default.createFile(atPath: logURL.path, contents: nil)
            let log = try FileHandle(forWritingTo: logURL)
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            // OpenMP threads that spin while waiting steal the core another worker needs; libgomp reads
            // this before main, so it can only be set for a child. A setting the user made is kept.
            var environment = ProcessInfo.processInfo.environment
            if environment["OMP_WAIT_POLICY"] == nil { environment["OMP_WAIT_POLICY"] = "passive" }
            process.environment = environment
            try process.run()
            lock.lock(); processes.append(process); lock.unlock()
        }
    }

    /// Asks every worker to stop (SIGTERM), waits up to `grace` seconds, then kills what is left.
    public func stopAll(grace: Double = 5) {
        lock.lock(); let all = processes; lock.unlock()
        for p in all where p.isRunning { kill(p.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while all.contains(where: \.isRunning) && Date() < deadline { usleep(20_000) }
        for p in all where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in all { p.waitUntilExit() }
    }

    deinit { stopAll(grace: 1) }
}
