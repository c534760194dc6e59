#if _endian(big)
#error("KeccakSponge maps lanes onto memory as little-endian words")
#endif

/// The Keccak sponge over Keccak-f[1600] (FIPS 202, section 4): absorbs bytes at `rate` bytes per
/// block, pads with the domain byte (`0x01` for original Keccak, `0x06` for SHA-3) and `0x80`.
///
/// The state is a tuple of 25 lanes held inline: hashing never allocates. Input bytes are XORed
/// straight into the state (lane `i` occupies bytes `8i..<8i+8`, little-endian, as the tuple is
/// laid out on little-endian hosts), so there is no separate block buffer.
@usableFromInline
struct KeccakSponge: Sendable {
    @usableFromInline var state: KeccakState = keccakZeroState
    /// Bytes absorbed into the current block, `0..<rate`.
    @usableFromInline var offset: Int = 0
    @usableFromInline let rate: Int
    @usableFromInline let domain: UInt8

    @inlinable
    init(rate: Int, domain: UInt8) {
        self.rate = rate
        self.domain = domain
    }

    /// Absorbs `input` into the state.
    @usableFromInline
    mutating func absorb(_ input: UnsafeRawBufferPointer) {
        var index = 0
        let count = input.count
        let rate = self.rate
        // Finish a partially filled block byte by byte.
        if offset != 0 {
            let take = min(rate &- offset, count)
            let start = offset
            withUnsafeMutableBytes(of: &state) { lanes in
                for i in 0..<take { lanes[start &+ i] ^= input[i] }
            }
            index = take
            offset &+= take
            if offset == rate {
                keccakF1600(&state)
                offset = 0
            }
        }
        // Whole blocks, a lane at a time.
        let laneCount = rate &>> 3
        while count &- index >= rate {
            let base = index
            withUnsafeMutableBytes(of: &state) { lanes in
                for lane in 0..<laneCount {
                    let position = lane &* 8
                    let word = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: base &+ position, as: UInt64.self))
                    let current = lanes.load(fromByteOffset: position, as: UInt64.self)
                    lanes.storeBytes(of: current ^ word, toByteOffset: position, as: UInt64.self)
                }
            }
            keccakF1600(&state)
            index &+= rate
        }
        // Keep the tail in the state.
        if index < count {
            let tail = count &- index
            let base = index
            withUnsafeMutableBytes(of: &state) { lanes in
                for i in 0..<tail { lanes[i] ^= input[base &+ i] }
            }
            offset = tail
        }
    }

    /// Pads, permutes and writes the first `output.count` bytes (at most `rate`) of the state.
    /// The sponge must not be used afterwards.
    @usableFromInline
    mutating func squeeze(into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count <= rate, "KeccakSponge: output longer than one block")
        let last = rate &- 1
        let position = offset
        let domain = self.domain
        withUnsafeMutableBytes(of: &state) { lanes in
            lanes[position] ^= domain
            lanes[last] ^= 0x80
        }
        keccakF1600(&state)
        withUnsafeBytes(of: &state) { lanes in
            output.copyMemory(from: UnsafeRawBufferPointer(rebasing: lanes[0..<output.count]))
        }
    }

    /// Pads, permutes and returns the first `count` bytes of the state.
    @usableFromInline
    consuming func digest(count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            squeeze(into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }
}
