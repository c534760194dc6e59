import Benchmark
@_spi(Reference) import Snappy

/// A seeded SplitMix64 byte source: the inputs are the same on every run.
private struct SeededBytes {
    var state: UInt64
    mutating func next() -> UInt8 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
}

/// About 40 KB shaped like a block of transactions: 8 KB of structured, repetitive fields
/// (selectors, zero-padded words, repeated addresses) followed by 32 KB of random bytes
/// (signatures, hashes, proofs).
private func transactionLikeInput() -> [UInt8] {
    var random = SeededBytes(state: 0x5EED)
    var out: [UInt8] = []
    out.reserveCapacity(40 * 1024)
    let addresses = (0..<8).map { _ in (0..<20).map { _ in random.next() } }
    var index = 0
    while out.count < 8 * 1024 {
        out += [0xa9, 0x05, 0x9c, 0xbb]                          // a function selector
        out += [UInt8](repeating: 0, count: 12) + addresses[index % addresses.count]
        out += [UInt8](repeating: 0, count: 28) + [0, 0, UInt8(index & 0xff), random.next()]
        index += 1
    }
    out.removeLast(out.count - 8 * 1024)
    for _ in 0..<(32 * 1024) { out.append(random.next()) }
    return out
}

private func oneMiBInput() -> [UInt8] {
    let unit = transactionLikeInput()
    var out: [UInt8] = []
    out.reserveCapacity(1 << 20)
    while out.count < 1 << 20 { out += unit.prefix((1 << 20) - out.count) }
    return out
}

/// libsnappy called directly: compress into an exactly bounded array.
private func referenceCompress(_ input: [UInt8]) -> [UInt8] {
    input.withUnsafeBytes { source in
        [UInt8](unsafeUninitializedCapacity: SnappyRaw.maxCompressedLength(source.count)) { buffer, count in
            count = SnappyRaw.compress(source, into: UnsafeMutableRawBufferPointer(buffer)) ?? 0
        }
    }
}

/// libsnappy called directly: read the length, allocate exactly, uncompress.
private func referenceDecompress(_ input: [UInt8]) -> [UInt8] {
    input.withUnsafeBytes { source in
        let length = SnappyRaw.uncompressedLength(source) ?? 0
        return [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            count = SnappyRaw.uncompress(source, into: UnsafeMutableRawBufferPointer(buffer)) ?? 0
        }
    }
}

/// libsnappy called directly per 64 KiB chunk with no CRC and no framing: what framing adds is
/// the difference to this.
private func referenceChunkedCompress(_ input: [UInt8]) -> Int {
    input.withUnsafeBytes { source in
        var total = 0
        var scratch = [UInt8](repeating: 0, count: SnappyRaw.maxCompressedLength(65536))
        scratch.withUnsafeMutableBytes { target in
            var offset = 0
            while offset < source.count {
                let chunk = UnsafeRawBufferPointer(rebasing: source[offset..<min(offset + 65536, source.count)])
                total += SnappyRaw.compress(chunk, into: target) ?? 0
                offset += chunk.count
            }
        }
        return total
    }
}

private func referenceChunkedDecompress(_ blocks: [[UInt8]], totalLength: Int) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: totalLength) { buffer, count in
        var written = 0
        for block in blocks {
            block.withUnsafeBytes { source in
                let target = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[written...])
                written += SnappyRaw.uncompress(source, into: target) ?? 0
            }
        }
        count = written
    }
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo)
    let transaction = transactionLikeInput()
    let transactionBlock = (try? SnappyBlock.compress(transaction)) ?? []
    let large = oneMiBInput()
    let largeFramed = SnappyFrame.encode(large)
    let largeBlocks = stride(from: 0, to: large.count, by: 65536).map {
        referenceCompress(Array(large[$0..<min($0 + 65536, large.count)]))
    }

    Benchmark("Snappy block compress 40 KB tx", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try SnappyBlock.compress(transaction)) }
    }
    Benchmark("Snappy block compress 40 KB tx (reference)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(referenceCompress(transaction)) }
    }
    Benchmark("Snappy block decompress 40 KB tx", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try SnappyBlock.decompress(transactionBlock, maxLength: 1 << 20))
        }
    }
    Benchmark("Snappy block decompress 40 KB tx (reference)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(referenceDecompress(transactionBlock)) }
    }

    let framingConfiguration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one)
    Benchmark("Snappy framing encode 1 MiB", configuration: framingConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(SnappyFrame.encode(large)) }
    }
    Benchmark("Snappy framing encode 1 MiB (reference: libsnappy per 64 KiB chunk, no CRC)",
              configuration: framingConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(referenceChunkedCompress(large)) }
    }
    Benchmark("Snappy framing decode 1 MiB", configuration: framingConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try SnappyFrame.decode(largeFramed, maxLength: 1 << 20)) }
    }
    Benchmark("Snappy framing decode 1 MiB incremental 16 KiB pieces", configuration: framingConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = SnappyFrameDecoder(maxTotalLength: 1 << 20)
            var offset = 0
            while offset < largeFramed.count {
                let end = min(offset + 16384, largeFramed.count)
                decoder.append(largeFramed[offset..<end])
                while let chunk = try decoder.next() { blackHole(chunk) }
                offset = end
            }
            try decoder.finish()
        }
    }
    Benchmark("Snappy framing decode 1 MiB (reference: libsnappy per 64 KiB chunk, no CRC)",
              configuration: framingConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(referenceChunkedDecompress(largeBlocks, totalLength: large.count))
        }
    }
}
