/// xoshiro256** seeded through SplitMix64: the router's only source of randomness.
///
/// The same seed gives the same sequence on every platform, so simulations replay exactly.
public struct DeterministicRNG: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose four words of state are the first four SplitMix64 outputs from `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&sm)
        s1 = splitMix(&sm)
        s2 = splitMix(&sm)
        s3 = splitMix(&sm)
    }

    /// The next 64 bits of the xoshiro256** sequence.
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform integer in `0..<bound` (Lemire's method, no modulo bias). `bound` must be > 0.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Fisher–Yates shuffle with a defined algorithm (the standard library's is unspecified).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }

    /// Up to `count` elements of `elements` chosen uniformly, taken after sorting so that the
    /// result depends only on the seed and the set, not on hash order.
    public mutating func sample<T: Comparable>(_ count: Int, from elements: some Sequence<T>) -> [T] {
        sample(count, fromSorted: elements.sorted())
    }

    /// ``sample(_:from:)`` for elements already in ascending order (no sort).
    mutating func sample<T>(_ count: Int, fromSorted elements: [T]) -> [T] {
        var pool = elements
        let taken = min(max(0, count), pool.count)
        // A partial Fisher–Yates shuffle: only the first `taken` places are drawn.
        for i in 0..<taken {
            let j = i + below(pool.count - i)
            if i != j { pool.swapAt(i, j) }
        }
        pool.removeLast(pool.count - taken)
        return pool
    }
}
