/// A chart's figures as an HTML table, folded under the chart: what a screen reader reads instead of the
/// picture, and where a reader copies exact values from.
struct DataTable {
    /// What the table holds; the `<summary>` a reader clicks to unfold it.
    var caption: String
    /// Column headings.
    var headers: [String]
    /// Cell texts, one array per row; the first cell of a row is its heading.
    var rows: [[String]]

    /// `<details>` holding the table in a box that scrolls sideways on its own, so a wide table never widens
    /// the page.
    func html() -> String {
        var s = "<details class=\"data\"><summary>Table: \(XMLText.escape(caption))</summary>\n"
        s += "<div class=\"scroll\"><table>\n<tr>"
        s += headers.map { "<th scope=\"col\">\(XMLText.escape($0))</th>" }.joined() + "</tr>\n"
        for row in rows {
            s += "<tr>"
            for (i, cell) in row.enumerated() {
                s +=
                    i == 0
                    ? "<th scope=\"row\">\(XMLText.escape(cell))</th>"
                    : "<td class=\"num\">\(XMLText.escape(cell))</td>"
            }
            s += "</tr>\n"
        }
        return s + "</table></div></details>\n"
    }
}
