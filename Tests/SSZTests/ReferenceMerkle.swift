import Crypto
@testable import SSZ

/// A deliberately naive merkleization written from the spec text, sharing no code with the
/// library: arrays of 32-byte chunks, recursion, and padding materialized.
enum ReferenceMerkle {
    static func hash(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: a + b)) }

    static func nextPowerOfTwo(_ n: Int) -> Int {
        var p = 1
        while p < n { p *= 2 }
        return p
    }

    static func merkleize(_ chunks: [[UInt8]], limit: Int? = nil) -> [UInt8] {
        let width = nextPowerOfTwo(limit ?? chunks.count)
        var layer = chunks + Array(repeating: [UInt8](repeating: 0, count: 32), count: width - chunks.count)
        while layer.count > 1 {
            layer = stride(from: 0, to: layer.count, by: 2).map { hash(layer[$0], layer[$0 + 1]) }
        }
        return layer[0]
    }

    static func merkleizeProgressive(_ chunks: [[UInt8]], numLeaves: Int = 1) -> [UInt8] {
        if chunks.isEmpty { return [UInt8](repeating: 0, count: 32) }
        let a = merkleize(Array(chunks.prefix(numLeaves)), limit: numLeaves)
        let b = merkleizeProgressive(Array(chunks.dropFirst(numLeaves)), numLeaves: numLeaves * 4)
        return hash(a, b)
    }

    static func pack(_ bytes: [UInt8]) -> [[UInt8]] {
        var padded = bytes
        while padded.count % 32 != 0 { padded.append(0) }
        return stride(from: 0, to: padded.count, by: 32).map { Array(padded[$0 ..< $0 + 32]) }
    }

    static func mixInLength(_ root: [UInt8], _ length: Int) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 32)
        var value = UInt64(length)
        for index in 0 ..< 8 { chunk[index] = UInt8(value & 0xff); value >>= 8 }
        return hash(root, chunk)
    }

    static func mixInActiveFields(_ root: [UInt8], _ active: [Int]) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 32)
        for (index, bit) in active.enumerated() where bit == 1 { chunk[index / 8] |= 1 << UInt8(index % 8) }
        return hash(root, chunk)
    }

    static func uint64Chunk(_ value: UInt64) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 32)
        var v = value
        for index in 0 ..< 8 { chunk[index] = UInt8(v & 0xff); v >>= 8 }
        return chunk
    }
}
