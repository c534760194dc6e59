import DiscV5
import ENR
import P2PCrypto
import Testing
import TestSupport

/// Every malformed-packet class is rejected with its typed error, never a trap.
@Suite("discv5 packet rejection")
struct PacketRejectionTests {
    let local = NodeID(bytes: (0..<32).map { UInt8($0) })!
    let source = NodeID(bytes: (100..<132).map { UInt8($0) })!
    let iv = [UInt8](repeating: 0x42, count: 16)
    let nonce = [UInt8](repeating: 0x07, count: 12)

    /// A packet with arbitrary static-header fields, masked for `local`.
    func raw(
        protocolID: [UInt8] = Array("discv5".utf8), version: [UInt8] = [0, 1], flag: UInt8 = 0,
        authDataSize: Int? = nil, authData: [UInt8], message: [UInt8]
    ) throws -> [UInt8] {
        let size = authDataSize ?? authData.count
        let header = protocolID + version + [flag] + nonce + [UInt8(size >> 8), UInt8(size & 0xFF)] + authData
        return iv + (try HeaderMasking.apply(header, destination: local, iv: iv)) + message
    }

    var tag: [UInt8] { [UInt8](repeating: 0xAA, count: 16) }

    @Test func validRawPacketDecodes() throws {
        let packet = try raw(authData: source.bytes, message: tag)
        let decoded = try PacketCodec.decode(packet, local: local)
        #expect(decoded.header == PacketHeader(nonce: nonce, authData: .message(source: source)))
    }

    @Test func sizeLimits() throws {
        #expect(throws: DiscV5Error.packetTooSmall(62)) {
            try PacketCodec.decode([UInt8](repeating: 0, count: 62), local: local)
        }
        #expect(throws: DiscV5Error.packetTooLarge(1281)) {
            try PacketCodec.decode([UInt8](repeating: 0, count: 1281), local: local)
        }
        let whoAreYou = try raw(flag: 1, authData: [UInt8](repeating: 1, count: 24), message: [])
        #expect(whoAreYou.count == 63)
        #expect(throws: Never.self) { try PacketCodec.decode(whoAreYou, local: local) }
        let big = try raw(authData: source.bytes, message: [UInt8](repeating: 0, count: 1280 - 71))
        #expect(big.count == 1280)
        #expect(throws: Never.self) { try PacketCodec.decode(big, local: local) }
        let header = PacketHeader(nonce: nonce, authData: .message(source: source))
        #expect(throws: DiscV5Error.encodedPacketTooLarge(1281)) {
            try PacketCodec.encode(header: header, maskingIV: iv, destination: local,
                                   messageBytes: [UInt8](repeating: 0, count: 1281 - 71))
        }
    }

    @Test func staticHeaderFields() throws {
        #expect(throws: DiscV5Error.invalidProtocolID) {
            try PacketCodec.decode(try raw(protocolID: Array("discv4".utf8), authData: source.bytes, message: tag), local: local)
        }
        // A packet for someone else unmasks to garbage.
        let packet = try raw(authData: source.bytes, message: tag)
        #expect(throws: DiscV5Error.invalidProtocolID) { try PacketCodec.decode(packet, local: source) }
        #expect(throws: DiscV5Error.unsupportedVersion(2)) {
            try PacketCodec.decode(try raw(version: [0, 2], authData: source.bytes, message: tag), local: local)
        }
        #expect(throws: DiscV5Error.unknownFlag(3)) {
            try PacketCodec.decode(try raw(flag: 3, authData: source.bytes, message: tag), local: local)
        }
        #expect(throws: DiscV5Error.truncatedAuthData(declared: 1000, available: 48)) {
            try PacketCodec.decode(try raw(authDataSize: 1000, authData: source.bytes, message: tag), local: local)
        }
    }

    @Test func authDataSizes() throws {
        #expect(throws: DiscV5Error.invalidAuthDataSize(flag: 0, size: 33)) {
            try PacketCodec.decode(try raw(authData: source.bytes + [0], message: tag), local: local)
        }
        #expect(throws: DiscV5Error.invalidAuthDataSize(flag: 1, size: 25)) {
            try PacketCodec.decode(try raw(flag: 1, authData: [UInt8](repeating: 1, count: 25), message: []), local: local)
        }
        #expect(throws: DiscV5Error.unexpectedMessageData(1)) {
            try PacketCodec.decode(try raw(flag: 1, authData: [UInt8](repeating: 1, count: 24), message: [0]), local: local)
        }
        #expect(throws: DiscV5Error.messageTooShort(15)) {
            try PacketCodec.decode(try raw(authData: source.bytes, message: Array(tag.dropLast())), local: local)
        }
        #expect(throws: DiscV5Error.invalidAuthDataSize(flag: 2, size: 33)) {
            try PacketCodec.decode(try raw(flag: 2, authData: source.bytes + [64], message: tag), local: local)
        }
        let key = [UInt8](repeating: 2, count: 33)
        let signature = [UInt8](repeating: 3, count: 64)
        #expect(throws: DiscV5Error.invalidHandshakeSizes(signatureSize: 65, ephemeralKeySize: 33)) {
            try PacketCodec.decode(try raw(flag: 2, authData: source.bytes + [65, 33] + signature + [0] + key, message: tag), local: local)
        }
        #expect(throws: DiscV5Error.invalidHandshakeSizes(signatureSize: 64, ephemeralKeySize: 65)) {
            try PacketCodec.decode(try raw(flag: 2, authData: source.bytes + [64, 65] + signature + key, message: tag), local: local)
        }
        #expect(throws: DiscV5Error.invalidAuthDataSize(flag: 2, size: 130)) {
            try PacketCodec.decode(try raw(flag: 2, authData: source.bytes + [64, 33] + signature + key.dropLast(), message: tag), local: local)
        }
        let handshake = try PacketCodec.decode(
            try raw(flag: 2, authData: source.bytes + [64, 33] + signature + key + [0xC0], message: tag), local: local)
        #expect(handshake.header.authData == .handshake(HandshakeAuthData(
            source: source, idSignature: signature, ephemeralPublicKey: key, record: [0xC0])))
    }

    @Test func encoderValidatesFieldLengths() throws {
        let header = PacketHeader(nonce: [1, 2, 3], authData: .message(source: source))
        #expect(throws: DiscV5Error.invalidFieldLength(field: "nonce", length: 3)) {
            try PacketCodec.encode(header: header, maskingIV: iv, destination: local)
        }
        let whoAreYou = PacketHeader(nonce: nonce, authData: .whoAreYou(WhoAreYouAuthData(idNonce: [1], enrSeq: 0)))
        #expect(throws: DiscV5Error.invalidFieldLength(field: "id-nonce", length: 1)) {
            try PacketCodec.encode(header: whoAreYou, maskingIV: iv, destination: local)
        }
        let ok = PacketHeader(nonce: nonce, authData: .message(source: source))
        #expect(throws: DiscV5Error.invalidFieldLength(field: "masking-iv", length: 15)) {
            try PacketCodec.encode(header: ok, maskingIV: iv.dropLast(), destination: local, messageBytes: tag)
        }
    }

    @Test func handshakeWithRecordRoundTrips() throws {
        var generator = SeededRandom(seed: 3)
        let staticKey = Secp256k1.PrivateKey.generate(using: &generator)
        var builder = NodeRecordBuilder(sequenceNumber: 9)
        try builder.setIP([10, 0, 0, 1])
        builder.setUDP(9000)
        let record = try builder.signed(with: staticKey)
        let header = PacketHeader(nonce: nonce, authData: .handshake(HandshakeAuthData(
            source: NodeID(publicKey: staticKey.publicKey), idSignature: [UInt8](repeating: 9, count: 64),
            ephemeralPublicKey: staticKey.publicKey.compressedRepresentation, record: record.rlpEncoding)))
        let key = [UInt8](repeating: 4, count: 16)
        let packet = try PacketCodec.seal(header: header, maskingIV: iv, destination: local, plaintext: [1, 0xC2, 0x80, 0x80], key: key)
        let decoded = try PacketCodec.decode(packet, local: local)
        #expect(decoded.header == header)
        #expect(try decoded.openMessage(key: key) == [1, 0xC2, 0x80, 0x80])
        guard case .handshake(let handshake) = decoded.header.authData else { Issue.record("not a handshake"); return }
        #expect(try NodeRecord(rlp: handshake.record) == record)
        // Any flipped bit of the packet is rejected (header bits by parsing or GCM, message bits by GCM).
        for index in stride(from: 16, to: packet.count, by: 7) {
            var corrupted = packet
            corrupted[index] ^= 0x10
            let opened = try? PacketCodec.decode(corrupted, local: local).openMessage(key: key)
            #expect(opened == nil, "bit flip at \(index) accepted")
        }
    }

    @Test func randomInputNeverTraps() {
        var generator = SeededRandom(seed: 99)
        var decodedCount = 0
        for round in 0..<3_000 {
            let length = Int(generator.next() % 1_400)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if round % 2 == 0, length >= 63,
               let masked = try? HeaderMasking.apply(Array("discv5".utf8) + [0, 1], destination: local, iv: bytes.prefix(16)) {
                // Give half the inputs a valid protocol id and version so deeper checks run.
                bytes.replaceSubrange(16..<24, with: masked)
            }
            if (try? PacketCodec.decode(bytes, local: local)) != nil { decodedCount += 1 }
        }
        #expect(decodedCount < 3_000)
    }
}
