/// A packet whose header has been unmasked and parsed; the message (if any) is still encrypted.
public struct DecodedPacket: Sendable, Equatable {
    /// The 16-byte masking IV.
    public var maskingIV: [UInt8]
    /// The parsed header.
    public var header: PacketHeader
    /// The unmasked header bytes: static header ‖ authdata.
    public var headerBytes: [UInt8]
    /// The encrypted message (ciphertext ‖ tag); empty for WHOAREYOU.
    public var messageCiphertext: [UInt8]

    /// A decoded packet from its parts.
    public init(maskingIV: [UInt8], header: PacketHeader, headerBytes: [UInt8], messageCiphertext: [UInt8]) {
        self.maskingIV = maskingIV
        self.header = header
        self.headerBytes = headerBytes
        self.messageCiphertext = messageCiphertext
    }

    /// masking-iv ‖ header: the AES-GCM associated data of the message, and for a WHOAREYOU
    /// packet the challenge-data the handshake keys and signature commit to.
    public var authenticatedData: [UInt8] { maskingIV + headerBytes }

    /// The challenge-data of a WHOAREYOU packet (same bytes as ``authenticatedData``).
    @inlinable public var challengeData: [UInt8] { authenticatedData }

    /// Decrypts the message with `key` (the sender's session key for this direction).
    public func openMessage(key: some Collection<UInt8>) throws(DiscV5Error) -> [UInt8] {
        try MessageCipher.open(messageCiphertext, key: key, nonce: header.nonce, authenticating: authenticatedData)
    }
}
