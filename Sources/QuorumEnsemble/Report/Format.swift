import Foundation

/// Number formats shared by the text table and the HTML report.
enum Format {
    /// A fraction as a percentage with two decimals, e.g. `92.60 %`.
    static func percent(_ fraction: Double) -> String { String(format: "%.2f %%", fraction * 100) }

    /// Percentage points with an explicit sign, e.g. `+1.08 pt` or `-0.25 pt`.
    static func points(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return (rounded < 0 ? "-" : "+") + String(format: "%.2f pt", abs(rounded))
    }

    /// A number with a fixed number of decimals.
    static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}
