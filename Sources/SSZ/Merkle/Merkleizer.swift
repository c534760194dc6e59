import Crypto

/// SSZ merkleization primitives: pair hashing, `merkleize`, `merkleize_progressive` and the mix-ins.
///
/// Trees are hashed in place in one scratch buffer, layer by layer: each 64-byte pair is fed
/// straight to SHA-256 and its digest written back over the left half of the layer.
public enum Merkleizer {
    /// `hash(a + b)`: SHA-256 of the 64 bytes at `pair`, written to `output` (which may alias `pair`).
    @inlinable
    public static func hashPair(_ pair: UnsafeRawPointer, into output: UnsafeMutableRawPointer) {
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: pair, count: 64))
        let digest = hasher.finalize()
        digest.withUnsafeBytes { output.copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: 32) }
    }

    /// `hash(left + right)`.
    @inlinable
    public static func hash(_ left: SSZRoot, _ right: SSZRoot) -> SSZRoot {
        var pair = (left.storage, right.storage)
        return withUnsafeMutableBytes(of: &pair) { raw in
            let base = raw.baseAddress.unsafelyUnwrapped
            hashPair(base, into: base)
            return SSZRoot(loadingFrom: base)
        }
    }

    /// `zeroHashes[d]` is the root of a tree of depth `d` whose leaves are all zero chunks (d = 0...64).
    public static let zeroHashes: [SSZRoot] = {
        var table = [SSZRoot.zero]
        table.reserveCapacity(65)
        for depth in 1...64 { table.append(hash(table[depth - 1], table[depth - 1])) }
        return table
    }()

    /// The depth of a tree with `leafCount` leaves padded to the next power of two (0 for 0 or 1 leaf).
    @inlinable
    public static func depth(forLeaves leafCount: Int) -> Int {
        leafCount <= 1 ? 0 : Int.bitWidth - (leafCount - 1).leadingZeroBitCount
    }

    /// `merkleize(chunks, limit)` over `count` chunks stored contiguously at `chunks`, overwriting them.
    ///
    /// With `limit == nil` the tree is padded to the next power of two of `count`. The caller
    /// guarantees `count <= limit`.
    public static func merkleizeInPlace(_ chunks: UnsafeMutableRawPointer, count: Int, limit: Int?) -> SSZRoot {
        let depth = depth(forLeaves: limit ?? count)
        precondition(count <= (limit ?? count) && depth <= 64, "merkleize: chunk count exceeds limit")
        if count == 0 { return zeroHashes[depth] }
        var width = count
        var level = 0
        while level < depth {
            let pairs = width / 2
            var index = 0
            while index < pairs {
                hashPair(chunks + index * 64, into: chunks + index * 32)
                index += 1
            }
            if width & 1 == 1 {
                // Pair the odd last node with the zero subtree of this level.
                let last = chunks + (width - 1) * 32
                zeroHashes[level].store(to: last + 32)
                hashPair(last, into: chunks + pairs * 32)
                width = pairs + 1
            } else {
                width = pairs
            }
            level += 1
        }
        return SSZRoot(loadingFrom: chunks)
    }

    /// Allocates a zeroed scratch area of `count` chunks plus one spare chunk (the odd-node pad),
    /// lets `fill` write the leaves, and merkleizes them with `limit`.
    @inlinable
    public static func merkleize(
        chunkCount count: Int, limit: Int?, _ fill: (UnsafeMutableRawBufferPointer) -> Void
    ) -> SSZRoot {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: (count + 1) * 32, alignment: 16)
        defer { scratch.deallocate() }
        scratch.initializeMemory(as: UInt8.self, repeating: 0)
        fill(UnsafeMutableRawBufferPointer(rebasing: scratch[0 ..< count * 32]))
        return merkleizeInPlace(scratch.baseAddress.unsafelyUnwrapped, count: count, limit: limit)
    }

    /// `merkleize` of already computed chunk roots.
    public static func merkleize(_ roots: [SSZRoot], limit: Int? = nil) -> SSZRoot {
        merkleize(chunkCount: roots.count, limit: limit) { buffer in
            for (index, root) in roots.enumerated() { root.store(to: buffer.baseAddress.unsafelyUnwrapped + index * 32) }
        }
    }

    /// `merkleize_progressive(chunks)`: subtrees of 1, 4, 16, ... leaves hashed along a right spine.
    public static func merkleizeProgressive(_ chunks: UnsafeMutableRawPointer, count: Int) -> SSZRoot {
        // Roots of the successive subtrees, computed in place, then folded from the right.
        var subtreeRoots: [SSZRoot] = []
        var start = 0
        var leaves = 1
        while start < count {
            let taken = min(leaves, count - start)
            // The in-place merkleization of a subtree writes at most `taken` chunks plus one pad chunk
            // beyond its own start, so subtrees are processed left to right after saving nothing else.
            subtreeRoots.append(merkleizeSubtree(chunks + start * 32, count: taken, limit: leaves))
            start += taken
            if leaves > Int.max / 4 { break }
            leaves *= 4
        }
        var accumulator = SSZRoot.zero
        for root in subtreeRoots.reversed() { accumulator = hash(root, accumulator) }
        return accumulator
    }

    static func merkleizeSubtree(_ chunks: UnsafeMutableRawPointer, count: Int, limit: Int) -> SSZRoot {
        // Copy into its own scratch so the pad chunk never overwrites the next subtree's leaves.
        merkleize(chunkCount: count, limit: limit) { buffer in
            buffer.baseAddress.unsafelyUnwrapped.copyMemory(from: chunks, byteCount: count * 32)
        }
    }

    /// `merkleize_progressive` of already computed chunk roots.
    public static func merkleizeProgressive(_ roots: [SSZRoot]) -> SSZRoot {
        guard !roots.isEmpty else { return .zero }
        var copy = roots
        return copy.withUnsafeMutableBytes { merkleizeProgressive($0.baseAddress.unsafelyUnwrapped, count: roots.count) }
    }

    /// `mix_in_length(root, length)`.
    @inlinable
    public static func mixInLength(_ root: SSZRoot, _ length: Int) -> SSZRoot {
        hash(root, SSZRoot(storage: (UInt64(truncatingIfNeeded: length).littleEndian, 0, 0, 0)))
    }

    /// `mix_in_selector(root, selector)`.
    @inlinable
    public static func mixInSelector(_ root: SSZRoot, _ selector: UInt8) -> SSZRoot {
        hash(root, SSZRoot(storage: (UInt64(selector).littleEndian, 0, 0, 0)))
    }

    /// `mix_in_active_fields(root, active_fields)` for at most 256 active-field bits.
    public static func mixInActiveFields(_ root: SSZRoot, _ activeFields: [Bool]) -> SSZRoot {
        precondition(activeFields.count <= 256, "active_fields is limited to 256 entries")
        var chunk = SSZRoot.zero
        withUnsafeMutableBytes(of: &chunk.storage) { raw in
            for (index, bit) in activeFields.enumerated() where bit { raw[index / 8] |= 1 << UInt8(index % 8) }
        }
        return hash(root, chunk)
    }
}
