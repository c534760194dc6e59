/// How a dropped packet counts against its sender.
public enum DropKind: Sendable, Equatable {
    /// Normal on a lossy network (a duplicate response after a retransmission).
    case benign
    /// Unsolicited WHOAREYOU or handshake: tolerated at a low rate (late duplicates, crossed
    /// handshakes), an offence beyond it.
    case unsolicited
    /// Malformed or forged input: always an offence.
    case invalid
}

extension DiscV5Error {
    /// How dropping a packet for this error counts against its sender.
    public var dropKind: DropKind {
        switch self {
        case .unexpectedResponse, .noSession:
            .benign
        case .unexpectedWhoAreYou, .unexpectedHandshake, .invalidIDSignature, .decryptionFailed:
            .unsolicited
        case .packetTooSmall, .packetTooLarge, .invalidProtocolID, .unsupportedVersion, .unknownFlag, .truncatedAuthData,
             .invalidAuthDataSize, .invalidHandshakeSizes, .unexpectedMessageData, .messageTooShort, .invalidFieldLength,
             .encodedPacketTooLarge, .cipherFailure, .invalidPublicKey, .ecdhFailed, .emptyMessage, .unknownMessageType,
             .unsupportedMessageType, .malformedMessage, .requestIDTooLong, .invalidIPLength, .portOutOfRange,
             .distanceOutOfRange, .invalidRecord, .missingRecord, .recordNodeIDMismatch, .recordWithoutEndpoint:
            .invalid
        }
    }
}
