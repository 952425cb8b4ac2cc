/// Adds the column sums of a row-major `[rows, columns]` matrix into `sums` (the bias gradient of a
/// GEMM-based layer). Rows are walked in order so the inner loop runs over contiguous memory.
@inline(__always)
func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = m + r * columns
        for j in 0..<columns { sums[j] += row[j] }
    }
}
