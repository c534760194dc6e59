import ENR

/// An established session with one node: the keys of each direction and the peer's record.
public struct Session: Sendable, Equatable {
    /// Key of packets this node sends.
    public var writeKey: [UInt8]
    /// Key of packets this node receives.
    public var readKey: [UInt8]
    /// The peer's record, when known (sent in its handshake or given by the caller).
    public var record: NodeRecord?

    /// A session from its two AES-128 keys and the peer's record.
    public init(writeKey: [UInt8], readKey: [UInt8], record: NodeRecord?) {
        self.writeKey = writeKey
        self.readKey = readKey
        self.record = record
    }

    /// The session of the handshake initiator.
    public static func initiator(_ keys: SessionKeys, record: NodeRecord?) -> Session {
        Session(writeKey: keys.initiatorKey, readKey: keys.recipientKey, record: record)
    }

    /// The session of the handshake recipient.
    public static func recipient(_ keys: SessionKeys, record: NodeRecord?) -> Session {
        Session(writeKey: keys.recipientKey, readKey: keys.initiatorKey, record: record)
    }
}
