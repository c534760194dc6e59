/// Wire-level pubsub types, exactly as the `RPC` protobuf of the pubsub and gossipsub specs
/// carries them. Nothing here is validated beyond the limits of ``RPCLimits``: the router turns a
/// ``RawMessage`` into a ``Message`` only after the signature policy, size and id checks pass.

/// One pubsub RPC: subscription changes, published messages and gossipsub control messages.
public struct RPC: Sendable, Hashable {
    /// Topics the sender joins or leaves (`RPC.subscriptions`).
    public var subscriptions: [SubOpts]
    /// Messages published or forwarded by the sender (`RPC.publish`).
    public var publish: [RawMessage]
    /// The gossipsub control block (`RPC.control`), `nil` when the RPC has none.
    public var control: ControlMessage?
    /// The v1.3 Test Extension's message (`RPC.testExtension`, an empty message), present or
    /// not; see ``ControlExtensions/testExtension``.
    public var testExtension: Bool
    /// The PREAMBLE / IMRECEIVING extension's message (`RPC.preambleExtension`), `nil` when absent.
    public var preambleExtension: PreambleExtension?
    /// The lazy mesh push extension's message (IANNOUNCE / INEED), `nil` when absent.
    public var announceExtension: AnnounceExtension?

    /// An RPC with the given parts; by default an empty one.
    public init(subscriptions: [SubOpts] = [], publish: [RawMessage] = [], control: ControlMessage? = nil,
                testExtension: Bool = false, preambleExtension: PreambleExtension? = nil,
                announceExtension: AnnounceExtension? = nil) {
        self.subscriptions = subscriptions
        self.publish = publish
        self.control = control
        self.testExtension = testExtension
        self.preambleExtension = preambleExtension
        self.announceExtension = announceExtension
    }

    /// True when the RPC carries nothing worth sending.
    public var isEmpty: Bool {
        subscriptions.isEmpty && publish.isEmpty && (control?.isEmpty ?? true) && !testExtension
            && (preambleExtension?.isEmpty ?? true) && (announceExtension?.isEmpty ?? true)
    }
}

/// A subscription announcement (`RPC.SubOpts`).
public struct SubOpts: Sendable, Hashable {
    /// `true` to subscribe to ``topic``, `false` to unsubscribe.
    public var subscribe: Bool
    /// The topic id.
    public var topic: String

    /// A subscribe (`subscribe` true) or unsubscribe announcement for `topic`.
    public init(subscribe: Bool, topic: String) {
        self.subscribe = subscribe
        self.topic = topic
    }
}

/// A published message as it appears on the wire (`Message`), not yet validated.
///
/// A value type whose fields live in one shared box (copy on write): a message is copied into
/// every RPC that forwards it, the message cache and the router's bookkeeping, and each copy
/// costs one reference count instead of one per field.
public struct RawMessage: Sendable, Hashable {
    /// Author's peer id bytes (StrictSign only).
    public var from: [UInt8]? {
        get { storage.from }
        set { unique().from = newValue }
    }
    /// The application payload; `nil` when the field is absent (delivered as empty).
    public var data: [UInt8]? {
        get { storage.data }
        set { unique().data = newValue }
    }
    /// Sequence number bytes (StrictSign only; 8 bytes big-endian by convention).
    public var seqno: [UInt8]? {
        get { storage.seqno }
        set { unique().seqno = newValue }
    }
    /// The topic the message is published on (required on the wire).
    public var topic: String {
        get { storage.topic }
        set { unique().topic = newValue }
    }
    /// The author's signature of ``signingPayload`` (StrictSign only).
    public var signature: [UInt8]? {
        get { storage.signature }
        set { unique().signature = newValue }
    }
    /// The author's public key in libp2p protobuf form, when it cannot be extracted from
    /// ``from`` (StrictSign only; inlined keys such as Ed25519 and secp256k1 need none).
    public var key: [UInt8]? {
        get { storage.key }
        set { unique().key = newValue }
    }

    private var storage: Storage

    /// A message with the given fields; StrictNoSign messages set only `data` and `topic`.
    public init(from: [UInt8]? = nil, data: [UInt8]? = nil, seqno: [UInt8]? = nil, topic: String,
                signature: [UInt8]? = nil, key: [UInt8]? = nil) {
        storage = Storage(from: from, data: data, seqno: seqno, topic: topic, signature: signature, key: key)
    }

    /// The box, copied first if another message shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// Whether both messages have the same fields.
    public static func == (a: RawMessage, b: RawMessage) -> Bool {
        a.storage === b.storage
            || (a.topic == b.topic && a.data == b.data && a.from == b.from && a.seqno == b.seqno
                && a.signature == b.signature && a.key == b.key)
    }

    /// Hashes every field, as the memberwise conformance would.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(from)
        hasher.combine(data)
        hasher.combine(seqno)
        hasher.combine(topic)
        hasher.combine(signature)
        hasher.combine(key)
    }

    // Mutated only through `unique()`, so a box that two messages share is never written:
    // sharing one between threads is as safe as sharing its immutable fields.
    private final class Storage: @unchecked Sendable {
        var from: [UInt8]?
        var data: [UInt8]?
        var seqno: [UInt8]?
        var topic: String
        var signature: [UInt8]?
        var key: [UInt8]?

        init(from: [UInt8]?, data: [UInt8]?, seqno: [UInt8]?, topic: String, signature: [UInt8]?, key: [UInt8]?) {
            self.from = from
            self.data = data
            self.seqno = seqno
            self.topic = topic
            self.signature = signature
            self.key = key
        }

        func copy() -> Storage {
            Storage(from: from, data: data, seqno: seqno, topic: topic, signature: signature, key: key)
        }
    }
}

/// The gossipsub control block (`ControlMessage`).
public struct ControlMessage: Sendable, Hashable {
    /// Gossip: ids of recent messages the sender holds, per topic.
    public var ihave: [ControlIHave]
    /// Requests for full messages the sender learned of through IHAVE.
    public var iwant: [ControlIWant]
    /// Mesh joins, one per topic.
    public var graft: [ControlGraft]
    /// Mesh leaves, one per topic.
    public var prune: [ControlPrune]
    /// Ids of messages the sender already has and does not want forwarded (v1.2).
    public var idontwant: [ControlIDontWant]
    /// The v1.3 Extensions message; present (even with no extension we know) or `nil`.
    public var extensions: ControlExtensions?

    /// A control block with the given entries; by default an empty one.
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

    /// True when there are no entries and no Extensions message.
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
            extensions = (extensions ?? ControlExtensions()).union(theirs)
        }
    }
}

/// `IHAVE`: message ids the sender has seen recently in `topic`.
public struct ControlIHave: Sendable, Hashable {
    /// The topic the messages were published on.
    public var topic: String
    /// Ids of the messages, from the sender's gossip windows of the message cache.
    public var messageIDs: [MessageID]
    /// An IHAVE announcing `messageIDs` in `topic`.
    public init(topic: String, messageIDs: [MessageID]) {
        self.topic = topic
        self.messageIDs = messageIDs
    }
}

/// `IWANT`: message ids the sender asks to receive.
public struct ControlIWant: Sendable, Hashable {
    /// Ids of the messages requested (any topic).
    public var messageIDs: [MessageID]
    /// An IWANT requesting `messageIDs`.
    public init(messageIDs: [MessageID]) { self.messageIDs = messageIDs }
}

/// `GRAFT`: the sender added the receiver to its mesh for `topic`.
public struct ControlGraft: Sendable, Hashable {
    /// The topic whose mesh the receiver joined.
    public var topic: String
    /// A GRAFT for `topic`.
    public init(topic: String) { self.topic = topic }
}

/// `PRUNE`: the sender removed the receiver from its mesh for `topic` (v1.1: with peer exchange
/// and a backoff in seconds).
public struct ControlPrune: Sendable, Hashable {
    /// The topic whose mesh the receiver left.
    public var topic: String
    /// Peer exchange (v1.1): other peers of the topic the receiver may connect to instead.
    public var peers: [PeerInfo]
    /// How long, in seconds, the receiver must not GRAFT back (v1.1); `nil` when absent, in which
    /// case the receiver applies its default prune backoff.
    public var backoffSeconds: UInt64?
    /// A PRUNE for `topic`, by default without peer exchange or backoff.
    public init(topic: String, peers: [PeerInfo] = [], backoffSeconds: UInt64? = nil) {
        self.topic = topic
        self.peers = peers
        self.backoffSeconds = backoffSeconds
    }
}

/// A peer offered through PRUNE peer exchange.
public struct PeerInfo: Sendable, Hashable {
    /// The peer id bytes (multihash), `nil` when the field is absent.
    public var peerID: [UInt8]?
    /// The peer's signed peer record envelope (its addresses), `nil` when not sent; this
    /// module sends none and passes received ones through unchecked.
    public var signedPeerRecord: [UInt8]?
    /// An entry for `peerID`, optionally with its signed peer record.
    public init(peerID: [UInt8]?, signedPeerRecord: [UInt8]? = nil) {
        self.peerID = peerID
        self.signedPeerRecord = signedPeerRecord
    }
}

/// `IDONTWANT` (gossipsub v1.2): the sender already has these messages.
public struct ControlIDontWant: Sendable, Hashable {
    /// Ids of the messages the sender already received.
    public var messageIDs: [MessageID]
    /// An IDONTWANT for `messageIDs`.
    public init(messageIDs: [MessageID]) { self.messageIDs = messageIDs }
}
