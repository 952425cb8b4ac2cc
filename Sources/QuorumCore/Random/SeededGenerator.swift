/// SplitMix64: a small, fast, seedable generator. Every random draw in Quorum comes from one of these,
/// derived from the member's seed and a purpose, so the same seed gives the same run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator for one purpose (e.g. "init", "shuffle", "augment", "dropout") of one seed:
    /// independent streams that do not shift when another purpose draws more or fewer numbers.
    public init(seed: UInt64, purpose: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a of the purpose, stable across runs and platforms
        for byte in purpose.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var mixer = SeededGenerator(seed: seed ^ h)
        state = mixer.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1), from the top 24 bits.
    public mutating func nextUniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// A standard normal Float (Box-Muller; the second value is discarded to keep the stream simple).
    public mutating func nextNormal() -> Float {
        var u1 = nextUniform()
        if u1 < 1e-7 { u1 = 1e-7 }
        let u2 = nextUniform()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * Float.pi * u2)
    }

    /// A uniform integer in 0..<n.
    public mutating func nextInt(below n: Int) -> Int { Int(next(upperBound: UInt64(n))) }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
