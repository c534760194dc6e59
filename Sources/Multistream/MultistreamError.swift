/// Why a multistream-select negotiation failed.
public enum MultistreamError: Error, Equatable, Sendable {
    /// A message's varint length prefix is longer than 9 bytes or not minimally encoded.
    case malformedLengthPrefix
    /// A message announces `length` bytes, more than the configured `limit`.
    case messageTooLong(length: UInt64, limit: Int)
    /// A message has length zero or does not end with `\n`.
    case missingNewline
    /// A message is not valid UTF-8.
    case invalidUTF8
    /// The peer's first message was not `/multistream/1.0.0` (it sent `received`).
    case unsupportedHeader(received: String)
    /// The peer sent a message that makes no sense at this point of the negotiation.
    case unexpectedMessage(String)
    /// The responder rejected every protocol the initiator proposed.
    case noCommonProtocol(proposed: [String])
    /// The peer made more than `limit` proposals (or `ls` requests) without agreeing.
    case tooManyAttempts(limit: Int)
    /// A locally configured protocol id is empty, reserved, contains `\n` or is too long.
    case invalidProtocolID(String)
    /// A configuration value is out of range (e.g. an empty proposal list).
    case invalidConfiguration(String)
    /// `receive` or `start` was called after the negotiation had already finished.
    case negotiationFinished
}
