/// A Noise `HandshakeState` (section 5.3): runs any supported handshake pattern, one message at
/// a time, with every key injected (no RNG inside).
///
/// After the last message `isComplete` is true and `split()` returns the transport cipher
/// states. Any error leaves the state unusable (`failedEarlier`).
public struct HandshakeState: Sendable {
    /// The protocol being run.
    public let noiseProtocol: NoiseProtocol
    /// Whether this side is the initiator.
    public let isInitiator: Bool
    private var symmetric: SymmetricState
    private var localStatic: NoiseKeyPair?
    private var localEphemeral: NoiseKeyPair?
    /// The remote static public key, once known.
    public private(set) var remoteStatic: [UInt8]?
    /// The remote ephemeral public key, once known.
    public private(set) var remoteEphemeral: [UInt8]?
    private var psks: ArraySlice<[UInt8]>
    private var messageIndex = 0
    private var failed = false

    /// The largest Noise message (handshake or transport).
    public static let maxMessageLength = 65535

    /// Initialize(): `prologue` is mixed in, then the pre-message public keys.
    ///
    /// - Parameters:
    ///   - noiseProtocol: the pattern, DH, cipher and hash, as in `Noise_XX_25519_ChaChaPoly_SHA256`.
    ///   - initiator: whether this side sends the first handshake message.
    ///   - prologue: bytes both sides must agree on, mixed into the handshake hash.
    ///   - localStatic: this side's static key pair, required when the pattern sends or pre-shares `s`.
    ///   - localEphemeral: the ephemeral key pair to use when the pattern sends `e`; generate it
    ///     with `NoiseKeyPair.generate(using:)` from an injected RNG, or pass a fixed one in tests.
    ///   - remoteStatic: the peer's static public key, when the pattern pre-shares it (`K`, `IK`, `NK`…).
    ///   - remoteEphemeral: the peer's ephemeral public key, for patterns that pre-share it.
    ///   - psks: the 32-byte pre-shared keys, in the order their `psk` tokens appear.
    public init(
        protocol noiseProtocol: NoiseProtocol, initiator: Bool, prologue: [UInt8] = [],
        localStatic: NoiseKeyPair? = nil, localEphemeral: NoiseKeyPair? = nil,
        remoteStatic: [UInt8]? = nil, remoteEphemeral: [UInt8]? = nil, psks: [[UInt8]] = []
    ) throws(NoiseError) {
        self.noiseProtocol = noiseProtocol
        self.isInitiator = initiator
        self.localStatic = localStatic
        self.localEphemeral = localEphemeral
        self.remoteStatic = remoteStatic
        self.remoteEphemeral = remoteEphemeral
        guard psks.allSatisfy({ $0.count == 32 }) else { throw .missingKey("PSKs must be 32 bytes") }
        self.psks = psks[...]
        symmetric = SymmetricState(protocolName: noiseProtocol.name, cipher: noiseProtocol.cipher, hash: noiseProtocol.hash)
        symmetric.mixHash(prologue)
        let pattern = noiseProtocol.pattern
        for (fromInitiator, tokens) in [(true, pattern.initiatorPreMessage), (false, pattern.responderPreMessage)] {
            let local = fromInitiator == initiator
            for token in tokens {
                switch token {
                case .s:
                    guard let key = local ? localStatic?.publicKey : remoteStatic, key.count == 32 else {
                        throw .missingKey("pre-message static key")
                    }
                    symmetric.mixHash(key)
                case .e:
                    guard let key = local ? localEphemeral?.publicKey : remoteEphemeral, key.count == 32 else {
                        throw .missingKey("pre-message ephemeral key")
                    }
                    symmetric.mixHash(key)
                    if pattern.usesPSK { symmetric.mixKey(key) }
                case .ee, .es, .se, .ss, .psk:
                    throw .unsupportedProtocol(noiseProtocol.name)
                }
            }
        }
    }

    /// Whether every handshake message has been written or read.
    public var isComplete: Bool { messageIndex == noiseProtocol.pattern.messages.count }

    /// Whether the next handshake message is this side's to write.
    public var isMyTurnToWrite: Bool {
        !isComplete && noiseProtocol.pattern.messages[messageIndex].fromInitiator == isInitiator
    }

    /// The handshake hash `h` (the channel-binding value once the handshake is complete).
    public var handshakeHash: [UInt8] { symmetric.handshakeHash }

    /// WriteMessage(payload): the next handshake message.
    public mutating func writeMessage(payload: [UInt8] = []) throws(NoiseError) -> [UInt8] {
        guard !failed else { throw .failedEarlier }
        guard isMyTurnToWrite else { throw .outOfOrder }
        failed = true
        var out: [UInt8] = []
        for token in noiseProtocol.pattern.messages[messageIndex].tokens {
            switch token {
            case .e:
                guard let e = localEphemeral else { throw .missingKey("local ephemeral key") }
                let pub = e.publicKey
                out += pub
                symmetric.mixHash(pub)
                if noiseProtocol.pattern.usesPSK { symmetric.mixKey(pub) }
            case .s:
                guard let s = localStatic else { throw .missingKey("local static key") }
                try symmetric.encryptAndHash(s.publicKey, into: &out)
            default:
                try mix(token)
            }
        }
        try symmetric.encryptAndHash(payload, into: &out)
        guard out.count <= Self.maxMessageLength else { throw .messageTooLong(out.count) }
        messageIndex += 1
        failed = false
        return out
    }

    /// ReadMessage(message): the decrypted payload of the next handshake message.
    public mutating func readMessage(_ message: ArraySlice<UInt8>) throws(NoiseError) -> [UInt8] {
        guard !failed else { throw .failedEarlier }
        guard !isComplete, !isMyTurnToWrite else { throw .outOfOrder }
        guard message.count <= Self.maxMessageLength else { throw .messageTooLong(message.count) }
        failed = true
        var rest = message
        for token in noiseProtocol.pattern.messages[messageIndex].tokens {
            switch token {
            case .e:
                guard rest.count >= 32 else { throw .messageTooShort }
                let re = Array(rest.prefix(32))
                rest = rest.dropFirst(32)
                remoteEphemeral = re
                symmetric.mixHash(re)
                if noiseProtocol.pattern.usesPSK { symmetric.mixKey(re) }
            case .s:
                let length = symmetric.hasKey ? 48 : 32
                guard rest.count >= length else { throw .messageTooShort }
                remoteStatic = try symmetric.decryptAndHash(rest.prefix(length))
                rest = rest.dropFirst(length)
            default:
                try mix(token)
            }
        }
        if symmetric.hasKey && rest.count < 16 { throw .messageTooShort }
        let payload = try symmetric.decryptAndHash(rest)
        messageIndex += 1
        failed = false
        return payload
    }

    /// ReadMessage(message).
    public mutating func readMessage(_ message: [UInt8]) throws(NoiseError) -> [UInt8] {
        try readMessage(message[...])
    }

    /// The DH and PSK tokens, identical for reader and writer.
    private mutating func mix(_ token: HandshakePattern.Token) throws(NoiseError) {
        func dh(_ local: NoiseKeyPair?, _ remote: [UInt8]?) throws(NoiseError) -> [UInt8] {
            guard let local, let remote else { throw .missingKey("key for \(token.rawValue)") }
            return try local.dh(remote)
        }
        switch token {
        case .ee: symmetric.mixKey(try dh(localEphemeral, remoteEphemeral))
        case .ss: symmetric.mixKey(try dh(localStatic, remoteStatic))
        case .es:
            symmetric.mixKey(isInitiator ? try dh(localEphemeral, remoteStatic) : try dh(localStatic, remoteEphemeral))
        case .se:
            symmetric.mixKey(isInitiator ? try dh(localStatic, remoteEphemeral) : try dh(localEphemeral, remoteStatic))
        case .psk:
            guard let psk = psks.popFirst() else { throw .missingKey("psk") }
            symmetric.mixKeyAndHash(psk)
        case .e, .s:
            throw .outOfOrder
        }
    }

    /// Split(): (initiator-to-responder, responder-to-initiator) cipher states, once complete.
    public func split() throws(NoiseError) -> (initiatorToResponder: CipherState, responderToInitiator: CipherState) {
        guard isComplete, !failed else { throw .outOfOrder }
        let (c1, c2) = symmetric.split()
        return (c1, c2)
    }
}
