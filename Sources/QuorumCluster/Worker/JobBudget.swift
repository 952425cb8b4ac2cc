import Foundation

/// What a worker agrees to train, checked before anything is allocated for a job: a coordinator's JOB is
/// peer input, and `dense(1000000000)` or `num_classes: 1000000000` must become a FAILED, not an abort.
public struct JobBudget: Sendable, Equatable {
    /// The most classes a model may score: what a RESULT can carry.
    public var maxClasses: Int
    /// The largest integer a layer of the model text may name (units, filters, kernel, stride, padding).
    public var maxLayerArgument: Int
    /// The most trainable numbers a model may hold.
    public var maxParameters: Int
    /// The most activations one batch may produce across all layers (batch size × per-image activations).
    public var maxActivations: Int
    /// The largest `init_from` file, in bytes: no bigger model could travel back in a RESULT anyway.
    public var maxModelFileBytes: Int

    /// 65,536 classes, 2^20 per layer argument, 2^26 parameters (256 MB of float32), 2^28 activations per
    /// batch (1 GiB) and 256 MiB model files.
    public init(maxClasses: Int = 65_536, maxLayerArgument: Int = 1 << 20, maxParameters: Int = 1 << 26,
                maxActivations: Int = 1 << 28, maxModelFileBytes: Int = 256 << 20) {
        self.maxClasses = maxClasses
        self.maxLayerArgument = maxLayerArgument
        self.maxParameters = maxParameters
        self.maxActivations = maxActivations
        self.maxModelFileBytes = maxModelFileBytes
    }

    /// Throws when `classes` is more than a RESULT can carry.
    public func checkClasses(_ classes: Int) throws {
        guard (1...maxClasses).contains(classes) else {
            throw PermanentJobError("num_classes is \(classes); this worker trains 1...\(maxClasses) classes")
        }
    }

    /// Throws unless `model` (a preset or a layer list) fits the budget at `inputShape` and `batchSize`.
    public func checkModel(_ model: String, inputShape: [Int], classes: Int, batchSize: Int) throws {
        // Every integer in the text bounded first, so the shape arithmetic below cannot overflow.
        var digits = ""
        for ch in model + " " {
            if ch.isASCII && ch.isNumber { digits.append(ch); continue }
            if !digits.isEmpty, Int(digits).map({ $0 > maxLayerArgument }) ?? true {
                throw PermanentJobError("model \"\(PeerText.escaped(model, limit: 120))\" names \(digits.prefix(24)); "
                                        + "this worker allows layer sizes up to \(maxLayerArgument)")
            }
            digits = ""
        }
        let spec: ModelSpec
        let shapes: [[Int]]
        do {
            spec = try ModelSpec(parsing: model, inputShape: inputShape, classes: classes)
            shapes = try spec.outputShapesPerLayer()
        } catch { throw PermanentJobError("model: \(error)") }
        var parameters = 0, activations = 0
        var input = inputShape
        for (layer, output) in zip(spec.layerSpecs, shapes) {
            let inputCount = try Self.product(input), outputCount = try Self.product(output)
            switch layer {
            case let .conv(k, f, _, _):
                parameters = try Self.sum(parameters, Self.product([k, k, input.last ?? 1, f]), f)
            case let .dense(units): parameters = try Self.sum(parameters, Self.product([inputCount, units]), units)
            case .batchNorm: parameters = try Self.sum(parameters, Self.product([4, input.last ?? 1]))
            default: break
            }
            activations = try Self.sum(activations, Self.product([outputCount, batchSize]), inputCount)
            input = output
        }
        if parameters > maxParameters {
            throw PermanentJobError("model \(spec.layers) has \(parameters) parameters; this worker trains at most \(maxParameters)")
        }
        if activations > maxActivations {
            throw PermanentJobError("model \(spec.layers) at batch size \(batchSize) needs \(activations) activations "
                                    + "per batch; this worker allows \(maxActivations)")
        }
    }

    /// Throws unless `path` is a regular file no larger than `maxModelFileBytes`. The message says no more
    /// than that: the coordinator chose the path, and must learn nothing else about this machine's files.
    public func checkModelFile(_ path: String) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let isFile = (attributes?[.type] as? FileAttributeType) == .typeRegular
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? Int.max
        guard isFile, size <= maxModelFileBytes else { throw unusable(path) }
    }

    /// The one error every problem with an `init_from` file gives on the wire.
    func unusable(_ path: String) -> PermanentJobError {
        PermanentJobError("init_from \"\(PeerText.escaped(path, limit: 200))\" is not a usable Quorum model file on this "
                          + "worker (a regular file of at most \(maxModelFileBytes >> 20) MiB holding a model; "
                          + "the worker's log has details)")
    }

    private static func product(_ values: [Int]) throws -> Int {
        try values.reduce(1) { a, b in
            let (p, o) = a.multipliedReportingOverflow(by: b)
            if o { throw PermanentJobError("model sizes overflow a 64-bit count") }
            return p
        }
    }

    private static func sum(_ values: Int...) throws -> Int {
        try values.reduce(0) { a, b in
            let (s, o) = a.addingReportingOverflow(b)
            if o { throw PermanentJobError("model sizes overflow a 64-bit count") }
            return s
        }
    }
}
