import Foundation

/// A linear axis with "nice" round ticks (1, 2 or 5 times a power of ten) covering a data range.
struct AxisScale {
    /// The axis's lower and upper ends (tick values).
    let lower: Double
    let upper: Double
    /// Distance between ticks.
    let step: Double

    /// The tick values, from `lower` to `upper`.
    let ticks: [Double]

    /// An axis covering `low...high` with about `targetTicks` ticks; `integers` keeps ticks on whole
    /// numbers (epochs, member counts). A `tight` axis ends exactly at `low` and `high` (epochs start at 1,
    /// not at the round number below), with a tick at `low` and the round ticks after it.
    init(low: Double, high: Double, targetTicks: Int = 6, integers: Bool = false, tight: Bool = false) {
        var low = low.isFinite ? low : 0, high = high.isFinite ? high : 1
        if high < low { swap(&low, &high) }
        if high == low {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let raw = Self.nice((high - low) / Double(max(targetTicks - 1, 1)))
        let step = integers ? max(raw, 1) : raw
        self.step = step
        let first = (low / step).rounded(.down) * step, last = (high / step).rounded(.up) * step
        let n = Int(((last - first) / step).rounded())
        let round = (0...max(n, 0)).map { first + Double($0) * step }
        if tight {
            lower = low
            upper = high
            // Round ticks closer than half a step to `low` would print on top of its label.
            ticks = [low] + round.filter { $0 >= low + step / 2 - 1e-9 && $0 <= high + 1e-9 }
        } else {
            lower = first
            upper = last
            ticks = round
        }
    }

    /// Where `value` falls, as a fraction of the axis (0 at `lower`, 1 at `upper`).
    func fraction(_ value: Double) -> Double { (value - lower) / (upper - lower) }

    /// A tick label with just enough decimals for the step.
    func label(_ value: Double) -> String {
        let decimals = max(0, Int((-log10(step)).rounded(.up)))
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// The nice number (1, 2, 5 × 10^k) nearest above `raw`.
    private static func nice(_ raw: Double) -> Double {
        let exponent = (log10(raw)).rounded(.down)
        let base = pow(10, exponent)
        let f = raw / base
        let niceF: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        return niceF * base
    }
}
