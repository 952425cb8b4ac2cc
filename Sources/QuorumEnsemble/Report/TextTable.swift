/// A fixed-width plain-text table: columns padded to their widest cell, separated by two spaces.
struct TextTable {
    /// How a column lines up its cells.
    enum Alignment { case left, right }

    private let headers: [String]
    private let alignments: [Alignment]
    private var rows: [[String]?] = []  // nil draws a rule

    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    mutating func add(_ cells: [String]) {
        precondition(cells.count == headers.count, "row has \(cells.count) cells for \(headers.count) columns")
        rows.append(cells)
    }

    mutating func addRule() { rows.append(nil) }

    /// The table's lines, each indented by `indent`, with a rule under the header.
    func render(indent: String = "  ") -> [String] {
        var widths = headers.map(\.count)
        for case let row? in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let ruleWidth = widths.reduce(0, +) + 2 * (widths.count - 1)
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return alignments[i] == .left ? cell + pad : pad + cell
            }
            return indent + padded.joined(separator: "  ").replacingTrailingSpaces()
        }
        let rule = indent + String(repeating: "─", count: ruleWidth)
        return [line(headers), rule] + rows.map { $0.map(line) ?? rule }
    }
}

private extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
