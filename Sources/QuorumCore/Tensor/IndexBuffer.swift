/// Reusable Int32 storage for per-element indices (max-pool argmax positions), grown only when too small.
public final class IndexBuffer {
    /// The storage; `count` indices are valid.
    public private(set) var data: UnsafeMutablePointer<Int32>
    /// How many indices are valid.
    public private(set) var count: Int
    private var capacity: Int

    /// An empty buffer.
    public init() {
        capacity = 1
        count = 0
        data = .allocate(capacity: 1)
        data.initialize(to: 0)
    }

    deinit { data.deallocate() }

    /// Makes room for `n` indices, allocating only when the buffer must grow. Contents are unspecified.
    public func resize(to n: Int) {
        if n > capacity {
            data.deallocate()
            capacity = n
            data = .allocate(capacity: n)
            data.initialize(repeating: 0, count: n)
        }
        count = n
    }
}
