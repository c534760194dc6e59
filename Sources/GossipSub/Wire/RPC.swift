/// Wire-level pubsub types, exactly as the `RPC` protobuf of the pubsub and gossipsub specs
/// carries them. Nothing here is validated beyond the limits of ``RPCLimits``: the router turns a
/// ``RawMessage`` into a ``Message`` only after the signature policy, size and id checks pass.

/// One pubsub RPC: subscription changes, published messages and gossipsub control messages.
public struct RPC: Sendable, Hashable {
    public var subscriptions: [SubOpts]
    public var publish: [RawMessage]
    public var control: ControlMessage?
    /// The v1.3 Test Extension's message (`RPC.testExtension`, an empty message), present or
    /// not; see ``ControlExtensions/testExtension``.
    public var testExtension: Bool

    public init(subscriptions: [SubOpts] = [], publish: [RawMessage] = [], control: ControlMessage? = nil,
                testExtension: Bool = false) {
        self.subscriptions = subscriptions
        self.publish = publish
        self.control = control
        self.testExtension = testExtension
    }

    /// True when the RPC carries nothing worth sending.
    public var isEmpty: Bool {
        subscriptions.isEmpty && publish.isEmpty && (control?.isEmpty ?? true) && !testExtension
    }
}

/// A subscription announcement (`RPC.SubOpts`).
public struct SubOpts: Sendable, Hashable {
    public var subscribe: Bool
    public var topic: String

    public init(subscribe: Bool, topic: String) {
        self.subscribe = subscribe
        self.topic = topic
    }
}

/// A published message as it appears on the wire (`Message`), not yet validated.
public struct RawMessage: Sendable, Hashable {
    /// Author's peer id bytes (StrictSign only).
    public var from: [UInt8]?
    public var data: [UInt8]?
    /// Sequence number bytes (StrictSign only; 8 bytes big-endian by convention).
    public var seqno: [UInt8]?
    public var topic: String
    public var signature: [UInt8]?
    public var key: [UInt8]?

    public init(from: [UInt8]? = nil, data: [UInt8]? = nil, seqno: [UInt8]? = nil, topic: String,
                signature: [UInt8]? = nil, key: [UInt8]? = nil) {
        self.from = from
        self.data = data
        self.seqno = seqno
        self.topic = topic
        self.signature = signature
        self.key = key
    }
}

/// The gossipsub control block (`ControlMessage`).
public struct ControlMessage: Sendable, Hashable {
    public var ihave: [ControlIHave]
    public var iwant: [ControlIWant]
    public var graft: [ControlGraft]
    public var prune: [ControlPrune]
    public var idontwant: [ControlIDontWant]
    /// The v1.3 Extensions message; present (even with no extension we know) or `nil`.
    public var extensions: ControlExtensions?

    public init(ihave: [ControlIHave] = [], iwant: [ControlIWant] = [], graft: [ControlGraft] = [],
                prune: [ControlPrune] = [], idontwant: [ControlIDontWant] = [],
                extensions: ControlExtensions? = nil) {
        self.ihave = ihave
        self.iwant = iwant
        self.graft = graft
        self.prune = prune
        self.idontwant = idontwant
        self.extensions = extensions
    }

    public var isEmpty: Bool {
        ihave.isEmpty && iwant.isEmpty && graft.isEmpty && prune.isEmpty && idontwant.isEmpty && extensions == nil
    }

    /// Appends every entry of `other` to this control block; a second Extensions message
    /// merges into the first, as protobuf merges repeats of a singular field.
    public mutating func merge(_ other: ControlMessage) {
        ihave += other.ihave
        iwant += other.iwant
        graft += other.graft
        prune += other.prune
        idontwant += other.idontwant
        if let theirs = other.extensions {
            extensions = ControlExtensions(testExtension: (extensions?.testExtension ?? false) || theirs.testExtension)
        }
    }
}

/// `IHAVE`: message ids the sender has seen recently in `topic`.
public struct ControlIHave: Sendable, Hashable {
    public var topic: String
    public var messageIDs: [MessageID]
    public init(topic: String, messageIDs: [MessageID]) {
        self.topic = topic
        self.messageIDs = messageIDs
    }
}

/// `IWANT`: message ids the sender asks to receive.
public struct ControlIWant: Sendable, Hashable {
    public var messageIDs: [MessageID]
    public init(messageIDs: [MessageID]) { self.messageIDs = messageIDs }
}

/// `GRAFT`: the sender added the receiver to its mesh for `topic`.
public struct ControlGraft: Sendable, Hashable {
    public var topic: String
    public init(topic: String) { self.topic = topic }
}

/// `PRUNE`: the sender removed the receiver from its mesh for `topic` (v1.1: with peer exchange
/// and a backoff in seconds).
public struct ControlPrune: Sendable, Hashable {
    public var topic: String
    public var peers: [PeerInfo]
    public var backoffSeconds: UInt64?
    public init(topic: String, peers: [PeerInfo] = [], backoffSeconds: UInt64? = nil) {
        self.topic = topic
        self.peers = peers
        self.backoffSeconds = backoffSeconds
    }
}

/// A peer offered through PRUNE peer exchange.
public struct PeerInfo: Sendable, Hashable {
    public var peerID: [UInt8]?
    public var signedPeerRecord: [UInt8]?
    public init(peerID: [UInt8]?, signedPeerRecord: [UInt8]? = nil) {
        self.peerID = peerID
        self.signedPeerRecord = signedPeerRecord
    }
}

/// `IDONTWANT` (gossipsub v1.2): the sender already has these messages.
public struct ControlIDontWant: Sendable, Hashable {
    public var messageIDs: [MessageID]
    public init(messageIDs: [MessageID]) { self.messageIDs = messageIDs }
}
