import Benchmark
import LibP2P
import LibP2PCore
import NIOCore
import NIOPosix
import Noise

// Connections over loopback TCP, both ends in this process on a 2-thread event loop group: the
// same stack as the sans-IO figures plus SwiftNIO and the kernel. Same references (measured in
// the same run by ConnectionBenchmarks.swift): ChaCha20-Poly1305 on 64 KiB frames for bulk
// throughput, the upgrade's public-key operations for upgrades per second.
enum Loopback {
    static let sinkProtocol = "/bench/sink/1.0.0"
    static let mebibyte = 1 << 20

    /// Reads everything and answers one byte for each whole MiB received.
    static let sink: @Sendable (P2PStream) async -> Void = { stream in
        var received = 0
        do {
            for try await buffer in stream {
                received += buffer.readableBytes
                while received >= mebibyte {
                    received -= mebibyte
                    try await stream.write(ByteBuffer(bytes: [1]))
                }
            }
        } catch {}
    }

    static func transport(seed: UInt64, muxer: MuxerProtocol, group: any EventLoopGroup) -> TCPTransport {
        var rng = BenchRNG(state: seed)
        let identity = BenchIdentity(key: PrivateKey.generateSecp256k1(using: &rng))
        guard let staticKey = try? NoiseKeyPair.generate(using: &rng),
              let transport = try? TCPTransport(
                group: group,
                upgrade: ConnectionUpgradeConfiguration(
                    noise: NoiseHandshake.Configuration(identity: identity, verifier: identity, staticKey: staticKey),
                    muxers: [muxer]),
                handlers: [sinkProtocol: sink])
        else { fatalError("benchmark fixture: the transport must build") }
        return transport
    }
}

let loopbackBenchmarks: @Sendable () -> Void = {
    let chunk = ByteBuffer(bytes: (0..<(64 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    let perMiB = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))

    for muxer in [MuxerProtocol.yamux, .mplex] {
        let name = muxer == .yamux ? "yamux" : "mplex"
        Benchmark("Noise + \(name) one stream over loopback TCP, 64 KiB writes, MiB", configuration: perMiB) { benchmark in
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let server = Loopback.transport(seed: 2, muxer: muxer, group: group)
            let client = Loopback.transport(seed: 1, muxer: muxer, group: group)
            let listener = try await server.listen(host: "127.0.0.1", port: 0)
            let accepting = Task { for await _ in listener.connections {} }
            guard let address = listener.localAddress else { fatalError("listener without an address") }
            let connection = try await client.dial(address)
            let stream = try await connection.openStream(protocol: Loopback.sinkProtocol)
            var reader = P2PStreamReader(stream)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                for _ in 0..<(Loopback.mebibyte / chunk.readableBytes) { try await stream.write(chunk) }
                guard try await reader.read(exactly: 1) != nil else { fatalError("sink closed") }
            }
            benchmark.stopMeasurement()
            await connection.close()
            await listener.close()
            accepting.cancel()
            try await group.shutdownGracefully()
        }
    }

    let perUpgrade = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))
    // 64 upgrades per iteration with eight dials in flight (both cores busy, as a node accepting
    // many peers): upgrades per second are 64 times the throughput figure.
    Benchmark("Upgrade over loopback TCP: connect + multistream + Noise XX (secp256k1) + yamux, both sides, 64 with 8 in flight",
              configuration: perUpgrade) { benchmark in
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = Loopback.transport(seed: 2, muxer: .yamux, group: group)
        let client = Loopback.transport(seed: 1, muxer: .yamux, group: group)
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let accepting = Task { for await connection in listener.connections { await connection.close() } }
        guard let address = listener.localAddress else { fatalError("listener without an address") }
        benchmark.startMeasurement()
        try await withThrowingTaskGroup(of: Void.self) { dials in
            for n in 0..<(64 * benchmark.scaledIterations.count) {
                if n >= 8 { try await dials.next() }
                dials.addTask {
                    let connection = try await client.dial(address)
                    await connection.close()
                }
            }
            try await dials.waitForAll()
        }
        benchmark.stopMeasurement()
        await listener.close()
        accepting.cancel()
        try await group.shutdownGracefully()
    }
}
