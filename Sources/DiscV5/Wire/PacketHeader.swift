/// The authenticated data of a WHOAREYOU packet.
public struct WhoAreYouAuthData: Sendable, Equatable {
    /// Length of the id-nonce.
    public static let idNonceByteCount = 16
    /// Encoded authdata length: id-nonce (16) ‖ enr-seq (8).
    public static let byteCount = 24

    /// The random challenge nonce (16 bytes).
    public var idNonce: [UInt8]
    /// The highest ENR sequence number of the sender's record the challenger knows (0 if none).
    public var enrSeq: UInt64

    /// WHOAREYOU authdata from its fields.
    public init(idNonce: [UInt8], enrSeq: UInt64) {
        self.idNonce = idNonce
        self.enrSeq = enrSeq
    }
}

/// The authenticated data of a handshake message packet (identity scheme "v4").
public struct HandshakeAuthData: Sendable, Equatable {
    /// Length of src-id ‖ sig-size ‖ eph-key-size.
    public static let headByteCount = 34
    /// v4 compressed ephemeral public key length.
    public static let ephemeralKeyByteCount = 33

    /// The initiator's node id.
    public var source: NodeID
    /// The id-nonce signature (64 bytes r ‖ s).
    public var idSignature: [UInt8]
    /// The initiator's ephemeral public key (33 bytes compressed).
    public var ephemeralPublicKey: [UInt8]
    /// The initiator's RLP-encoded node record, or empty when the recipient already knows the
    /// current one. Validate it with `NodeRecord(rlp:)`.
    public var record: [UInt8]

    /// Handshake authdata; `record` empty when the recipient knows the initiator's current record.
    public init(source: NodeID, idSignature: [UInt8], ephemeralPublicKey: [UInt8], record: [UInt8] = []) {
        self.source = source
        self.idSignature = idSignature
        self.ephemeralPublicKey = ephemeralPublicKey
        self.record = record
    }
}

/// The kind-specific authenticated data of a packet.
public enum AuthData: Sendable, Equatable {
    /// Ordinary message packet from `source`.
    case message(source: NodeID)
    /// WHOAREYOU challenge.
    case whoAreYou(WhoAreYouAuthData)
    /// Handshake message packet.
    case handshake(HandshakeAuthData)

    /// The flag byte of this kind.
    public var flag: PacketFlag {
        switch self {
        case .message: .message
        case .whoAreYou: .whoAreYou
        case .handshake: .handshake
        }
    }

    /// The encoded authdata bytes.
    public var encoded: [UInt8] {
        switch self {
        case .message(let source):
            return source.bytes
        case .whoAreYou(let challenge):
            var bytes = challenge.idNonce
            bytes.reserveCapacity(WhoAreYouAuthData.byteCount)
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: challenge.enrSeq >> UInt64(shift)))
            }
            return bytes
        case .handshake(let handshake):
            var bytes = handshake.source.bytes
            bytes.reserveCapacity(HandshakeAuthData.headByteCount + handshake.idSignature.count
                + handshake.ephemeralPublicKey.count + handshake.record.count)
            bytes.append(UInt8(truncatingIfNeeded: handshake.idSignature.count))
            bytes.append(UInt8(truncatingIfNeeded: handshake.ephemeralPublicKey.count))
            bytes += handshake.idSignature
            bytes += handshake.ephemeralPublicKey
            bytes += handshake.record
            return bytes
        }
    }
}

/// A packet header: nonce and authdata (the protocol id and version are implied).
public struct PacketHeader: Sendable, Equatable {
    /// The 12-byte message nonce (for WHOAREYOU: the nonce of the packet that triggered it).
    public var nonce: [UInt8]
    /// The kind-specific authdata.
    public var authData: AuthData

    /// A header from its nonce and authdata.
    public init(nonce: [UInt8], authData: AuthData) {
        self.nonce = nonce
        self.authData = authData
    }

    /// The packet kind.
    @inlinable public var flag: PacketFlag { authData.flag }
}
