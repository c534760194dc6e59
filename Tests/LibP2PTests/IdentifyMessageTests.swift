import LibP2PCore
import Testing
@testable import LibP2P
import TestSupport

@Suite struct IdentifyMessageTests {
    static func sample() throws -> (IdentifyMessage, LibP2PIdentity) {
        var rng = SeededRandom(state: 9)
        let identity = try LibP2PIdentity.generate(.secp256k1, using: &rng)
        var message = IdentifyMessage()
        message.publicKey = identity.identityKeyProtobuf
        message.listenAddrs = [try Multiaddr("/ip4/127.0.0.1/tcp/4001").bytes, try Multiaddr("/ip6/::1/tcp/4002").bytes]
        message.protocols = ["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/meshsub/1.1.0"]
        message.observedAddr = try Multiaddr("/ip4/10.0.0.1/tcp/55555").bytes
        message.protocolVersion = "ipfs/0.1.0"
        message.agentVersion = "aztec-p2p/0.1.0"
        message.signedPeerRecord = [1, 2, 3]
        return (message, identity)
    }

    @Test func roundTripThroughTheFramedForm() throws {
        let (message, identity) = try Self.sample()
        let decoded = try IdentifyMessage.decodeStream(message.framed())
        #expect(decoded == message)
        let info = try IdentifyInfo(decoded, from: identity.peerID)
        #expect(info.publicKey == identity.publicKey)
        #expect(info.listenAddrs.map(\.description) == ["/ip4/127.0.0.1/tcp/4001", "/ip6/::1/tcp/4002"])
        #expect(info.observedAddr?.description == "/ip4/10.0.0.1/tcp/55555")
        #expect(info.agentVersion == "aztec-p2p/0.1.0")
    }

    @Test func unknownFieldsAreSkipped() throws {
        let (message, _) = try Self.sample()
        var body = message.encoded()
        var writer = ProtobufWriter()
        writer.writeVarint(77, field: 7)        // a field this decoder does not know
        writer.writeBytes([9, 9, 9], field: 42)  // and a newer length-delimited one
        writer.writeFixed32(5, field: 100)
        body += writer.bytes
        let decoded = try IdentifyMessage.decodeStream(UVarint.encode(UInt64(body.count)) + body)
        #expect(decoded == message)
    }

    @Test func consecutiveMessagesMerge() throws {
        let (message, _) = try Self.sample()
        var first = message
        first.protocols = ["/a"]
        var second = IdentifyMessage()
        second.protocols = ["/b"]
        second.agentVersion = "later"
        let merged = try IdentifyMessage.decodeStream(first.framed() + second.framed())
        #expect(merged.protocols == ["/a", "/b"])
        #expect(merged.agentVersion == "later")
        #expect(merged.publicKey == message.publicKey)
    }

    @Test func malformedStreamsAreRejected() throws {
        let (message, _) = try Self.sample()
        let framed = message.framed()
        #expect(throws: IdentifyError.empty) { try IdentifyMessage.decodeStream([]) }
        #expect(throws: IdentifyError.truncated) { try IdentifyMessage.decodeStream(Array(framed.dropLast())) }
        #expect(throws: IdentifyError.badLengthPrefix(.truncated)) { try IdentifyMessage.decodeStream([0x80]) }
        let limits = IdentifyLimits(maxStreamBytes: 16, maxListenAddrs: 1, maxProtocols: 1)
        #expect(throws: IdentifyError.tooLong(framed.count)) { try IdentifyMessage.decodeStream(framed, limits: limits) }
        let roomy = IdentifyLimits(maxStreamBytes: 1 << 16, maxListenAddrs: 1, maxProtocols: 8)
        #expect(throws: IdentifyError.tooManyListenAddrs) { try IdentifyMessage.decodeStream(framed, limits: roomy) }
        let fewProtocols = IdentifyLimits(maxStreamBytes: 1 << 16, maxListenAddrs: 8, maxProtocols: 2)
        #expect(throws: IdentifyError.tooManyProtocols) { try IdentifyMessage.decodeStream(framed, limits: fewProtocols) }
        // A length-delimited field running past the message: a protobuf error.
        let broken: [UInt8] = [0x03, 0x0A, 0x05, 0x01]
        #expect(throws: IdentifyError.self) { try IdentifyMessage.decodeStream(broken) }
    }

    @Test func aKeyOfAnotherPeerIsRejected() throws {
        let (message, _) = try Self.sample()
        var rng = SeededRandom(state: 99)
        let other = try LibP2PIdentity.generate(.ed25519, using: &rng)
        #expect(throws: IdentifyError.publicKeyMismatch) { try IdentifyInfo(message, from: other.peerID) }
        var garbage = message
        garbage.publicKey = [0x08, 0x01]
        #expect(throws: IdentifyError.self) { try IdentifyInfo(garbage, from: other.peerID) }
    }

    @Test func invalidAddressesAreDropped() throws {
        var (message, identity) = try Self.sample()
        message.listenAddrs.append([0xFF, 0xFF, 0xFF])
        message.observedAddr = [0x04, 1]
        let info = try IdentifyInfo(message, from: identity.peerID)
        #expect(info.listenAddrs.count == 2)
        #expect(info.observedAddr == nil)
    }
}
