import Foundation
import XCTest
import QuorumCore
import QuorumData

/// scripts/example_worker.py, the protocol document's minimal worker, trains a real run against
/// `quorum coordinator`: so the document and the code cannot drift apart.
final class ExampleWorkerTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("quorum-pyworker-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// A Python 3 that imports zmq and numpy, or a skip.
    private func python() throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        let candidates = path + ["/usr/bin/python3", "/usr/local/bin/python3"]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: candidate)
            p.arguments = ["-c", "import zmq, numpy"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            if p.terminationStatus == 0 { return candidate }
        }
        throw XCTSkip("no python3 with zmq and numpy (Debian: python3-zmq python3-numpy)")
    }

    /// IDX data whose class shows as a bright band: 10 classes, 12×12 images, `count` of them.
    private func writeIDX(_ folder: URL, prefix: String, count: Int) throws {
        func be(_ values: [UInt32]) -> Data {
            Data(values.flatMap { v in (0..<4).map { UInt8(v >> (24 - 8 * $0) & 255) } })
        }
        var images = be([0x0803, UInt32(count), 12, 12]), labels = be([0x0801, UInt32(count)])
        for i in 0..<count {
            let label = i * 7 % 10
            labels.append(UInt8(label))
            images.append(
                contentsOf: (0..<144).map { p in
                    UInt8(p / 12 == label ? 200 + (i + p) % 50 : (i * 13 + p * 7) % 60)
                })
        }
        try images.write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
        try labels.write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
    }

    func testExampleWorkerTrainsARunWithHonestProbabilitiesAndAValidModelFile() throws {
        try assertExampleWorkerTrains(flags: [], members: 2)
    }

    /// Snapshot jobs send every cycle's member in one RESULT, which the coordinator checks member by member;
    /// bagged members draw their own sample.
    func testExampleWorkerTrainsSnapshotAndBaggedJobs() throws {
        try assertExampleWorkerTrains(flags: ["--snapshots", "3", "--epochs", "3", "--bootstrap"], members: 6)
        try assertExampleWorkerTrains(
            flags: ["--snapshots", "2", "--snapshot-style", "fge", "--cycle-epochs", "1", "--subsample", "0.7"],
            members: 4)
    }

    /// The example draws a bagged member's sample as Quorum does, index for index.
    func testExampleWorkerDrawsQuorumsMemberSample() throws {
        let python = try python()
        for (text, count, seed) in [("bootstrap", 50, 7 as UInt64), ("subsample=0.35", 40, 3)] {
            let out = scratch.appendingPathComponent("sample.txt")
            let p = try CLIRunnerProcess.start(
                python,
                [
                    "-c",
                    "import sys; sys.path.insert(0, '\(Self.scriptsFolder)'); import example_worker as w; "
                        + "print(' '.join(map(str, w.member_sample('\(text)', \(count), \(seed)))))"
                ], log: out)
            p.waitUntilExit()
            let printed = try String(contentsOf: out, encoding: .utf8)
            let expected = try MemberSample(parsing: text).indices(count: count, seed: seed)
            XCTAssertEqual(
                printed.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) },
                expected, printed)
        }
    }

    private static let scriptsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts").path

    private func assertExampleWorkerTrains(flags: [String], members: Int) throws {
        let python = try python()
        try? FileManager.default.removeItem(at: scratch)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let data = scratch.appendingPathComponent("bands")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try writeIDX(data, prefix: "train", count: 400)
        try writeIDX(data, prefix: "t10k", count: 150)
        let runDir = scratch.appendingPathComponent("run")
        let err = scratch.appendingPathComponent("coordinator.err")
        let coordinator = try CLIRunner.start(
            [
                "coordinator", "--bind", "tcp://127.0.0.1:0", "--data", data.path,
                "--model", "flatten dense(10)", "--members", "2", "--epochs", "3",
                "--batch-size", "32", "--validation-size", "50", "--train-limit", "300",
                "--test-limit", "120", "--augment", "none", "--tta", "none",
                // A snapshot cycle is one epoch of 10 steps: at the default rate they move the weights less than
                // the default scheme's random start spreads them (U(±1/√144) for 12×12 images).
                "--lr", "0.02", "--run-dir", runDir.path
            ] + flags,
            stdout: scratch.appendingPathComponent("coordinator.out"), stderr: err)
        defer { if coordinator.isRunning { coordinator.terminate(); coordinator.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(60)
        let bound = try CLIRunner.boundEndpoint(of: coordinator, stderr: err)
        let script = Self.scriptsFolder + "/example_worker.py"
        let workerLog = scratch.appendingPathComponent("worker.log")
        let worker = try CLIRunnerProcess.start(
            python,
            [
                script, "--connect", bound, "--always-download",
                "--cache", scratch.appendingPathComponent("cache").path
            ],
            log: workerLog)
        defer { if worker.isRunning { worker.terminate(); worker.waitUntilExit() } }
        while coordinator.isRunning && Date() < deadline.addingTimeInterval(60) { usleep(50_000) }
        let log = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        let workerText = (try? String(contentsOf: workerLog, encoding: .utf8)) ?? ""
        // A coordinator still running has no exit status to read (Foundation traps): stop it and say so.
        if coordinator.isRunning {
            coordinator.terminate()
            coordinator.waitUntilExit()
            XCTFail("the run did not finish in time; coordinator: \(log)\nworker: \(workerText)")
        }
        XCTAssertEqual(coordinator.terminationStatus, 0, "coordinator: \(log)\nworker: \(workerText)")
        let wait = Date().addingTimeInterval(10)
        while worker.isRunning && Date() < wait { usleep(50_000) }
        XCTAssertEqual(worker.terminationStatus, 0, "the example leaves on DISCONNECT: \(workerText)")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: scratch.appendingPathComponent("cache").path),
            "the data set came over the wire")
        // The example forms the training split as Quorum does (seeded validation split, then train_limit), so
        // the normalisation it fits equals `quorum train`'s under the same settings.
        let reference = scratch.appendingPathComponent("reference.safetensors")
        let train = try CLIRunner.run(
            [
                "train", "--data", data.path, "--model", "flatten dense(10)", "--epochs", "1",
                "--validation-size", "50", "--train-limit", "300", "--test-limit", "120",
                "--out", reference.path
            ], in: scratch)
        XCTAssertEqual(train.status, 0, train.stderr)
        let expected = try ModelFile.load(path: reference.path).metadata
        let jobs = try FileManager.default
            .contentsOfDirectory(atPath: runDir.appendingPathComponent("predictions").path)
            .map { String($0.dropLast(".safetensors".count)) }.sorted()
        XCTAssertEqual(jobs.count, members, "\(jobs)")
        for job in jobs {
            let modelPath = runDir.appendingPathComponent("members/\(job).safetensors").path
            let (model, metadata) = try ModelFile.load(path: modelPath)
            XCTAssertEqual(model.spec.layers, "flatten dense(10)")
            XCTAssertEqual(metadata.normalizationMean[0], expected.normalizationMean[0], accuracy: 1e-6)
            XCTAssertEqual(metadata.normalizationStd[0], expected.normalizationStd[0], accuracy: 1e-6)
            XCTAssertEqual(metadata.classNames, expected.classNames)
            let stored = try SafeTensors.read(
                path: runDir.appendingPathComponent("predictions/\(job).safetensors").path)
            let sent = try XCTUnwrap(stored["probabilities"])
            XCTAssertEqual(sent.shape, [120, 10])
            // Quorum's engine, fed as docs/formats.md says, gives the probabilities the worker sent.
            let images = try Data(contentsOf: data.appendingPathComponent("t10k-images-idx3-ubyte"))
            let pixels = images[16..<(16 + 120 * 144)].map {
                (Float($0) / 255 - metadata.normalizationMean[0]) / metadata.normalizationStd[0]
            }
            let logits = model.forward(Tensor(shape: [120, 12, 12, 1], values: pixels), training: false)
            let probabilities = Tensor(shape: [120, 10])
            softmax(logits, into: probabilities)
            let worst = zip(probabilities.array, sent.values).map { abs($0 - $1) }.max() ?? 1
            XCTAssertLessThan(worst, 1e-4, "\(job): the sent probabilities differ from the model's by \(worst)")
            let labels = try Data(contentsOf: data.appendingPathComponent("t10k-labels-idx1-ubyte"))[8..<128]
            let argmax = (0..<120).map { r in (0..<10).max { sent.values[r * 10 + $0] < sent.values[r * 10 + $1] }! }
            let accuracy = Double(zip(argmax, labels).filter { $0 == Int($1) }.count) / 120
            XCTAssertGreaterThan(accuracy, 0.9, "\(job): softmax regression learns the bands")
        }
    }
}

/// Starts a process other than `quorum`, its output into one log file.
enum CLIRunnerProcess {
    static func start(_ executable: String, _ arguments: [String], log: URL) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }
}
