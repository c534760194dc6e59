@testable import DiscV5
import ENR
import P2PCrypto
import Testing
import TestSupport

/// Two (or three) handlers exchanging packets in memory.
struct SessionNetwork {
    struct Node {
        var key: Secp256k1.PrivateKey
        var record: NodeRecord
        var endpoint: Endpoint
        var handler: SessionHandler
        var contact: NodeContact { NodeContact(record: record, endpoint: endpoint) }
        var events: [SessionAction] = []
    }

    var nodes: [Node] = []
    var random = SeededRandom(seed: 1234)
    var now: Duration = .zero
    var packetsDelivered = 0

    mutating func addNode(port: UInt16, config: SessionConfig = SessionConfig()) throws -> Int {
        let key = Secp256k1.PrivateKey.generate(using: &random)
        var builder = NodeRecordBuilder(sequenceNumber: 1)
        try builder.setIP([127, 0, 0, 1])
        builder.setUDP(port)
        let record = try builder.signed(with: key)
        let handler = try SessionHandler(key: key, record: record, config: config)
        nodes.append(Node(key: key, record: record, endpoint: Endpoint(ip: [127, 0, 0, 1], port: port), handler: handler))
        return nodes.count - 1
    }

    /// Replaces node `index`'s handler with a fresh one (a restart: all sessions lost).
    mutating func restart(_ index: Int) throws {
        nodes[index].handler = try SessionHandler(key: nodes[index].key, record: nodes[index].record)
    }

    /// Processes `actions` emitted by node `index`: sends are delivered (recursively), everything
    /// else is recorded as that node's event.
    mutating func run(_ actions: [SessionAction], at index: Int) {
        var queue = actions.map { (index, $0) }
        while !queue.isEmpty {
            let (sender, action) = queue.removeFirst()
            guard case .send(let packet, let endpoint) = action else {
                nodes[sender].events.append(action)
                continue
            }
            guard let target = nodes.firstIndex(where: { $0.endpoint == endpoint }) else { continue }
            packetsDelivered += 1
            let source = nodes[sender].endpoint
            let time = now
            let produced = nodes[target].handler.handlePacket(packet, from: source, now: time, using: &random)
            queue += produced.map { (target, $0) }
        }
    }

    mutating func sendRequest(_ message: Message, from a: Int, to b: Int) {
        let contact = nodes[b].contact
        let time = now
        let actions = nodes[a].handler.sendRequest(message, to: contact, now: time, using: &random)
        run(actions, at: a)
    }

    /// Answers every pending request event of node `index` with `respond`.
    mutating func answerRequests(of index: Int, _ respond: (Message) -> Message) throws {
        let events = nodes[index].events
        nodes[index].events.removeAll()
        for event in events {
            guard case .request(let message, let from) = event else {
                nodes[index].events.append(event)
                continue
            }
            let actions = try nodes[index].handler.sendResponse(respond(message), to: from, using: &random)
            run(actions, at: index)
        }
    }

    func address(of index: Int) -> NodeAddress { nodes[index].contact.address }
}

func pong(for message: Message) -> Message {
    .pong(Pong(requestID: message.requestID, enrSeq: 1, recipientIP: [127, 0, 0, 1], recipientPort: 1))
}

@Suite("discv5 session handler")
struct SessionHandlerTests {
    @Test func handshakeThenRequestResponse() throws {
        var network = SessionNetwork()
        let a = try network.addNode(port: 1000)
        let b = try network.addNode(port: 2000)
        let ping = Message.ping(Ping(requestID: RequestID(1), enrSeq: 1))
        network.sendRequest(ping, from: a, to: b)
        // random packet, WHOAREYOU, handshake.
        #expect(network.packetsDelivered == 3)
        #expect(network.nodes[a].events == [.sessionEstablished(network.address(of: b), record: network.nodes[b].record)])
        // B learned A's record from the handshake (it challenged with enr-seq 0).
        #expect(network.nodes[b].events == [
            .sessionEstablished(network.address(of: a), record: network.nodes[a].record),
            .request(ping, from: network.address(of: a)),
        ])
        network.nodes[a].events.removeAll()
        try network.answerRequests(of: b, pong)
        #expect(network.nodes[a].events == [.response(pong(for: ping), from: network.address(of: b))])
        #expect(network.nodes[a].handler.pendingRequestCount == 0)
        #expect(network.nodes[a].handler.nextDeadline == nil)

        // The session carries the next request directly: one packet each way.
        network.nodes[a].events.removeAll()
        network.nodes[b].events.removeAll()
        network.packetsDelivered = 0
        let second = Message.findNode(FindNode(requestID: RequestID(2), distances: [256]))
        network.sendRequest(second, from: a, to: b)
        #expect(network.packetsDelivered == 1)
        #expect(network.nodes[b].events == [.request(second, from: network.address(of: a))])
        let recordB = network.nodes[b].record
        try network.answerRequests(of: b) { .nodes(Nodes(requestID: $0.requestID, total: 1, records: [recordB])) }
        #expect(network.packetsDelivered == 2)
        #expect(network.nodes[a].events.count == 1)
        #expect(network.nodes[a].handler.pendingRequestCount == 0)
    }

    @Test func rehandshakeAfterPeerLostSession() throws {
        var network = SessionNetwork()
        let a = try network.addNode(port: 1000)
        let b = try network.addNode(port: 2000)
        network.sendRequest(.ping(Ping(requestID: RequestID(1), enrSeq: 1)), from: a, to: b)
        try network.answerRequests(of: b, pong)
        try network.restart(b)
        network.nodes[a].events.removeAll()
        network.packetsDelivered = 0
        let ping = Message.ping(Ping(requestID: RequestID(7), enrSeq: 1))
        network.sendRequest(ping, from: a, to: b)
        // Message with the stale session, WHOAREYOU, new handshake.
        #expect(network.packetsDelivered == 3)
        #expect(network.nodes[b].events.last == .request(ping, from: network.address(of: a)))
        try network.answerRequests(of: b, pong)
        #expect(network.nodes[a].events.last == .response(pong(for: ping), from: network.address(of: b)))
    }

    @Test func timeoutsRetryThenFail() throws {
        var network = SessionNetwork()
        let a = try network.addNode(port: 1000)
        let b = try network.addNode(port: 2000)
        var handler = network.nodes[a].handler
        var random = SeededRandom(seed: 5)
        let first = handler.sendRequest(.ping(Ping(requestID: RequestID(1), enrSeq: 1)), to: network.nodes[b].contact,
                                        now: .seconds(10), using: &random)
        #expect(handler.nextDeadline == .seconds(10) + .milliseconds(500))
        #expect(handler.handleTimeout(now: .seconds(10) + .milliseconds(499)).isEmpty)
        let retry = handler.handleTimeout(now: .seconds(10) + .milliseconds(500))
        #expect(retry == first)  // the same packet is sent again
        #expect(handler.nextDeadline == .seconds(11))
        let failed = handler.handleTimeout(now: .seconds(11))
        #expect(failed == [.requestFailed(RequestID(1), to: network.address(of: b), .timeout)])
        #expect(handler.nextDeadline == nil)
        #expect(handler.pendingRequestCount == 0)
    }

    @Test func challengesExpire() throws {
        var network = SessionNetwork()
        let a = try network.addNode(port: 1000)
        let b = try network.addNode(port: 2000)
        var handlerA = network.nodes[a].handler
        var handlerB = network.nodes[b].handler
        let endpointA = network.nodes[a].endpoint
        let endpointB = network.nodes[b].endpoint
        var random = SeededRandom(seed: 8)
        let packets = handlerA.sendRequest(
            .ping(Ping(requestID: RequestID(1), enrSeq: 1)), to: network.nodes[b].contact, now: .zero, using: &random)
        guard case .send(let packet, _)? = packets.first else { Issue.record("no packet"); return }
        let challenge = handlerB.handlePacket(packet, from: endpointA, now: .zero, using: &random)
        #expect(challenge.count == 1)
        #expect(handlerB.pendingChallengeCount == 1)
        // A retransmission within the handshake timeout gets the same WHOAREYOU (ours was lost),
        // without a new challenge.
        #expect(handlerB.handlePacket(packet, from: endpointA, now: .milliseconds(10), using: &random) == challenge)
        #expect(handlerB.pendingChallengeCount == 1)
        #expect(handlerB.nextDeadline == .seconds(1))
        #expect(handlerB.handleTimeout(now: .seconds(1)).isEmpty)
        #expect(handlerB.pendingChallengeCount == 0)
        // The late handshake no longer matches a challenge: it does not establish a session;
        // it is challenged afresh (see SessionRecoveryTests) and a new challenge is pending.
        guard case .send(let whoAreYou, _)? = challenge.first else { Issue.record("no WHOAREYOU"); return }
        let handshake = handlerA.handlePacket(whoAreYou, from: endpointB, now: .zero, using: &random)
        guard case .send(let handshakePacket, _)? = handshake.first else { Issue.record("no handshake"); return }
        let late = handlerB.handlePacket(handshakePacket, from: endpointA, now: .seconds(2), using: &random)
        #expect(late.count == 1)
        #expect(late.allSatisfy { if case .send(_, endpointA) = $0 { true } else { false } })
        #expect(handlerB.sessions.count == 0)
        #expect(handlerB.pendingChallengeCount == 1)
    }

    /// Forged packets from random ids and addresses fill the challenge table; an honest node's
    /// request is still challenged (a random forged challenge makes room) and its handshake
    /// establishes the session.
    @Test func aFloodOfForgedPacketsDoesNotShutOutAnHonestHandshake() throws {
        var network = SessionNetwork()
        var small = SessionConfig()
        small.maximumPendingChallenges = 50
        let a = try network.addNode(port: 1000)
        let b = try network.addNode(port: 2000, config: small)
        var handlerA = network.nodes[a].handler
        var handlerB = network.nodes[b].handler
        var random = SeededRandom(seed: 12)
        for index in 0..<200 {
            let packet = try PacketCodec.encode(
                header: PacketHeader(nonce: SessionHandler.randomBytes(12, &random), authData: .message(source: DiscoveryNode.randomNodeID(&random))),
                maskingIV: SessionHandler.randomBytes(16, &random), destination: handlerB.localID,
                messageBytes: SessionHandler.randomBytes(40, &random))
            _ = handlerB.handlePacket(packet, from: Endpoint(ip: [100, 64, UInt8(index >> 8), UInt8(index & 0xFF)], port: 9),
                                      now: .milliseconds(Int64(index)), using: &random)
        }
        #expect(handlerB.pendingChallengeCount == 50)
        let request = handlerA.sendRequest(
            .ping(Ping(requestID: RequestID(1), enrSeq: 1)), to: network.nodes[b].contact, now: .milliseconds(300), using: &random)
        guard case .send(let packet, _)? = request.first else { Issue.record("no packet"); return }
        let challenge = handlerB.handlePacket(packet, from: network.nodes[a].endpoint, now: .milliseconds(300), using: &random)
        guard case .send(let whoAreYou, _)? = challenge.first else { Issue.record("a full table refused the honest node"); return }
        #expect(handlerB.pendingChallengeCount == 50)
        let handshake = handlerA.handlePacket(whoAreYou, from: network.nodes[b].endpoint, now: .milliseconds(350), using: &random)
        guard case .send(let handshakePacket, _)? = handshake.first else { Issue.record("no handshake"); return }
        let answer = handlerB.handlePacket(handshakePacket, from: network.nodes[a].endpoint, now: .milliseconds(400), using: &random)
        #expect(answer.contains { if case .sessionEstablished = $0 { true } else { false } })
        #expect(handlerB.sessions.count == 1)
    }

    @Test func unsolicitedPacketsAreDropped() throws {
        var network = SessionNetwork()
        let a = try network.addNode(port: 1000)
        let b = try network.addNode(port: 2000)
        var handlerA = network.nodes[a].handler
        let endpointB = network.nodes[b].endpoint
        var random = SeededRandom(seed: 9)
        // A WHOAREYOU that answers nothing.
        let whoAreYou = try PacketCodec.encode(
            header: PacketHeader(nonce: [UInt8](repeating: 1, count: 12),
                                 authData: .whoAreYou(WhoAreYouAuthData(idNonce: [UInt8](repeating: 2, count: 16), enrSeq: 0))),
            maskingIV: [UInt8](repeating: 3, count: 16), destination: handlerA.localID)
        #expect(handlerA.handlePacket(whoAreYou, from: endpointB, now: .zero, using: &random)
                == [.dropped(from: endpointB, .unexpectedWhoAreYou)])
        // Garbage.
        #expect(handlerA.handlePacket([1, 2, 3], from: endpointB, now: .zero, using: &random)
                == [.dropped(from: endpointB, .packetTooSmall(3))])
        // A response without a session cannot be sent.
        #expect(throws: DiscV5Error.noSession) {
            try handlerA.sendResponse(pong(for: .ping(Ping(requestID: RequestID(1), enrSeq: 1))),
                                      to: network.address(of: b), using: &random)
        }
    }

    @Test func handshakeFromImpostorIsRejected() throws {
        var network = SessionNetwork()
        let a = try network.addNode(port: 1000)
        let b = try network.addNode(port: 2000)
        let c = try network.addNode(port: 3000)
        var handlerB = network.nodes[b].handler
        let idB = handlerB.localID
        var random = SeededRandom(seed: 10)
        // C sends B a packet claiming to be A, from A's endpoint; B challenges A's address.
        let claimed = network.address(of: a)
        let fake = try PacketCodec.encode(
            header: PacketHeader(nonce: [UInt8](repeating: 4, count: 12), authData: .message(source: claimed.nodeID)),
            maskingIV: [UInt8](repeating: 5, count: 16), destination: idB,
            messageBytes: [UInt8](repeating: 6, count: 32))
        let challenge = handlerB.handlePacket(fake, from: claimed.endpoint, now: .zero, using: &random)
        guard case .send(let whoAreYouBytes, _)? = challenge.first else { Issue.record("no challenge"); return }
        let whoAreYou = try PacketCodec.decode(whoAreYouBytes, local: claimed.nodeID)
        // C answers with a handshake signed by its own key but A's id and A's record.
        let ephemeral = Secp256k1.PrivateKey.generate(using: &random)
        let signature = try IDSignature.sign(
            staticKey: network.nodes[c].key, challengeData: whoAreYou.challengeData,
            ephemeralPublicKey: ephemeral.publicKey.compressedRepresentation, recipient: idB)
        let keys = try SessionKeys.deriveAsInitiator(
            ephemeralKey: ephemeral, recipientPublicKey: network.nodes[b].key.publicKey, initiator: claimed.nodeID,
            recipient: idB, challengeData: whoAreYou.challengeData)
        let forged = try PacketCodec.seal(
            header: PacketHeader(nonce: [UInt8](repeating: 7, count: 12), authData: .handshake(HandshakeAuthData(
                source: claimed.nodeID, idSignature: signature, ephemeralPublicKey: ephemeral.publicKey.compressedRepresentation,
                record: network.nodes[a].record.rlpEncoding))),
            maskingIV: [UInt8](repeating: 8, count: 16), destination: idB,
            plaintext: MessageCodec.encode(.ping(Ping(requestID: RequestID(1), enrSeq: 1))), key: keys.initiatorKey)
        #expect(handlerB.handlePacket(forged, from: claimed.endpoint, now: .zero, using: &random)
                == [.dropped(from: claimed.endpoint, .invalidIDSignature)])
        #expect(handlerB.sessions.count == 0)
        // The forgery did not consume the challenge meant for the real A.
        #expect(handlerB.pendingChallengeCount == 1)
    }

    @Test func requestsQueuedBeforeTheSessionGoOutInIt() throws {
        var network = SessionNetwork()
        let a = try network.addNode(port: 1000)
        let b = try network.addNode(port: 2000)
        var random = SeededRandom(seed: 12)
        let contactB = network.nodes[b].contact
        var handlerA = network.nodes[a].handler
        // Two requests before any session: two random packets.
        let first = handlerA.sendRequest(.ping(Ping(requestID: RequestID(1), enrSeq: 1)), to: contactB, now: .zero, using: &random)
        _ = handlerA.sendRequest(.findNode(FindNode(requestID: RequestID(2), distances: [1, 2])), to: contactB, now: .zero, using: &random)
        network.nodes[a].handler = handlerA
        // Only the first reaches B; its WHOAREYOU leads to a handshake for it and a session
        // message for the second.
        network.run(first, at: a)
        let requestsAtB = network.nodes[b].events.compactMap { event -> RequestID? in
            if case .request(let message, _) = event { return message.requestID }
            return nil
        }
        #expect(requestsAtB == [RequestID(1), RequestID(2)])
        #expect(network.nodes[a].handler.pendingRequestCount == 2)
    }

    @Test func nodesResponsesCountTowardsTotal() throws {
        var network = SessionNetwork()
        let a = try network.addNode(port: 1000)
        let b = try network.addNode(port: 2000)
        let findNode = Message.findNode(FindNode(requestID: RequestID(3), distances: [256]))
        network.sendRequest(findNode, from: a, to: b)
        let recordB = network.nodes[b].record
        // B answers in three NODES messages.
        try network.answerRequests(of: b) { .nodes(Nodes(requestID: $0.requestID, total: 3, records: [recordB])) }
        #expect(network.nodes[a].handler.pendingRequestCount == 1)
        var random = SeededRandom(seed: 13)
        let addressA = network.address(of: a)
        var handlerB = network.nodes[b].handler
        let second = try handlerB.sendResponse(.nodes(Nodes(requestID: RequestID(3), total: 3, records: [])), to: addressA, using: &random)
        let third = try handlerB.sendResponse(.nodes(Nodes(requestID: RequestID(3), total: 3, records: [])), to: addressA, using: &random)
        let extra = try handlerB.sendResponse(.nodes(Nodes(requestID: RequestID(3), total: 3, records: [])), to: addressA, using: &random)
        network.nodes[b].handler = handlerB
        network.run(second, at: b)
        #expect(network.nodes[a].handler.pendingRequestCount == 1)
        network.run(third, at: b)
        #expect(network.nodes[a].handler.pendingRequestCount == 0)
        let responses = network.nodes[a].events.filter { if case .response = $0 { true } else { false } }
        #expect(responses.count == 3)
        // A fourth message matches nothing any more.
        guard case .send(let packet, _)? = extra.first else { Issue.record("no packet"); return }
        let endpointB = network.nodes[b].endpoint
        #expect(network.nodes[a].handler.handlePacket(packet, from: endpointB, now: .zero, using: &random)
                == [.dropped(from: endpointB, .unexpectedResponse)])
    }

    @Test func sessionCacheEvictsLeastRecentlyUsed() throws {
        var cache = SessionCache(capacity: 2)
        func address(_ byte: UInt8) -> NodeAddress {
            NodeAddress(nodeID: NodeID(bytes: [UInt8](repeating: byte, count: 32))!, endpoint: Endpoint(ip: [1, 1, 1, 1], port: 1))
        }
        let session = Session(writeKey: [1], readKey: [2], record: nil)
        #expect(cache.insert(session, for: address(1)) == nil)
        #expect(cache.insert(session, for: address(2)) == nil)
        #expect(cache.session(for: address(1)) == session)
        #expect(cache.insert(session, for: address(3)) == address(2))
        #expect(cache.peek(address(2)) == nil)
        #expect(cache.count == 2)
        // Same id, different endpoint: a different session.
        let moved = NodeAddress(nodeID: address(1).nodeID, endpoint: Endpoint(ip: [2, 2, 2, 2], port: 1))
        #expect(cache.peek(moved) == nil)
        #expect(cache.remove(address(1)) == session)
        #expect(cache.count == 1)
    }

    /// Thousands of random uses, insertions and removals evict exactly what a plain LRU list
    /// would (the cache keeps a lazily cleaned recency queue instead of scanning).
    @Test func sessionCacheEvictsAsAPlainLRUListWould() throws {
        var cache = SessionCache(capacity: 8)
        var reference: [UInt8] = []  // least recently used first
        var seeded = UInt64(7)
        func next(_ bound: UInt64) -> UInt64 {
            seeded = seeded &* 6364136223846793005 &+ 1442695040888963407
            return (seeded >> 33) % bound
        }
        func address(_ byte: UInt8) -> NodeAddress {
            NodeAddress(nodeID: NodeID(bytes: [UInt8](repeating: byte, count: 32))!, endpoint: Endpoint(ip: [1, 1, 1, 1], port: 1))
        }
        let session = Session(writeKey: [1], readKey: [2], record: nil)
        for _ in 0..<5_000 {
            let key = UInt8(next(20))
            switch next(3) {
            case 0:
                let evicted = cache.insert(session, for: address(key))
                var expected: UInt8?
                if let at = reference.firstIndex(of: key) {
                    reference.remove(at: at)
                } else if reference.count == 8 {
                    expected = reference.removeFirst()
                }
                reference.append(key)
                #expect(evicted == expected.map(address))
            case 1:
                let found = cache.session(for: address(key)) != nil
                #expect(found == reference.contains(key))
                if let at = reference.firstIndex(of: key) { reference.append(reference.remove(at: at)) }
            default:
                #expect((cache.remove(address(key)) != nil) == reference.contains(key))
                reference.removeAll { $0 == key }
            }
            #expect(cache.count == reference.count)
        }
    }

    @Test func configValidation() {
        var config = SessionConfig()
        #expect(throws: Never.self) { try config.validated() }
        config.sessionCapacity = 0
        #expect(throws: SessionConfig.Invalid.self) { try config.validated() }
        config = SessionConfig()
        config.requestTimeout = .zero
        #expect(throws: SessionConfig.Invalid.self) { try config.validated() }
    }
}
