import ENR
import P2PCrypto

/// The sans-IO session layer of discovery v5: packets, time and randomness go in, packets to
/// send and events come out (``SessionAction``).
///
/// Initiator: a request to a node without session goes out as a message packet with random
/// content; the node's WHOAREYOU answers it, and the request is re-sent in a handshake packet
/// that establishes the session. Recipient: a message packet that cannot be decrypted is
/// answered with a WHOAREYOU challenge; a handshake that verifies establishes the session.
/// A node that lost its session (a restart) triggers the same exchange again.
///
/// Timers are data: call ``handleTimeout(now:)`` at ``nextDeadline``.
public struct SessionHandler: Sendable {
    struct PendingRequest: Sendable {
        var contact: NodeContact
        var message: Message
        /// The last packet sent for this request and its nonce (a WHOAREYOU refers to it).
        var packet: [UInt8]
        var nonce: [UInt8]
        var deadline: Duration
        var retriesLeft: Int
        /// WHOAREYOU challenges answered for this request (a crossed handshake may need a second).
        var challengesAnswered: Int
        /// NODES responses still expected after the first one arrived.
        var nodesLeft: UInt64?
    }

    struct Challenge: Sendable {
        var challengeData: [UInt8]
        var record: NodeRecord?
        /// The nonce of the packet challenged and the WHOAREYOU sent for it: a retransmission of
        /// that packet (our WHOAREYOU was lost) gets the same WHOAREYOU again.
        var challengedNonce: [UInt8]
        var packet: [UInt8]
    }

    /// Handshakes attempted for one request: two, so that two nodes whose handshakes crossed
    /// (each challenged the other at once) still get their requests through.
    static let maximumChallengesPerRequest = 2

    private let localKey: Secp256k1.PrivateKey
    /// This node's id.
    public let localID: NodeID
    /// This node's record, sent in handshakes to nodes that do not know its current version.
    public private(set) var localRecord: NodeRecord
    /// The configuration the session layer runs with, validated.
    public let config: SessionConfig
    /// The established sessions.
    public private(set) var sessions: SessionCache
    private var requests: [NodeAddress: [PendingRequest]] = [:]
    /// Records received and verified recently (NODES answers and handshakes repeat them).
    public private(set) var recordCache: RecordCache
    private var challenges: ChallengeTable<Challenge>

    /// A handler for the node with `key` and `record` (the record must be `key`'s).
    public init(key: Secp256k1.PrivateKey, record: NodeRecord, config: SessionConfig = SessionConfig()) throws(SessionConfig.Invalid) {
        self.localKey = key
        self.recordCache = RecordCache(capacity: 1_024, shared: config.sharedRecords)
        self.localID = NodeID(publicKey: key.publicKey)
        self.localRecord = record
        self.config = try config.validated()
        self.sessions = SessionCache(capacity: config.sessionCapacity)
        self.challenges = ChallengeTable(capacity: config.maximumPendingChallenges)
    }

    /// Replaces the local record (e.g. after an endpoint change); later handshakes carry it.
    public mutating func updateLocalRecord(_ record: NodeRecord) {
        localRecord = record
    }

    /// Forgets the session and any pending challenge of `address` (a node that was banned).
    public mutating func forget(_ address: NodeAddress) {
        sessions.remove(address)
        challenges.remove(address)
    }

    /// Number of requests awaiting a response.
    public var pendingRequestCount: Int { requests.values.reduce(0) { $0 + $1.count } }

    /// Whether the request `id` sent to `address` still awaits (part of) its response.
    public func isAwaitingResponse(_ id: RequestID, from address: NodeAddress) -> Bool {
        requests[address]?.contains { $0.message.requestID == id } ?? false
    }

    /// Number of outstanding WHOAREYOU challenges.
    public var pendingChallengeCount: Int { challenges.count }

    /// The earliest time at which ``handleTimeout(now:)`` has work to do.
    public var nextDeadline: Duration? {
        // Index loops read each deadline in place; mapping the elements copied every pending
        // request and challenge, which made this the hottest spot of a bootnode under a join storm.
        var earliest: Duration?
        for list in requests.values {
            for index in list.indices where earliest.map({ list[index].deadline < $0 }) ?? true {
                earliest = list[index].deadline
            }
        }
        if let challenge = challenges.earliestDeadline, earliest.map({ challenge < $0 }) ?? true { earliest = challenge }
        return earliest
    }

    // MARK: Outgoing

    /// Sends the request `message` to `contact`, starting a handshake if there is no session.
    public mutating func sendRequest(
        _ message: Message, to contact: NodeContact, now: Duration, using random: inout some RandomNumberGenerator
    ) -> [SessionAction] {
        let address = contact.address
        let nonce = Self.randomBytes(MessageCipher.nonceByteCount, &random)
        let packet: [UInt8]
        do throws(DiscV5Error) {
            if let session = sessions.session(for: address) {
                packet = try sealMessage(message, nonce: nonce, to: address.nodeID, key: session.writeKey, using: &random)
            } else {
                // No session: a message packet the recipient cannot decrypt, to get its WHOAREYOU.
                packet = try PacketCodec.encode(
                    header: PacketHeader(nonce: nonce, authData: .message(source: localID)),
                    maskingIV: Self.randomBytes(HeaderMasking.ivByteCount, &random), destination: address.nodeID,
                    messageBytes: Self.randomBytes(44, &random))
            }
        } catch {
            return [.requestFailed(message.requestID, to: address, .failed(error))]
        }
        requests[address, default: []].append(PendingRequest(
            contact: contact, message: message, packet: packet, nonce: nonce,
            deadline: now + config.requestTimeout, retriesLeft: config.requestRetries,
            challengesAnswered: 0, nodesLeft: nil))
        return [.send(packet: packet, to: address.endpoint)]
    }

    /// Sends the response `message` over the established session with `address`.
    public mutating func sendResponse(
        _ message: Message, to address: NodeAddress, using random: inout some RandomNumberGenerator
    ) throws(DiscV5Error) -> [SessionAction] {
        guard let session = sessions.session(for: address) else { throw .noSession }
        let nonce = Self.randomBytes(MessageCipher.nonceByteCount, &random)
        let packet = try sealMessage(message, nonce: nonce, to: address.nodeID, key: session.writeKey, using: &random)
        return [.send(packet: packet, to: address.endpoint)]
    }

    private func sealMessage(
        _ message: Message, nonce: [UInt8], to destination: NodeID, key: [UInt8], using random: inout some RandomNumberGenerator
    ) throws(DiscV5Error) -> [UInt8] {
        try PacketCodec.seal(
            header: PacketHeader(nonce: nonce, authData: .message(source: localID)),
            maskingIV: Self.randomBytes(HeaderMasking.ivByteCount, &random), destination: destination,
            plaintext: MessageCodec.encode(message), key: key)
    }

    // MARK: Incoming

    /// Handles one datagram received from `endpoint`. Message and handshake packets whose source
    /// node `refuses` returns `true` for are dropped (``DiscV5Error/bannedNode``) before any
    /// decryption or challenge.
    public mutating func handlePacket(
        _ bytes: some Collection<UInt8>, from endpoint: Endpoint, now: Duration,
        using random: inout some RandomNumberGenerator, refusing refuses: (NodeID) -> Bool = { _ in false }
    ) -> [SessionAction] {
        do throws(DiscV5Error) {
            let packet = try PacketCodec.decode(bytes, local: localID)
            switch packet.header.authData {
            case .message(let source):
                guard !refuses(source) else { throw .bannedNode }
                return try handleMessagePacket(packet, from: NodeAddress(nodeID: source, endpoint: endpoint), now: now, using: &random)
            case .whoAreYou(let challenge):
                return try handleWhoAreYou(packet, challenge, from: endpoint, now: now, using: &random)
            case .handshake(let handshake):
                guard !refuses(handshake.source) else { throw .bannedNode }
                return try handleHandshake(
                    packet, handshake, from: NodeAddress(nodeID: handshake.source, endpoint: endpoint), now: now,
                    using: &random)
            }
        } catch {
            return [.dropped(from: endpoint, error)]
        }
    }

    private mutating func handleMessagePacket(
        _ packet: DecodedPacket, from address: NodeAddress, now: Duration, using random: inout some RandomNumberGenerator
    ) throws(DiscV5Error) -> [SessionAction] {
        if let session = sessions.session(for: address),
           let plaintext = try? packet.openMessage(key: session.readKey) {
            return try deliverAuthenticated(plaintext, of: packet, from: address)
        }
        // Unknown or stale session: challenge the sender, once per pending handshake.
        return try challenge(packet, from: address, now: now, using: &random)
    }

    /// Answers `packet` with a WHOAREYOU (or repeats the pending one for a retransmission).
    private mutating func challenge(
        _ packet: DecodedPacket, from address: NodeAddress, now: Duration, using random: inout some RandomNumberGenerator
    ) throws(DiscV5Error) -> [SessionAction] {
        if let (pending, deadline) = challenges[address], deadline > now {
            return pending.challengedNonce == packet.header.nonce ? [.send(packet: pending.packet, to: address.endpoint)] : []
        }
        let knownRecord = sessions.peek(address)?.record
            ?? requests[address]?.lazy.compactMap(\.contact.record).first
        let header = PacketHeader(
            nonce: packet.header.nonce,
            authData: .whoAreYou(WhoAreYouAuthData(
                idNonce: Self.randomBytes(WhoAreYouAuthData.idNonceByteCount, &random),
                enrSeq: knownRecord?.sequenceNumber ?? 0)))
        let maskingIV = Self.randomBytes(HeaderMasking.ivByteCount, &random)
        let whoAreYou = try PacketCodec.encode(header: header, maskingIV: maskingIV, destination: address.nodeID)
        challenges.insert(
            Challenge(challengeData: maskingIV + (try PacketCodec.headerBytes(header)), record: knownRecord,
                      challengedNonce: packet.header.nonce, packet: whoAreYou),
            for: address, deadline: now + config.handshakeTimeout, using: &random)
        return [.send(packet: whoAreYou, to: address.endpoint)]
    }

    private mutating func handleWhoAreYou(
        _ packet: DecodedPacket, _ challenge: WhoAreYouAuthData, from endpoint: Endpoint, now: Duration,
        using random: inout some RandomNumberGenerator
    ) throws(DiscV5Error) -> [SessionAction] {
        // The WHOAREYOU names the nonce of the packet it answers.
        guard let found = findRequest(endpoint: endpoint, nonce: packet.header.nonce) else {
            throw .unexpectedWhoAreYou
        }
        let address = found.address
        let index = found.index
        var request = found.request
        if let (_, deadline) = challenges[address], deadline > now,
           localID.bytes.lexicographicallyPrecedes(address.nodeID.bytes) {
            // Crossed handshakes: each side challenged the other. Only the node with the higher
            // id answers; this one waits for that handshake and then re-sends its requests in
            // the session it establishes (otherwise each side would end up with the other's keys).
            return []
        }
        if request.challengesAnswered >= Self.maximumChallengesPerRequest {
            // Challenged again and again: the handshakes do not take; give up.
            removeRequest(address, at: index)
            return [.requestFailed(request.message.requestID, to: address, .failed(.unexpectedWhoAreYou))]
        }
        let ephemeral = Secp256k1.PrivateKey.generate(using: &random)
        let ephemeralPublic = ephemeral.publicKey.compressedRepresentation
        let nonce = Self.randomBytes(MessageCipher.nonceByteCount, &random)
        let handshakePacket: [UInt8]
        let keys: SessionKeys
        do throws(DiscV5Error) {
            keys = try SessionKeys.deriveAsInitiator(
                ephemeralKey: ephemeral, recipientPublicKey: request.contact.publicKey, initiator: localID,
                recipient: address.nodeID, challengeData: packet.challengeData)
            let signature = try IDSignature.sign(
                staticKey: localKey, challengeData: packet.challengeData, ephemeralPublicKey: ephemeralPublic,
                recipient: address.nodeID)
            let record = challenge.enrSeq < localRecord.sequenceNumber ? localRecord.rlpEncoding : []
            let header = PacketHeader(nonce: nonce, authData: .handshake(HandshakeAuthData(
                source: localID, idSignature: signature, ephemeralPublicKey: ephemeralPublic, record: record)))
            handshakePacket = try PacketCodec.seal(
                header: header, maskingIV: Self.randomBytes(HeaderMasking.ivByteCount, &random),
                destination: address.nodeID, plaintext: MessageCodec.encode(request.message), key: keys.initiatorKey)
        } catch {
            removeRequest(address, at: index)
            return [.requestFailed(request.message.requestID, to: address, .failed(error))]
        }
        let session = Session.initiator(keys, record: request.contact.record)
        sessions.insert(session, for: address)
        request.packet = handshakePacket
        request.nonce = nonce
        request.challengesAnswered += 1
        request.deadline = now + config.requestTimeout

        var actions: [SessionAction] = [
            .send(packet: handshakePacket, to: address.endpoint),
            .sessionEstablished(address, record: request.contact.record),
        ]
        guard var pending = requests[address] else { return actions }
        pending[index] = request
        // Other requests to this node that went out before the session: re-send them in it.
        for other in pending.indices where other != index {
            let otherNonce = Self.randomBytes(MessageCipher.nonceByteCount, &random)
            guard let resent = try? sealMessage(
                pending[other].message, nonce: otherNonce, to: address.nodeID, key: session.writeKey, using: &random)
            else { continue }
            pending[other].packet = resent
            pending[other].nonce = otherNonce
            actions.append(.send(packet: resent, to: address.endpoint))
        }
        requests[address] = pending
        return actions
    }

    private mutating func handleHandshake(
        _ packet: DecodedPacket, _ handshake: HandshakeAuthData, from address: NodeAddress, now: Duration,
        using random: inout some RandomNumberGenerator
    ) throws(DiscV5Error) -> [SessionAction] {
        // The challenge is consumed only by a handshake that verifies, so a forged handshake
        // from a spoofed endpoint cannot cancel the real one.
        guard let challenge = challenges[address]?.value else {
            // A retransmitted handshake (our answer to it was lost): the session it established
            // opens its message; anything else is unexpected.
            if let session = sessions.session(for: address), let plaintext = try? packet.openMessage(key: session.readKey) {
                return try deliverAuthenticated(plaintext, of: packet, from: address)
            }
            // The challenge it answers expired: challenge this packet, so the sender can run
            // the handshake again (its request waits on this packet's nonce). The same limits as
            // for any undecryptable packet apply.
            let actions = try challenge(packet, from: address, now: now, using: &random)
            guard !actions.isEmpty else { throw .unexpectedHandshake }
            return actions
        }
        let record: NodeRecord
        if handshake.record.isEmpty {
            guard let known = challenge.record else { throw .missingRecord }
            record = known
        } else {
            do throws(ENRError) {
                record = try recordCache.record(rlp: handshake.record[...])
            } catch {
                throw .invalidRecord(error)
            }
        }
        guard NodeID(publicKey: record.publicKey) == handshake.source else { throw .recordNodeIDMismatch }
        guard IDSignature.isValid(
            handshake.idSignature, publicKey: record.publicKey, challengeData: challenge.challengeData,
            ephemeralPublicKey: handshake.ephemeralPublicKey, recipient: localID)
        else { throw .invalidIDSignature }
        let keys = try SessionKeys.deriveAsRecipient(
            staticKey: localKey, ephemeralPublicKey: handshake.ephemeralPublicKey, initiator: handshake.source,
            recipient: localID, challengeData: challenge.challengeData)
        let plaintext = try packet.openMessage(key: keys.initiatorKey)
        challenges.remove(address)
        let session = Session.recipient(keys, record: record)
        sessions.insert(session, for: address)
        var actions: [SessionAction] = [.sessionEstablished(address, record: record)]
        actions += try deliverAuthenticated(plaintext, of: packet, from: address)
        actions += resendPending(to: address, in: session, using: &random)
        return actions
    }

    /// Re-sends the requests pending for `address` in `session` (a session just established by
    /// the peer's handshake: what was sent before is not readable under it).
    private mutating func resendPending(
        to address: NodeAddress, in session: Session, using random: inout some RandomNumberGenerator
    ) -> [SessionAction] {
        guard var pending = requests[address] else { return [] }
        var actions: [SessionAction] = []
        for index in pending.indices {
            let nonce = Self.randomBytes(MessageCipher.nonceByteCount, &random)
            guard let packet = try? sealMessage(
                pending[index].message, nonce: nonce, to: address.nodeID, key: session.writeKey, using: &random)
            else { continue }
            pending[index].packet = packet
            pending[index].nonce = nonce
            actions.append(.send(packet: packet, to: address.endpoint))
        }
        requests[address] = pending
        return actions
    }

    /// Delivers the plaintext of `packet`, which decrypted under the session with `address`: a
    /// protocol violation in it is that node's doing and is reported as such.
    private mutating func deliverAuthenticated(
        _ plaintext: [UInt8], of packet: DecodedPacket, from address: NodeAddress
    ) throws(DiscV5Error) -> [SessionAction] {
        do throws(DiscV5Error) {
            return try deliver(plaintext, from: address)
        } catch where error.isProtocolViolation {
            return [.misbehaved(address, error, nonce: packet.header.nonce)]
        }
    }

    private mutating func deliver(_ plaintext: [UInt8], from address: NodeAddress) throws(DiscV5Error) -> [SessionAction] {
        let message = try MessageCodec.decode(plaintext, recordCache: &recordCache)
        if message.isRequest { return [.request(message, from: address)] }
        guard var pending = requests[address],
              let index = pending.firstIndex(where: {
                  $0.message.requestID == message.requestID && Self.answers($0.message, with: message)
              })
        else { throw .unexpectedResponse }
        if let total = message.responseTotal, total > 1 {
            // A multi-part answer (NODES, TOPICNODES, REGCONFIRMATION with auxiliary NODES) may come
            // in up to `total` messages (at most 16 are awaited).
            let left = (pending[index].nodesLeft ?? min(total, 16)) - 1
            if left > 0 {
                pending[index].nodesLeft = left
                requests[address] = pending
                return [.response(message, from: address)]
            }
        }
        removeRequest(address, at: index)
        return [.response(message, from: address)]
    }

    private static func answers(_ request: Message, with response: Message) -> Bool {
        switch (request, response) {
        case (.ping, .pong), (.findNode, .nodes), (.talkRequest, .talkResponse), (.regTopic, .regConfirmation),
             (.topicQuery, .topicNodes), (.regTopic, .nodes), (.topicQuery, .nodes): true
        default: false
        }
    }

    // MARK: Time

    /// Retries or fails requests whose deadline has passed and drops expired challenges.
    public mutating func handleTimeout(now: Duration) -> [SessionAction] {
        var actions: [SessionAction] = []
        for address in Self.ordered(requests.keys) {
            var kept: [PendingRequest] = []
            for var request in requests[address] ?? [] {
                guard request.deadline <= now else {
                    kept.append(request)
                    continue
                }
                if request.retriesLeft > 0 {
                    request.retriesLeft -= 1
                    // The peer answers the retry in full: await all its NODES messages again.
                    request.nodesLeft = nil
                    request.deadline = now + config.requestTimeout
                    actions.append(.send(packet: request.packet, to: address.endpoint))
                    kept.append(request)
                } else {
                    // No answer even in a session: it may be one-sided (the peer never got our
                    // handshake, or restarted); the next request starts a fresh handshake.
                    if request.challengesAnswered == 0 { sessions.remove(address) }
                    actions.append(.requestFailed(request.message.requestID, to: address, .timeout))
                }
            }
            requests[address] = kept.isEmpty ? nil : kept
        }
        challenges.expire(now: now)
        return actions
    }

    // MARK: Helpers

    private func findRequest(
        endpoint: Endpoint, nonce: [UInt8]
    ) -> (address: NodeAddress, index: Int, request: PendingRequest)? {
        for (address, pending) in requests where address.endpoint == endpoint {
            if let index = pending.firstIndex(where: { $0.nonce == nonce }) { return (address, index, pending[index]) }
        }
        return nil
    }

    private mutating func removeRequest(_ address: NodeAddress, at index: Int) {
        requests[address]?.remove(at: index)
        if requests[address]?.isEmpty == true { requests[address] = nil }
    }

    /// Addresses in a defined order (node id, then endpoint), so output does not depend on
    /// the per-process hash seed.
    private static func ordered(_ addresses: some Sequence<NodeAddress>) -> [NodeAddress] {
        addresses.sorted {
            if $0.nodeID != $1.nodeID { return $0.nodeID.bytes.lexicographicallyPrecedes($1.nodeID.bytes) }
            if $0.endpoint.ip != $1.endpoint.ip { return $0.endpoint.ip.lexicographicallyPrecedes($1.endpoint.ip) }
            return $0.endpoint.port < $1.endpoint.port
        }
    }

    static func randomBytes(_ count: Int, _ random: inout some RandomNumberGenerator) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: random.next()) { bytes += $0 }
        }
        return Array(bytes.prefix(count))
    }
}
