import XCTest
@testable import QuorumEnsemble
#if canImport(FoundationXML)
    import FoundationXML
#else
    import Foundation
#endif
import QuorumCore

/// Builds members from hand-written rows of probabilities.
func member(_ name: String, _ rows: [[Float]]) throws -> MemberPredictions {
    try MemberPredictions(name: name, probabilities: rows.flatMap { $0 }, classes: rows[0].count)
}

/// Random but reproducible members: each row is a softmax of noise plus a bias towards the true label,
/// so members are mostly right and disagree on some samples.
func randomMembers(count m: Int, samples n: Int, classes c: Int, seed: UInt64) throws -> (
    members: [MemberPredictions], labels: [Int32]
) {
    var g = SeededGenerator(seed: seed)
    let labels = (0..<n).map { _ in Int32(g.nextInt(below: c)) }
    let members = try (0..<m).map { k -> MemberPredictions in
        var probs = [Float]()
        for s in 0..<n {
            let logits = (0..<c).map { j in g.nextNormal() + (j == Int(labels[s]) ? 1.2 : 0) }
            let top = logits.max()!
            let exps = logits.map { expf($0 - top) }
            let total = exps.reduce(0, +)
            probs += exps.map { $0 / total }
        }
        return try MemberPredictions(name: "m\(k)", probabilities: probs, classes: c)
    }
    return (members, labels)
}

/// Parses `text` as XML and returns the first error, or nil when it is well-formed; also collects
/// element names so tests can check structure.
final class XMLCheck: NSObject, XMLParserDelegate {
    private(set) var elements: [String] = []
    private(set) var text = ""

    /// Parses `document`; fails the calling test when it is not well-formed XML.
    static func parse(_ document: String, file: StaticString = #filePath, line: UInt = #line) -> XMLCheck {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = check
        let ok = parser.parse()
        XCTAssertTrue(
            ok, "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")",
            file: file, line: line)
        return check
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        elements.append(elementName)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
