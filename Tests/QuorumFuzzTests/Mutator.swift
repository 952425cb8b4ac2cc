/// Structure-aware random mutations for fuzzing: the edits that break parsers are the ones that change
/// declared sizes, so besides flipping bits it writes boundary and wrapping integers (binary, both byte
/// orders, and as decimal text over digit runs), truncates, deletes, and repeats slices.
struct Mutator {
    /// SplitMix64: seeded, so a failing run can be repeated exactly.
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    static let words: [UInt32] = [
        0, 1, 2, 16, 255, 256, 8192, 8193, 65535, 65536, 1 << 24, 1 << 30, 1 << 31,
        0x7FFF_FFFF, 0xFFFF_FFFE, 0xFFFF_FFFF
    ]
    static let longs: [UInt64] = [0, 1 << 31, 1 << 32, 1 << 62, 1 << 63, UInt64.max, UInt64.max / 3]
    static let numbers = [
        "0", "-1", "1", "8193", "30000", "65536", "16777216", "2147483648", "4294967295",
        "4294967296", "4611686018427387904", "9223372036854775807",
        "18446744073709551616", "1e30", "2.5", "99999999999999999999999"
    ]

    /// `input` with one to four mutations applied.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(4) { mutateOnce(&bytes) }
        return bytes
    }

    private mutating func mutateOnce(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { bytes = [UInt8(truncatingIfNeeded: next())]; return }
        let at = below(bytes.count)
        switch below(9) {
        case 0:
            bytes[at] ^= 1 << UInt8(below(8))
        case 1:
            bytes[at] = [0, 0x7F, 0x80, 0xFF, UInt8(truncatingIfNeeded: next())][below(5)]
        case 2, 3:
            // Half the time on a 4-byte boundary of the first 64 bytes, where binary headers keep their sizes.
            let at = below(2) == 0 ? at : 4 * below(min(16, max(1, bytes.count / 4)))
            let word = Self.words[below(Self.words.count)]
            let bigEndian = below(2) == 0
            let value = (0..<4).map { UInt8(truncatingIfNeeded: word >> (bigEndian ? 24 - 8 * $0 : 8 * $0)) }
            write(value, at: at, into: &bytes)
        case 4:
            let long = Self.longs[below(Self.longs.count)]
            write((0..<8).map { UInt8(truncatingIfNeeded: long >> UInt64(8 * $0)) }, at: at, into: &bytes)
        case 5:
            replaceNumber(&bytes, from: at)
        case 6:
            // Truncations too favour header boundaries.
            let end = below(2) == 0 ? below(bytes.count + 1) : min(bytes.count, 4 * below(17))
            bytes.removeSubrange(end...)
        case 7:
            let end = min(bytes.count, at + 1 + below(64))
            bytes.removeSubrange(at..<end)
        default:
            let end = min(bytes.count, at + 1 + below(256))
            let slice = Array(bytes[at..<end])
            let copies = 1 + below(4)
            let repeated = Array([[UInt8]](repeating: slice, count: copies).joined())
            bytes.insert(contentsOf: repeated, at: below(bytes.count + 1))
        }
    }

    private func write(_ value: [UInt8], at: Int, into bytes: inout [UInt8]) {
        for (k, b) in value.enumerated() where at + k < bytes.count { bytes[at + k] = b }
    }

    /// Replaces the first run of decimal digits at or after `from` (wrapping around) with a boundary number.
    private mutating func replaceNumber(_ bytes: inout [UInt8], from: Int) {
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        guard let start = bytes[from...].firstIndex(where: isDigit) ?? bytes.firstIndex(where: isDigit) else {
            return
        }
        var end = start
        while end < bytes.count && isDigit(bytes[end]) { end += 1 }
        bytes.replaceSubrange(start..<end, with: Array(Self.numbers[below(Self.numbers.count)].utf8))
    }
}
