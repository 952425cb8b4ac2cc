import QuorumCore

/// A model's layers as a graph, drawn as Keras' `plot_model` does: one box per layer with its input and
/// output shapes and parameter count, arrows from input to output. Renders as SVG (drawn here, no external tool)
/// or as Graphviz DOT text.
public struct ModelGraph: Equatable, Sendable {
    /// One box of the graph.
    public struct Node: Equatable, Sendable {
        /// The layer's spec text (`conv3x3(32)`), or `input`.
        public let label: String
        /// One sample's output shape (the input shape for the input node).
        public let outputShape: [Int]
        /// Learnable scalars in the layer.
        public let parameters: Int
    }

    /// The model's name (preset or `custom`).
    public let name: String
    /// The input node, then one node per layer, in order.
    public let nodes: [Node]

    /// The graph of a built network.
    public init(model: Sequential) {
        name = model.spec.name
        var nodes = [Node(label: "input", outputShape: model.spec.inputShape, parameters: 0)]
        for layer in model.layers {
            nodes.append(
                Node(
                    label: layer.spec, outputShape: layer.outputShape,
                    parameters: layer.parameters.reduce(0) { $0 + $1.count }))
        }
        self.nodes = nodes
    }

    /// The total number of learnable scalars.
    public var parameterCount: Int { nodes.reduce(0) { $0 + $1.parameters } }

    /// True for a layer drawn small: no parameters and the shape it was given (activations, dropout).
    func isCompact(_ index: Int) -> Bool {
        index > 0 && nodes[index].parameters == 0 && nodes[index].outputShape == nodes[index - 1].outputShape
    }

    /// The graph as a standalone SVG document, top to bottom: each layer's input and output shape and its
    /// parameter count, as Keras's `plot_model(show_shapes=True)` draws it; layers that keep the shape and
    /// learn nothing (activations, dropout) are thin boxes with their name alone.
    public func svg() -> String {
        let boxWidth = 400.0, boxHeight = 58.0, compactHeight = 24.0, compactWidth = 200.0, gap = 26.0
        let margin = 20.0, titleHeight = 40.0
        let heights = nodes.indices.map { isCompact($0) ? compactHeight : boxHeight }
        let width = boxWidth + 2 * margin
        let height = titleHeight + heights.reduce(0, +) + Double(nodes.count - 1) * gap + margin + 24
        let title = "\(name): \(Self.grouped(parameterCount)) parameters"
        let label = XMLText.escape("Model graph of \(title)")
        // A fixed id: the SVG is deterministic, and a report holds one model graph.
        let marker = "model-graph-arrow"
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
        s += "viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(label)\" "
        s += "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n<title>\(label)</title>\n"
        // A picture's text is hidden from screen readers; the description reads the boxes out in order.
        s += "<desc>\(XMLText.escape(description))</desc>\n"
        s += "<defs><marker id=\"\(marker)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
        s += "markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444444\"/></marker></defs>\n"
        s += "<rect width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"\(f(width / 2))\" y=\"26\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">"
        s += "\(XMLText.escape(title))</text>\n"
        var y = titleHeight
        for (i, node) in nodes.enumerated() {
            let fill = i == 0 ? "#e8e8e8" : Self.colour(node.label)
            let name = XMLText.escape(node.label)
            s += "<g class=\"layer\">\n"
            if isCompact(i) {
                let x = margin + (boxWidth - compactWidth) / 2
                s += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(compactWidth))\" height=\"\(f(compactHeight))\" "
                s += "rx=\"4\" fill=\"\(fill)\" stroke=\"#444444\"/>\n"
                s +=
                    "<text x=\"\(f(margin + boxWidth / 2))\" y=\"\(f(y + 16))\" text-anchor=\"middle\">\(name)</text>\n"
            } else {
                s += "<rect x=\"\(f(margin))\" y=\"\(f(y))\" width=\"\(f(boxWidth))\" height=\"\(f(boxHeight))\" "
                s += "rx=\"4\" fill=\"\(fill)\" stroke=\"#444444\"/>\n"
                s += "<line x1=\"\(f(margin + 160))\" y1=\"\(f(y))\" x2=\"\(f(margin + 160))\" "
                s += "y2=\"\(f(y + boxHeight))\" stroke=\"#444444\"/>\n"
                s += "<text x=\"\(f(margin + 10))\" y=\"\(f(y + 33))\" font-weight=\"bold\">\(name)</text>\n"
                let lines =
                    i == 0
                    ? ["shape \(Self.shape(node.outputShape))"]
                    : [
                        "input \(Self.shape(nodes[i - 1].outputShape))", "output \(Self.shape(node.outputShape))",
                        "\(Self.grouped(node.parameters)) params"
                    ]
                for (k, line) in lines.enumerated() {
                    let grey = k == 2 ? " fill=\"#555555\"" : ""
                    s += "<text x=\"\(f(margin + 170))\" y=\"\(f(y + 18 + 16 * Double(k)))\"\(grey)>\(line)</text>\n"
                }
            }
            s += "</g>\n"
            y += heights[i]
            if i + 1 < nodes.count {
                let x = margin + boxWidth / 2
                s += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x))\" y2=\"\(f(y + gap - 2))\" "
                s += "stroke=\"#444444\" stroke-width=\"1.5\" marker-end=\"url(#\(marker))\"/>\n"
            }
            y += gap
        }
        return s + "</svg>\n"
    }

    /// The layers in words, one sentence per box: what a screen reader reads instead of the drawing.
    public var description: String {
        nodes.enumerated().map { i, node in
            i == 0
                ? "input of shape \(Self.shape(node.outputShape))."
                : "\(node.label): \(Self.shape(nodes[i - 1].outputShape)) to \(Self.shape(node.outputShape)), "
                    + "\(Self.grouped(node.parameters)) parameters."
        }.joined(separator: " ")
    }

    /// The graph as Graphviz DOT text (`dot -Tpng` renders it), with the same boxes as `svg()`.
    public func dot() -> String {
        var s = "digraph model {\n"
        let title = dotEscape("\(name): \(Self.grouped(parameterCount)) parameters")
        s += "  graph [rankdir=TB, label=\"\(title)\", labelloc=t, fontname=\"Helvetica\"];\n"
        s += "  node [shape=record, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
        for (i, node) in nodes.enumerated() {
            let fill = i == 0 ? "#e8e8e8" : Self.colour(node.label)
            if isCompact(i) {
                s += "  n\(i) [shape=box, height=0.2, width=1.2, fontsize=9, margin=\"0.05,0.02\", "
                s += "label=\"\(dotEscape(node.label))\", fillcolor=\"\(fill)\"];\n"
                continue
            }
            let fields =
                i == 0
                ? "shape \(recordEscape(Self.shape(node.outputShape)))"
                : "input \(recordEscape(Self.shape(nodes[i - 1].outputShape)))|output "
                    + "\(recordEscape(Self.shape(node.outputShape)))|\(Self.grouped(node.parameters)) params"
            // Name on the left, the shapes and count stacked on the right, as in `svg()`.
            let label = "\(recordEscape(node.label))|{\(fields)}"
            s += "  n\(i) [label=\"\(dotEscape(label))\", fillcolor=\"\(fill)\"];\n"
        }
        for i in 0..<max(nodes.count - 1, 0) { s += "  n\(i) -> n\(i + 1);\n" }
        return s + "}\n"
    }

    /// `(28, 28, 32)` style shapes, as the model summary prints them.
    static func shape(_ s: [Int]) -> String { "(" + s.map(String.init).joined(separator: ", ") + ")" }

    /// `421,642` style counts.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }

    /// One colour per kind of layer, so the structure reads at a glance.
    static func colour(_ label: String) -> String {
        if label.hasPrefix("conv") { return "#cfe2f3" }
        if label.hasPrefix("dense") { return "#d9ead3" }
        if label.hasPrefix("maxpool") || label.hasPrefix("avgpool") || label == "gap" { return "#fff2cc" }
        if label.hasPrefix("dropout") || label == "batchnorm" { return "#ead1dc" }
        if label == "flatten" { return "#f4f4f4" }
        return "#fce5cd"
    }

    private func f(_ v: Double) -> String { SVGChart.f(v) }
    private func dotEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
    /// Record labels treat `{ } | < >` as structure, so they are escaped inside a field.
    private func recordEscape(_ s: String) -> String {
        var out = ""
        for ch in s { if "{}|<> ".contains(ch) && ch != " " { out += "\\" }; out.append(ch) }
        return out
    }
}
