import Foundation
import QuorumCore
import QuorumData

/// Knowledge distillation (Hinton et al. 2015): the student's loss mixes the cross-entropy with a teacher's
/// softened probabilities and the ordinary loss on the true labels,
/// `alpha · T² · CE(softmax(z/T), softmax(log p/T)) + (1 − alpha) · CE(softmax(z), y)`.
///
/// The teacher's probabilities p come in one of two ways:
/// - **fixed** (`teacher` alone): a file the config names, like `init_from`, with p for every training image
///   (after the validation split and limits): a safetensors file with one `probabilities` tensor
///   `[N, classes]` and the metadata `images_sha256`, the SHA-256 of the training images it scored
///   (`Dataset.contentHash`), which must match the images the student trains on.
/// - **consistent** (`members` set): the teacher's model files score each batch as the student sees it,
///   augmented, and p is their (weighted) mean probability. The teacher then agrees with the student on every
///   view (Beyer et al. 2022, "a good teacher is patient and consistent"); a fixed file scored the plain
///   images only.
public struct DistillationSettings: Codable, Equatable, Sendable {
    /// Fixed teaching: the teacher's probabilities file. Consistent teaching: the ensemble folder the members
    /// came from, for the record. Absolute, so workers started elsewhere read the same file.
    public var teacher: String
    /// Consistent teaching: the teacher's model files (absolute paths); nil for fixed teaching.
    public var members: [String]? = nil
    /// Consistent teaching: each member's weight in the mean (nil: equal weights).
    public var weights: [Float]? = nil
    /// The temperature T that softens both distributions (> 0; 1 leaves them as they are).
    public var temperature: Float
    /// The share of the loss given to the teacher, in [0, 1].
    public var alpha: Float

    /// Settings from their parts.
    public init(
        teacher: String, members: [String]? = nil, weights: [Float]? = nil, temperature: Float = 1,
        alpha: Float = 0.5
    ) {
        self.teacher = teacher
        self.members = members
        self.weights = weights
        self.temperature = temperature
        self.alpha = alpha
    }

    /// The most teacher models consistent teaching runs on every batch.
    public static let maxMembers = 64

    /// Throws `TrainingError.badConfig` naming the first field out of range.
    public func validate() throws {
        func bad(_ field: String, _ why: String) -> TrainingError {
            .badConfig(field: "distillation." + field, reason: why)
        }
        guard !teacher.isEmpty else { throw bad("teacher", "must name a file") }
        guard temperature.isFinite, temperature > 0, temperature <= 100 else {
            throw bad("temperature", "must be in (0, 100], got \(temperature)")
        }
        guard alpha.isFinite, (0...1).contains(alpha) else { throw bad("alpha", "must be in [0, 1], got \(alpha)") }
        if let members {
            guard (1...Self.maxMembers).contains(members.count) else {
                throw bad("members", "must name 1...\(Self.maxMembers) model files, got \(members.count)")
            }
            if let i = members.firstIndex(where: \.isEmpty) { throw bad("members[\(i)]", "must name a file") }
        } else if weights != nil {
            throw bad("weights", "apply to consistent teaching (members) only")
        }
        if let weights {
            guard weights.count == members?.count else {
                throw bad("weights", "must give one weight per member (\(members?.count ?? 0)), got \(weights.count)")
            }
            guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }), weights.contains(where: { $0 > 0 }) else {
                throw bad("weights", "must be finite, at least 0, and not all 0")
            }
        }
    }

    /// The teacher file's metadata key for the scored images' hash.
    public static let imagesKey = "images_sha256"

    /// Writes a teacher file for `probabilities` (`[count, classes]`) of `images`.
    public static func writeTeacher(_ probabilities: [Float], classes: Int, of images: Dataset, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SafeTensors(
            metadata: [imagesKey: images.contentHash()],
            entries: [.init(name: "probabilities", shape: [images.count, classes], values: probabilities)]
        ).write(to: url.path)
    }

    /// The teacher's probabilities softened at the temperature, `[train.count × classes]`, after checking that
    /// the file scored exactly `train` with `classes` classes and holds probabilities.
    func softTargets(for train: Dataset, classes: Int) throws -> [Float] {
        func bad(_ why: String) -> TrainingError {
            .badConfig(field: "distillation.teacher", reason: "\(teacher): \(why)")
        }
        let file: SafeTensors
        do { file = try SafeTensors.read(path: teacher) } catch { throw bad("\(error)") }
        guard let rows = file["probabilities"] else { throw bad("holds no 'probabilities' tensor") }
        guard rows.shape == [train.count, classes] else {
            throw bad("'probabilities' is \(rows.shape); the training images need [\(train.count), \(classes)]")
        }
        guard file.metadata[Self.imagesKey] == train.contentHash() else {
            throw bad("scored other training images (\(Self.imagesKey) differs): make it for this data and split")
        }
        if let i = rows.values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw bad("value \(rows.values[i]) at row \(i / classes) is not a probability")
        }
        var soft = rows.values
        soften(&soft, classes: classes)
        return soft
    }

    /// Softens rows of probabilities in place at the temperature: each row becomes softmax(log p / T)
    /// (at T = 1, the row over its sum).
    func soften(_ rows: inout [Float], classes: Int) {
        let inverse = 1 / Double(temperature)
        var row = [Double](repeating: 0, count: classes)
        for r in 0..<(rows.count / classes) {
            var sum = 0.0
            for j in 0..<classes {
                row[j] = pow(max(Double(rows[r * classes + j]), 1e-30), inverse)
                sum += row[j]
            }
            for j in 0..<classes { rows[r * classes + j] = Float(row[j] / sum) }
        }
    }

    /// Mixes the teacher term into a batch whose ordinary loss is `hardLoss` with gradient `gradient` (mean over
    /// the batch, `[n, classes]`, updated in place); `targets` holds the softened teacher rows of the batch's
    /// images in batch order. Returns the mixed loss.
    func blend(logits: Tensor, hardLoss: Float, gradient: Tensor, targets: [Float], classes c: Int) -> Float {
        let n = logits.batch, t = temperature
        var soft = 0.0
        var s = [Float](repeating: 0, count: c)
        for r in 0..<n {
            let z = logits.data + r * c, g = gradient.data + r * c
            var top = z[0] / t
            for j in 1..<c where z[j] / t > top { top = z[j] / t }
            var sum: Float = 0
            for j in 0..<c {
                s[j] = expf(z[j] / t - top)
                sum += s[j]
            }
            for j in 0..<c {
                s[j] /= sum
                let q = targets[r * c + j]
                if q > 0 { soft -= Double(q) * log(Double(max(s[j], 1e-30))) }
                // d(T² · CE(softmax(z/T), q))/dz = T · (softmax(z/T) − q), averaged over the batch.
                g[j] = (1 - alpha) * g[j] + alpha * t * (s[j] - q) / Float(n)
            }
        }
        return (1 - alpha) * hardLoss + alpha * Float(soft * Double(t * t) / Double(max(n, 1)))
    }
}
