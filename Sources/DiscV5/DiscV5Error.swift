import ENR
import RLP

/// Why discovery v5 input was rejected or an operation failed.
public enum DiscV5Error: Error, Equatable, Sendable {
    // MARK: Packets
    /// The datagram is shorter than the 63-byte minimum packet size.
    case packetTooSmall(Int)
    /// The datagram is longer than the 1280-byte maximum packet size.
    case packetTooLarge(Int)
    /// The unmasked protocol id is not "discv5" (wrong destination key or not a discv5 packet).
    case invalidProtocolID
    /// The static header carries a version other than 0x0001.
    case unsupportedVersion(UInt16)
    /// The flag is not 0 (message), 1 (WHOAREYOU) or 2 (handshake).
    case unknownFlag(UInt8)
    /// The authdata-size points past the end of the datagram.
    case truncatedAuthData(declared: Int, available: Int)
    /// The authdata has the wrong size for the packet kind.
    case invalidAuthDataSize(flag: UInt8, size: Int)
    /// A handshake's sig-size or eph-key-size is not the v4 identity scheme's (64, 33).
    case invalidHandshakeSizes(signatureSize: Int, ephemeralKeySize: Int)
    /// A WHOAREYOU packet carries message bytes after its header.
    case unexpectedMessageData(Int)
    /// A message or handshake packet's message is shorter than the 16-byte GCM tag.
    case messageTooShort(Int)
    /// A field given to the encoder has the wrong length.
    case invalidFieldLength(field: String, length: Int)
    /// The encoded packet would exceed 1280 bytes.
    case encodedPacketTooLarge(Int)

    // MARK: Crypto
    /// AES-GCM authentication failed: wrong key, nonce, associated data or corrupted message.
    case decryptionFailed
    /// A symmetric cipher rejected its key or nonce (lengths are checked earlier, so this is
    /// unexpected).
    case cipherFailure
    /// A public key is not a valid secp256k1 point.
    case invalidPublicKey
    /// A secp256k1 operation failed (e.g. ECDH with an invalid key).
    case ecdhFailed
    /// The id-nonce signature does not verify or is malformed.
    case invalidIDSignature

    // MARK: Messages
    /// The message plaintext is empty (no message type byte).
    case emptyMessage
    /// The message type byte is not a known discv5 message type.
    case unknownMessageType(UInt8)
    /// The message body is not the canonical RLP the message type requires.
    case malformedMessage(RLPError)
    /// The request id is longer than 8 bytes.
    case requestIDTooLong(Int)
    /// PONG's recipient-ip is neither 4 nor 16 bytes.
    case invalidIPLength(Int)
    /// A port does not fit 16 bits.
    case portOutOfRange(UInt64)
    /// A FINDNODE or topic distance is above 256.
    case distanceOutOfRange(UInt64)
    /// A topic id is not 32 bytes.
    case invalidTopicLength(Int)
    /// A ticket is longer than ``RegisterTopic/maximumTicketLength``.
    case ticketTooLong(Int)
    /// A record in NODES or a handshake is invalid.
    case invalidRecord(ENRError)

    // MARK: Sessions
    /// A WHOAREYOU arrived that answers no packet this node sent.
    case unexpectedWhoAreYou
    /// A handshake arrived without a pending challenge for its sender and endpoint.
    case unexpectedHandshake
    /// The handshake carried no record and the sender's record is unknown.
    case missingRecord
    /// The record in a handshake belongs to a different node id than the packet's source.
    case recordNodeIDMismatch
    /// A response arrived that matches no pending request.
    case unexpectedResponse
    /// No session exists with the node a response is addressed to.
    case noSession
    /// The node's record announces no usable UDP endpoint (`ip`/`ip6` with `udp`/`udp6`).
    case recordWithoutEndpoint
    /// The node is banned: its packets are dropped and no request goes to it.
    case bannedNode
}
