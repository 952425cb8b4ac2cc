/// A shape plus contiguous Float storage. Images are NHWC: (batch, height, width, channels).
///
/// A tensor is a class so that layers can keep one buffer for the largest batch they have seen and
/// hand it out again on every step: `resize(to:)` only allocates when the buffer must grow.
public final class Tensor {
    /// The dimensions, outermost first.
    public private(set) var shape: [Int]
    /// The storage; `count` floats are valid, `capacity` are allocated.
    public private(set) var data: UnsafeMutablePointer<Float>
    /// How many floats are allocated.
    public private(set) var capacity: Int

    /// A zero-filled tensor of the given shape.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        let n = shape.reduce(1, *)
        capacity = max(n, 1)
        data = .allocate(capacity: capacity)
        data.initialize(repeating: 0, count: capacity)
    }

    /// A tensor holding `values`, which must have as many elements as `shape` describes.
    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count, "\(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { data.deallocate() }

    /// The number of elements the shape describes.
    public var count: Int { shape.reduce(1, *) }

    /// The leading (batch) dimension.
    public var batch: Int { shape.first ?? 1 }

    /// Elements per item of the leading dimension.
    public var itemCount: Int { shape.count > 1 ? shape.dropFirst().reduce(1, *) : 1 }

    /// Changes the shape, growing the storage only when it is too small. Contents are unspecified afterwards.
    public func resize(to newShape: [Int]) {
        let n = newShape.reduce(1, *)
        if n > capacity {
            data.deallocate()
            capacity = n
            data = .allocate(capacity: n)
            data.initialize(repeating: 0, count: n)
        }
        shape = newShape
    }

    /// Changes the shape without touching the storage; the element count must not change.
    public func reshape(_ newShape: [Int]) {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        shape = newShape
    }

    /// Sets every element to zero.
    public func zero() { data.update(repeating: 0, count: count) }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// Copies `other`'s shape and contents into this tensor.
    public func copy(from other: Tensor) {
        resize(to: other.shape)
        data.update(from: other.data, count: other.count)
    }

    /// A new tensor with the same shape and contents.
    public func clone() -> Tensor {
        let t = Tensor(shape: shape)
        t.data.update(from: data, count: count)
        return t
    }

    /// The contents as an array (for tests, files and messages; not for hot paths).
    public var array: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// A buffer view of the valid elements.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

    /// Element access by flat index.
    public subscript(i: Int) -> Float {
        get { data[i] }
        set { data[i] = newValue }
    }
}
