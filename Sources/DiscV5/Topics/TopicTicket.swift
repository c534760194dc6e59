import Crypto
import RLP

/// What a registrar's ticket proves: which advertisement it is for, when the advertiser first
/// asked, when the ticket was last issued and the wait it was told (registrar-local times).
struct TopicTicket: Equatable, Sendable {
    var adDigest: [UInt8]
    var firstIssued: Duration
    var lastIssued: Duration
    var wait: Duration
}

/// Seals tickets with an HMAC-SHA256 under a key only the registrar holds, so a registrar
/// checks a ticket it issued without keeping any state for it. Sealed form, 88 bytes:
/// ad digest (32) ‖ first issued (8) ‖ last issued (8) ‖ wait (8), nanoseconds big-endian ‖ MAC (32).
struct TicketSealer: Sendable {
    static let sealedLength = 32 + 8 * 3 + 32
    private let key: SymmetricKey

    init(key: [UInt8]) {
        self.key = SymmetricKey(data: key)
    }

    /// A ticket key derived from `secret` (the node key) with HKDF-SHA256.
    static func key(derivedFrom secret: [UInt8]) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret),
                                         info: Array("discv5 topic registrar tickets".utf8), outputByteCount: 32)
        return key.withUnsafeBytes { Array($0) }
    }

    func seal(_ ticket: TopicTicket) -> [UInt8] {
        var body = ticket.adDigest
        body.reserveCapacity(Self.sealedLength)
        for time in [ticket.firstIssued, ticket.lastIssued, ticket.wait] { body.appendBigEndian(time.nanosecondsClamped) }
        return body + Array(HMAC<SHA256>.authenticationCode(for: body, using: key))
    }

    /// The ticket inside `sealed`; `nil` when it is not one this sealer made.
    func open(_ sealed: [UInt8]) -> TopicTicket? {
        guard sealed.count == Self.sealedLength else { return nil }
        let body = sealed[..<(Self.sealedLength - 32)]
        guard HMAC<SHA256>.isValidAuthenticationCode(sealed[(Self.sealedLength - 32)...], authenticating: body, using: key)
        else { return nil }
        func time(at offset: Int) -> Duration {
            .nanoseconds(Int64(bitPattern: sealed[offset..<offset + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
        }
        return TopicTicket(adDigest: Array(sealed[0..<32]), firstIssued: time(at: 32), lastIssued: time(at: 40), wait: time(at: 48))
    }

    /// The digest binding a ticket to one advertisement: SHA-256 of RLP `[topic, ENR]`.
    static func adDigest(topic: TopicID, recordRLP: [UInt8]) -> [UInt8] {
        var encoder = RLPEncoder(capacity: recordRLP.count + 40)
        encoder.appendList { list in
            list.appendBytes(topic.bytes)
            list.appendEncoded(recordRLP)
        }
        return Array(SHA256.hash(data: encoder.bytes))
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
