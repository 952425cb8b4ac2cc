/// The settings and timing a report's overview starts with, as text: a run's training settings (one value,
/// or every distinct value when members differ) and its wall time.
public struct ReportOverview: Sendable, Equatable {
    /// The data set (`fashion-mnist`, a folder, files).
    public var dataSet: String
    /// The model preset or layer list.
    public var model: String
    /// The optimizer with its settings.
    public var optimizer: String
    /// The base learning rate.
    public var learningRate: String
    /// Images per optimizer step.
    public var batchSize: String
    /// Passes over the training set.
    public var epochs: String
    /// The learning-rate schedule and warm-up.
    public var schedule: String
    /// The run's wall time, when known.
    public var wallSeconds: Double?

    /// An overview from settings already written as text.
    public init(
        dataSet: String, model: String, optimizer: String, learningRate: String, batchSize: String,
        epochs: String, schedule: String, wallSeconds: Double? = nil
    ) {
        self.dataSet = dataSet
        self.model = model
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.epochs = epochs
        self.schedule = schedule
        self.wallSeconds = wallSeconds
    }

    /// One setting over all members: its value when they share it, else each distinct value in first-seen order.
    public static func setting<T: CustomStringConvertible>(_ values: [T]) -> String {
        var seen: [String] = []
        for text in values.map(\.description) where !seen.contains(text) { seen.append(text) }
        return seen.count <= 1 ? (seen.first ?? "–") : "varies: " + seen.joined(separator: ", ")
    }

    /// `1 h 02 min`, `3 min 05 s` or `12.3 s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600) h \(Format.fixed(Double(s % 3600 / 60), 0).leftPadded(2)) min" }
        if s >= 60 { return "\(s / 60) min \(Format.fixed(Double(s % 60), 0).leftPadded(2)) s" }
        return "\(Format.fixed(seconds, 1)) s"
    }
}

extension String {
    /// The text with zeros in front up to `width` characters.
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
