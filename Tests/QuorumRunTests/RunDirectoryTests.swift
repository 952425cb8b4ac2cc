import Foundation
import XCTest
@testable import QuorumRun

final class RunDirectoryTests: XCTestCase {
    func testAnEntryAfterATornLastLineStartsALineOfItsOwn() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("quorum-journal-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: url) }
        let directory = try RunDirectory(path: url.path)
        try directory.append(JournalEntry(event: .started))
        try directory.append(JournalEntry(event: .completed, jobId: "member-00"))
        // A crash in the middle of the next line.
        let handle = try FileHandle(forWritingTo: directory.journalURL)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"event":"completed","job_id":"memb"#.utf8))
        try handle.close()
        try directory.append(JournalEntry(event: .resumed))
        try directory.append(JournalEntry(event: .rejected, jobId: "member-01", worker: "w (h)",
                                          message: "sums to 0.5"))
        XCTAssertEqual(directory.journal().map(\.event), [.started, .completed, .resumed, .rejected])
        XCTAssertEqual(directory.journal().last?.message, "sums to 0.5")
        let lines = try String(contentsOf: directory.journalURL, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 5, "the torn line stays on its own, the entries after it are whole")
    }
}
