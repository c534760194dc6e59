/// Encoding and decoding of discovery v5.1 packets:
/// `masking-iv ‖ masked-header ‖ message`, header = static-header ‖ authdata,
/// static-header = "discv5" ‖ version ‖ flag ‖ nonce ‖ authdata-size.
///
/// Randomness (masking IV, nonce) is passed in: the codec is deterministic.
public enum PacketCodec {
    /// The protocol id "discv5".
    public static let protocolID: [UInt8] = Array("discv5".utf8)
    /// The protocol version, 0x0001.
    public static let version: UInt16 = 0x0001
    /// Length of the static header.
    public static let staticHeaderByteCount = 23
    /// Smallest valid packet (a WHOAREYOU packet).
    public static let minimumPacketByteCount = 63
    /// Largest valid packet.
    public static let maximumPacketByteCount = 1280

    // MARK: Encoding

    /// The unmasked header bytes for `header`: static header ‖ authdata.
    public static func headerBytes(_ header: PacketHeader) throws(DiscV5Error) -> [UInt8] {
        try validate(header)
        let authData = header.authData.encoded
        var bytes = [UInt8]()
        bytes.reserveCapacity(staticHeaderByteCount + authData.count)
        bytes += protocolID
        bytes.append(UInt8(version >> 8))
        bytes.append(UInt8(truncatingIfNeeded: version))
        bytes.append(header.flag.rawValue)
        bytes += header.nonce
        bytes.append(UInt8(truncatingIfNeeded: authData.count >> 8))
        bytes.append(UInt8(truncatingIfNeeded: authData.count))
        bytes += authData
        return bytes
    }

    /// Encodes a packet whose message is already `messageBytes` (a WHOAREYOU's empty message,
    /// or the random bytes of a packet sent before a session exists).
    public static func encode(
        header: PacketHeader, maskingIV: some Collection<UInt8>, destination: NodeID,
        messageBytes: some Collection<UInt8> = [UInt8]()
    ) throws(DiscV5Error) -> [UInt8] {
        let plainHeader = try headerBytes(header)
        return try assemble(plainHeader, maskingIV: Array(maskingIV), destination: destination, message: Array(messageBytes))
    }

    /// Encodes a message or handshake packet, encrypting `plaintext` (message type ‖ RLP body)
    /// with `key` under the header's nonce and masking-iv ‖ header as associated data.
    public static func seal(
        header: PacketHeader, maskingIV: some Collection<UInt8>, destination: NodeID,
        plaintext: some Collection<UInt8>, key: some Collection<UInt8>
    ) throws(DiscV5Error) -> [UInt8] {
        let iv = Array(maskingIV)
        let plainHeader = try headerBytes(header)
        guard iv.count == HeaderMasking.ivByteCount else {
            throw .invalidFieldLength(field: "masking-iv", length: iv.count)
        }
        let ciphertext = try MessageCipher.seal(plaintext, key: key, nonce: header.nonce, authenticating: iv + plainHeader)
        return try assemble(plainHeader, maskingIV: iv, destination: destination, message: ciphertext)
    }

    private static func assemble(
        _ plainHeader: [UInt8], maskingIV: [UInt8], destination: NodeID, message: [UInt8]
    ) throws(DiscV5Error) -> [UInt8] {
        let total = maskingIV.count + plainHeader.count + message.count
        guard total <= maximumPacketByteCount else { throw .encodedPacketTooLarge(total) }
        let masked = try HeaderMasking.apply(plainHeader, destination: destination, iv: maskingIV)
        var packet = [UInt8]()
        packet.reserveCapacity(total)
        packet += maskingIV
        packet += masked
        packet += message
        return packet
    }

    private static func validate(_ header: PacketHeader) throws(DiscV5Error) {
        guard header.nonce.count == MessageCipher.nonceByteCount else {
            throw .invalidFieldLength(field: "nonce", length: header.nonce.count)
        }
        switch header.authData {
        case .message:
            break
        case .whoAreYou(let challenge):
            guard challenge.idNonce.count == WhoAreYouAuthData.idNonceByteCount else {
                throw .invalidFieldLength(field: "id-nonce", length: challenge.idNonce.count)
            }
        case .handshake(let handshake):
            guard handshake.idSignature.count == IDSignature.byteCount else {
                throw .invalidFieldLength(field: "id-signature", length: handshake.idSignature.count)
            }
            guard handshake.ephemeralPublicKey.count == HandshakeAuthData.ephemeralKeyByteCount else {
                throw .invalidFieldLength(field: "ephemeral-pubkey", length: handshake.ephemeralPublicKey.count)
            }
            guard handshake.record.count <= maximumPacketByteCount else {
                throw .invalidFieldLength(field: "record", length: handshake.record.count)
            }
        }
    }

    // MARK: Decoding

    /// Unmasks and parses the header of `packet` received by the node `local`. The message
    /// stays encrypted: see ``DecodedPacket/openMessage(key:)``.
    public static func decode(_ packet: some Collection<UInt8>, local: NodeID) throws(DiscV5Error) -> DecodedPacket {
        let bytes = Array(packet)
        guard bytes.count >= minimumPacketByteCount else { throw .packetTooSmall(bytes.count) }
        guard bytes.count <= maximumPacketByteCount else { throw .packetTooLarge(bytes.count) }
        let ivEnd = HeaderMasking.ivByteCount
        let iv = Array(bytes[0..<ivEnd])
        let staticEnd = ivEnd + staticHeaderByteCount
        let staticHeader = try HeaderMasking.apply(bytes[ivEnd..<staticEnd], destination: local, iv: iv)

        guard staticHeader[0..<6].elementsEqual(protocolID) else { throw .invalidProtocolID }
        let packetVersion = UInt16(staticHeader[6]) << 8 | UInt16(staticHeader[7])
        guard packetVersion == version else { throw .unsupportedVersion(packetVersion) }
        guard let flag = PacketFlag(rawValue: staticHeader[8]) else { throw .unknownFlag(staticHeader[8]) }
        let nonce = Array(staticHeader[9..<21])
        let authDataSize = Int(staticHeader[21]) << 8 | Int(staticHeader[22])
        let available = bytes.count - staticEnd
        guard authDataSize <= available else {
            throw .truncatedAuthData(declared: authDataSize, available: available)
        }

        let headerEnd = staticEnd + authDataSize
        // CTR is a stream: unmasking the whole header again yields the same static header bytes.
        let headerBytes = try HeaderMasking.apply(bytes[ivEnd..<headerEnd], destination: local, iv: iv)
        let authData = headerBytes[staticHeaderByteCount...]
        let message = Array(bytes[headerEnd...])

        let parsed: AuthData
        switch flag {
        case .message:
            guard authDataSize == NodeID.byteCount, let source = NodeID(bytes: authData) else {
                throw .invalidAuthDataSize(flag: flag.rawValue, size: authDataSize)
            }
            parsed = .message(source: source)
        case .whoAreYou:
            guard authDataSize == WhoAreYouAuthData.byteCount else {
                throw .invalidAuthDataSize(flag: flag.rawValue, size: authDataSize)
            }
            guard message.isEmpty else { throw .unexpectedMessageData(message.count) }
            let start = authData.startIndex
            var enrSeq: UInt64 = 0
            for byte in authData[(start + 16)...] { enrSeq = enrSeq << 8 | UInt64(byte) }
            parsed = .whoAreYou(WhoAreYouAuthData(idNonce: Array(authData[start..<(start + 16)]), enrSeq: enrSeq))
        case .handshake:
            parsed = .handshake(try parseHandshake(authData))
        }
        if flag != .whoAreYou, message.count < MessageCipher.tagByteCount {
            throw .messageTooShort(message.count)
        }
        return DecodedPacket(
            maskingIV: iv, header: PacketHeader(nonce: nonce, authData: parsed),
            headerBytes: headerBytes, messageCiphertext: message)
    }

    private static func parseHandshake(_ authData: ArraySlice<UInt8>) throws(DiscV5Error) -> HandshakeAuthData {
        guard authData.count >= HandshakeAuthData.headByteCount else {
            throw .invalidAuthDataSize(flag: PacketFlag.handshake.rawValue, size: authData.count)
        }
        let start = authData.startIndex
        let signatureSize = Int(authData[start + 32])
        let keySize = Int(authData[start + 33])
        guard signatureSize == IDSignature.byteCount, keySize == HandshakeAuthData.ephemeralKeyByteCount else {
            throw .invalidHandshakeSizes(signatureSize: signatureSize, ephemeralKeySize: keySize)
        }
        let signatureStart = start + HandshakeAuthData.headByteCount
        let keyStart = signatureStart + signatureSize
        let recordStart = keyStart + keySize
        guard recordStart <= authData.endIndex,
              let source = NodeID(bytes: authData[start..<(start + 32)])
        else {
            throw .invalidAuthDataSize(flag: PacketFlag.handshake.rawValue, size: authData.count)
        }
        return HandshakeAuthData(
            source: source, idSignature: Array(authData[signatureStart..<keyStart]),
            ephemeralPublicKey: Array(authData[keyStart..<recordStart]),
            record: Array(authData[recordStart...]))
    }
}
