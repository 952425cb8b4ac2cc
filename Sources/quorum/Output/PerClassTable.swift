import Foundation

/// Per-class accuracy as aligned text rows.
enum PerClassTable {
    static func render(_ accuracy: [Double], classNames: [String]) -> String {
        let width = max(5, classNames.map(\.count).max() ?? 0)
        var lines = ["per-class accuracy:"]
        for (i, a) in accuracy.enumerated() {
            let name = i < classNames.count ? classNames[i] : String(i)
            lines.append(
                "  \(String(format: "%2d", i)) \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(format: "%6.2f %%", a * 100))"
            )
        }
        return lines.joined(separator: "\n")
    }
}
