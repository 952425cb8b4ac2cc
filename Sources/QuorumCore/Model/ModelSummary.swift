extension Sequential {
    /// A readable table of the layers with their output shapes, parameter counts and FLOPs, like Keras' summary.
    public func summary() -> String {
        var rows: [[String]] = [["#", "layer", "output shape", "params", "MFLOPs"]]
        rows.append(["", "input", shapeText(spec.inputShape), "", ""])
        for (i, layer) in layers.enumerated() {
            let params = layer.parameters.reduce(0) { $0 + $1.count }
            rows.append([
                String(i), layer.spec, shapeText(layer.outputShape), params.formatted(), megaText(layer.forwardFLOPs)
            ])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.enumerated().map { c, cell in
                c >= 3
                    ? String(repeating: " ", count: widths[c] - cell.count) + cell
                    : cell + String(repeating: " ", count: widths[c] - cell.count)
            }.joined(separator: "  ")
        }
        var out = ["model \(spec.name): \(spec.layers)", line(rows[0])]
        out.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
        out += rows.dropFirst().map(line)
        out.append(
            "total parameters: \(parameterCount.formatted()) (trainable \(parameters.filter(\.trainable).reduce(0) { $0 + $1.count }.formatted()))"
        )
        out.append(
            "forward: \(megaText(forwardFLOPs)) MFLOPs per image; training about \(megaText(3 * forwardFLOPs)) MFLOPs per image"
        )
        return out.joined(separator: "\n")
    }

    private func shapeText(_ s: [Int]) -> String { "(" + s.map(String.init).joined(separator: ", ") + ")" }
    private func megaText(_ flops: Int) -> String { String(format: "%.2f", Double(flops) / 1e6) }
}

import Foundation
