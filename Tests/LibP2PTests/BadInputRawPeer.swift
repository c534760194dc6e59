import NIOCore
import NIOPosix
import Noise
@testable import LibP2P
import TestSupport

/// A hand-driven TCP peer for the bad-input tests: it speaks the connection upgrade through the
/// sans-IO ``ConnectionUpgrade`` (so it can be made to lie at any step) and then sends whatever
/// bytes a test crafts, plaintext or encrypted with the established Noise transport.
struct BadInputRawPeer {
    let channel: any Channel
    private var inbound: AsyncStream<[UInt8]>.AsyncIterator
    /// The upgraded connection once ``upgrade(muxer:identity:)`` succeeded.
    var connection: UpgradedConnection?

    static func connect(group: any EventLoopGroup, port: Int) async throws -> BadInputRawPeer {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawBytesHandler(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return BadInputRawPeer(channel: channel, inbound: stream.makeAsyncIterator())
    }

    /// Writes raw bytes.
    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Runs multistream, Noise and the muxer negotiation as the dialer. `identity` signs the
    /// Noise static key (a lying signer makes the remote reject the handshake).
    mutating func upgrade(
        muxer: MuxerProtocol, identity: any NoiseIdentitySigner = UpgradeHarness.dialerIdentity
    ) async throws -> Result<UpgradedConnection, ConnectionUpgradeError> {
        var rng = SeededRandom(state: 99)
        let noise = NoiseHandshake.Configuration(
            identity: identity, verifier: TestVerifier(),
            staticKey: try NoiseKeyPair(privateKeyBytes: [UInt8](repeating: 33, count: 32)))
        var upgrade = try ConnectionUpgrade(
            role: .dialer, configuration: ConnectionUpgradeConfiguration(noise: noise, muxers: [muxer]),
            ephemeralKey: try NoiseKeyPair.generate(using: &rng))
        var actions = upgrade.start(now: .zero)
        while true {
            for action in actions {
                switch action {
                case .send(let bytes): try await send(bytes)
                case .established(let established):
                    connection = established
                    return .success(established)
                case .failed(let error): return .failure(error)
                }
            }
            guard let bytes = await inbound.next() else { return .failure(.invalidState) }
            actions = upgrade.receive(bytes)
        }
    }

    /// Encrypts `plaintext` as one Noise frame with the established transport.
    mutating func encrypt(_ plaintext: [UInt8]) throws -> [UInt8] {
        guard var established = connection else { throw NoiseError.outOfOrder }
        defer { connection = established }
        return try established.transport.encrypt(plaintext)
    }

    /// Reads until the remote closes the connection; returns everything received meanwhile.
    mutating func readUntilClosed() async -> [UInt8] {
        var all: [UInt8] = []
        while let bytes = await inbound.next() { all += bytes }
        return all
    }

    /// Decrypts what the remote sent (muxer plaintext), as far as it is complete.
    mutating func decrypt(_ bytes: [UInt8]) throws -> [UInt8] {
        guard var established = connection else { throw NoiseError.outOfOrder }
        defer { connection = established }
        established.transport.receive(bytes)
        let plaintext = established.leftover + (try established.transport.decryptAvailable())
        established.leftover = []
        return plaintext
    }

    /// Reads until at least one complete muxer plaintext chunk is decrypted (or the remote closes).
    mutating func nextPlaintext() async throws -> [UInt8]? {
        while let bytes = await inbound.next() {
            let plaintext = try decrypt(bytes)
            if !plaintext.isEmpty { return plaintext }
        }
        return nil
    }
}

/// Hands every inbound buffer to an `AsyncStream`; the stream ends when the channel closes.
private final class RawBytesHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let continuation: AsyncStream<[UInt8]>.Continuation

    init(continuation: AsyncStream<[UInt8]>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(Array(unwrapInboundIn(data).readableBytesView))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}

/// An identity whose signature over the Noise static key is corrupted.
struct LyingSigner: NoiseIdentitySigner {
    let honest: TestIdentity
    var identityKeyProtobuf: [UInt8] { honest.identityKeyProtobuf }
    func sign(_ message: [UInt8]) -> [UInt8]? {
        guard var signature = honest.sign(message), !signature.isEmpty else { return nil }
        signature[0] ^= 0x01
        return signature
    }
}
