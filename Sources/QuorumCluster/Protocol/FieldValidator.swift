/// Range checks for header fields that produce `ProtocolError`s naming the command and the field.
public struct FieldValidator: Sendable {
    /// The command whose header is checked.
    public let command: Command
    /// String length limits.
    public let limits: ProtocolLimits

    /// A validator for one command's header.
    public init(command: Command, limits: ProtocolLimits) {
        self.command = command
        self.limits = limits
    }

    /// The error for `field` with a problem phrase such as "must be ≥ 1, got 0".
    public func fail(_ field: String, _ problem: String) -> ProtocolError {
        .invalidHeader(command: command, field: field, problem: problem)
    }

    /// A non-empty string no longer than `maxBytes` (default: the limits' string length).
    public func text(_ value: String, _ field: String, maxBytes: Int? = nil, allowEmpty: Bool = false) throws {
        let limit = maxBytes ?? limits.maxStringBytes
        if !allowEmpty && value.isEmpty { throw fail(field, "must not be empty") }
        if value.utf8.count > limit { throw fail(field, "is \(value.utf8.count) bytes long; the limit is \(limit)") }
    }

    /// An integer inside `range`.
    public func integer(_ value: Int, _ field: String, _ range: ClosedRange<Int>) throws {
        if !range.contains(value) {
            let bound =
                range.upperBound == Int.max ? "≥ \(range.lowerBound)" : "in \(range.lowerBound)...\(range.upperBound)"
            throw fail(field, "must be \(bound), got \(value)")
        }
    }

    /// A finite number (no infinity); NaN cannot arrive as JSON has no literal for it.
    public func finite(_ value: Double, _ field: String, minimum: Double = -.infinity) throws {
        if !value.isFinite { throw fail(field, "must be a finite number, got \(value)") }
        if value < minimum { throw fail(field, "must be ≥ \(minimum), got \(value)") }
    }

    /// A fraction in 0...1 (accuracies).
    public func fraction(_ value: Double, _ field: String) throws {
        if !(value >= 0 && value <= 1) { throw fail(field, "must be in 0...1, got \(value)") }
    }
}
