/// A Noise handshake pattern: pre-messages and message patterns made of tokens.
public struct HandshakePattern: Sendable, Equatable {
    /// A token of a message pattern.
    public enum Token: String, Sendable, Equatable {
        /// Send or receive an ephemeral public key.
        case e
        /// Send or receive a (possibly encrypted) static public key.
        case s
        /// DH(initiator ephemeral, responder ephemeral).
        case ee
        /// DH(initiator ephemeral, responder static).
        case es
        /// DH(initiator static, responder ephemeral).
        case se
        /// DH(initiator static, responder static).
        case ss
        /// Mix in the next pre-shared key.
        case psk
    }

    /// One message pattern: who sends it and its tokens.
    public struct MessagePattern: Sendable, Equatable {
        /// Whether the initiator sends it (`->`); otherwise the responder (`<-`).
        public var fromInitiator: Bool
        /// The tokens, in order.
        public var tokens: [Token]
    }

    /// The pattern's name including modifiers, e.g. `XXpsk3`.
    public let name: String
    /// Keys the responder knows about the initiator in advance (`-> s` before `...`).
    public let initiatorPreMessage: [Token]
    /// Keys the initiator knows about the responder in advance (`<- s` before `...`).
    public let responderPreMessage: [Token]
    /// The handshake messages.
    public private(set) var messages: [MessagePattern]

    /// Whether a `psk` token appears (switches `e` to also call MixKey).
    public var usesPSK: Bool { messages.contains { $0.tokens.contains(.psk) } }
    /// Whether this is a one-way pattern (N, K, X and their modified forms).
    public var isOneWay: Bool { messages.allSatisfy(\.fromInitiator) }

    /// The pattern named `name` (a fundamental, one-way or deferred pattern followed by
    /// optional `pskN` modifiers joined with `+`), or `nil` when unknown.
    public init?(name: String) {
        let base = String(name.prefix { "NKXI1".contains($0) })
        guard let text = Self.table[base] else { return nil }
        let modifiers = name.dropFirst(base.count)
        self.init(name: name, text: text)
        if !modifiers.isEmpty {
            for modifier in modifiers.split(separator: "+", omittingEmptySubsequences: false) {
                guard modifier.hasPrefix("psk"), let n = Int(modifier.dropFirst(3)), n >= 0, n <= messages.count,
                      modifier.count == 3 + String(n).count
                else { return nil }
                if n == 0 { messages[0].tokens.insert(.psk, at: 0) } else { messages[n - 1].tokens.append(.psk) }
            }
        }
    }

    /// The XX pattern (`-> e`, `<- e, ee, s, es`, `-> s, se`).
    public static let xx = HandshakePattern(name: "XX", text: "-> e | <- e, ee, s, es | -> s, se")

    /// A pattern from the compact notation of `table`.
    private init(name: String, text: String) {
        (initiatorPreMessage, responderPreMessage, messages) = Self.parse(text)
        self.name = name
    }

    private static func parse(_ text: String) -> ([Token], [Token], [MessagePattern]) {
        func line(_ s: Substring) -> MessagePattern {
            let trimmed = s.trimmingSpaces
            let fromInitiator = trimmed.hasPrefix("->")
            let tokens = trimmed.dropFirst(2).split(separator: ",").compactMap { Token(rawValue: String($0.trimmingSpaces)) }
            return MessagePattern(fromInitiator: fromInitiator, tokens: tokens)
        }
        var initiatorPre: [Token] = []
        var responderPre: [Token] = []
        let sections = text.split(separator: "...")
        let body = sections[sections.count - 1]
        if sections.count == 2 {
            for pre in sections[0].split(separator: "|").map(line) {
                if pre.fromInitiator { initiatorPre = pre.tokens } else { responderPre = pre.tokens }
            }
        }
        return (initiatorPre, responderPre, body.split(separator: "|").map(line))
    }

    /// The one-way, fundamental interactive and deferred patterns of the Noise specification
    /// (sections 7.4, 7.5 and 18.1), in a compact notation: pre-messages, `...`, messages.
    static let table: [String: String] = [
        "N": "<- s ... -> e, es",
        "K": "-> s | <- s ... -> e, es, ss",
        "X": "<- s ... -> e, es, s, ss",
        "NN": "-> e | <- e, ee",
        "NK": "<- s ... -> e, es | <- e, ee",
        "NX": "-> e | <- e, ee, s, es",
        "XN": "-> e | <- e, ee | -> s, se",
        "XK": "<- s ... -> e, es | <- e, ee | -> s, se",
        "XX": "-> e | <- e, ee, s, es | -> s, se",
        "KN": "-> s ... -> e | <- e, ee, se",
        "KK": "-> s | <- s ... -> e, es, ss | <- e, ee, se",
        "KX": "-> s ... -> e | <- e, ee, se, s, es",
        "IN": "-> e, s | <- e, ee, se",
        "IK": "<- s ... -> e, es, s, ss | <- e, ee, se",
        "IX": "-> e, s | <- e, ee, se, s, es",
        "NK1": "<- s ... -> e | <- e, ee, es",
        "NX1": "-> e | <- e, ee, s | -> es",
        "X1N": "-> e | <- e, ee | -> s | <- se",
        "X1K": "<- s ... -> e, es | <- e, ee | -> s | <- se",
        "XK1": "<- s ... -> e | <- e, ee, es | -> s, se",
        "X1K1": "<- s ... -> e | <- e, ee, es | -> s | <- se",
        "X1X": "-> e | <- e, ee, s, es | -> s | <- se",
        "XX1": "-> e | <- e, ee, s | -> es, s, se",
        "X1X1": "-> e | <- e, ee, s | -> es, s | <- se",
        "K1N": "-> s ... -> e | <- e, ee | -> se",
        "K1K": "-> s | <- s ... -> e, es | <- e, ee | -> se",
        "KK1": "-> s | <- s ... -> e | <- e, ee, se, es",
        "K1K1": "-> s | <- s ... -> e | <- e, ee, es | -> se",
        "K1X": "-> s ... -> e | <- e, ee, s, es | -> se",
        "KX1": "-> s ... -> e | <- e, ee, se, s | -> es",
        "K1X1": "-> s ... -> e | <- e, ee, s | -> se, es",
        "I1N": "-> e, s | <- e, ee | -> se",
        "I1K": "<- s ... -> e, es, s | <- e, ee | -> se",
        "IK1": "<- s ... -> e, s | <- e, ee, se, es",
        "I1K1": "<- s ... -> e, s | <- e, ee, es | -> se",
        "I1X": "-> e, s | <- e, ee, s, es | -> se",
        "IX1": "-> e, s | <- e, ee, se, s | -> es",
        "I1X1": "-> e, s | <- e, ee, s | -> se, es",
    ]
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// A parsed Noise protocol name such as `Noise_XX_25519_ChaChaPoly_SHA256`.
public struct NoiseProtocol: Sendable, Equatable {
    /// The full name, hashed into the initial handshake state.
    public let name: String
    /// The handshake pattern with its modifiers.
    public let pattern: HandshakePattern
    /// The cipher functions.
    public let cipher: NoiseCipher
    /// The hash function.
    public let hash: NoiseHash

    /// Parses `name`; only the `25519` DH functions are supported.
    public init(name: String) throws(NoiseError) {
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "Noise", parts[2] == "25519",
              let pattern = HandshakePattern(name: String(parts[1])),
              let cipher = NoiseCipher(rawValue: String(parts[3])),
              let hash = NoiseHash(rawValue: String(parts[4]))
        else { throw .unsupportedProtocol(name) }
        self.name = name
        self.pattern = pattern
        self.cipher = cipher
        self.hash = hash
    }

    /// `Noise_XX_25519_ChaChaPoly_SHA256`, the protocol libp2p uses.
    public static let libp2p = NoiseProtocol(
        name: "Noise_XX_25519_ChaChaPoly_SHA256", pattern: .xx, cipher: .chaChaPoly, hash: .sha256)

    private init(name: String, pattern: HandshakePattern, cipher: NoiseCipher, hash: NoiseHash) {
        self.name = name
        self.pattern = pattern
        self.cipher = cipher
        self.hash = hash
    }
}
