import DiscV5
import ENR
import P2PCrypto
import Testing
import TestSupport

/// Session-layer recovery on lossy networks: lost answers to handshakes, late handshakes.
@Suite struct SessionRecoveryTests {
    struct Pair {
        var a: SessionHandler
        var b: SessionHandler
        let endpointA: Endpoint
        let endpointB: Endpoint
        let contactB: NodeContact
        let ping = Message.ping(Ping(requestID: RequestID(1), enrSeq: 1))

        init() throws {
            var network = SessionNetwork()
            let a = try network.addNode(port: 1000)
            let b = try network.addNode(port: 2000)
            self.a = network.nodes[a].handler
            self.b = network.nodes[b].handler
            endpointA = network.nodes[a].endpoint
            endpointB = network.nodes[b].endpoint
            contactB = network.nodes[b].contact
        }

        static func packet(_ actions: [SessionAction]) -> [UInt8]? {
            for case .send(let packet, _) in actions { return packet }
            return nil
        }
    }

    @Test func aRetransmittedHandshakeIsAnsweredInItsSession() throws {
        var pair = try Pair()
        var random = SeededRandom(seed: 21)
        let first = try #require(Pair.packet(pair.a.sendRequest(pair.ping, to: pair.contactB, now: .zero, using: &random)))
        let whoAreYou = try #require(Pair.packet(pair.b.handlePacket(first, from: pair.endpointA, now: .zero, using: &random)))
        let handshake = try #require(Pair.packet(pair.a.handlePacket(whoAreYou, from: pair.endpointB, now: .zero, using: &random)))
        let accepted = pair.b.handlePacket(handshake, from: pair.endpointA, now: .milliseconds(10), using: &random)
        #expect(accepted.count == 2)
        // B's answer was lost; A's retry re-sends the handshake packet: B delivers it again.
        let again = pair.b.handlePacket(handshake, from: pair.endpointA, now: .milliseconds(600), using: &random)
        #expect(again.count == 1)
        if case .request(let message, _)? = again.first { #expect(message == pair.ping) } else { Issue.record("not delivered: \(again)") }
    }

    @Test func aHandshakeForAnExpiredChallengeIsChallengedAgain() throws {
        var pair = try Pair()
        var random = SeededRandom(seed: 22)
        let first = try #require(Pair.packet(pair.a.sendRequest(pair.ping, to: pair.contactB, now: .zero, using: &random)))
        let whoAreYou = try #require(Pair.packet(pair.b.handlePacket(first, from: pair.endpointA, now: .zero, using: &random)))
        let handshake = try #require(Pair.packet(pair.a.handlePacket(whoAreYou, from: pair.endpointB, now: .zero, using: &random)))
        // The handshake arrives after B's challenge expired: B challenges it instead of dropping it.
        _ = pair.b.handleTimeout(now: .seconds(2))
        #expect(pair.b.pendingChallengeCount == 0)
        let rechallenge = try #require(Pair.packet(pair.b.handlePacket(handshake, from: pair.endpointA, now: .seconds(2), using: &random)))
        let secondHandshake = try #require(Pair.packet(pair.a.handlePacket(rechallenge, from: pair.endpointB, now: .seconds(2), using: &random)))
        let accepted = pair.b.handlePacket(secondHandshake, from: pair.endpointA, now: .seconds(2), using: &random)
        #expect(accepted.contains { if case .request(pair.ping, _) = $0 { true } else { false } })
        #expect(pair.b.sessions.count == 1)
    }

    @Test func crossedHandshakesEndWithMatchingKeys() throws {
        var pair = try Pair()
        var random = SeededRandom(seed: 23)
        let contactA = NodeContact(record: pair.a.localRecord, endpoint: pair.endpointA)
        // Both send a request at once; each challenges the other.
        let fromA = try #require(Pair.packet(pair.a.sendRequest(pair.ping, to: pair.contactB, now: .zero, using: &random)))
        let fromB = try #require(Pair.packet(pair.b.sendRequest(pair.ping, to: contactA, now: .zero, using: &random)))
        let challengeForA = try #require(Pair.packet(pair.b.handlePacket(fromA, from: pair.endpointA, now: .zero, using: &random)))
        let challengeForB = try #require(Pair.packet(pair.a.handlePacket(fromB, from: pair.endpointB, now: .zero, using: &random)))
        var toB = pair.a.handlePacket(challengeForA, from: pair.endpointB, now: .zero, using: &random)
        var toA = pair.b.handlePacket(challengeForB, from: pair.endpointA, now: .zero, using: &random)
        // Exactly one side (the higher id) answered with a handshake; deliver everything until quiet.
        #expect((Pair.packet(toB) == nil) != (Pair.packet(toA) == nil))
        var delivered: [SessionAction] = []
        for _ in 0..<6 {
            var nextToA: [SessionAction] = []
            var nextToB: [SessionAction] = []
            for case .send(let packet, _) in toB {
                let produced = pair.b.handlePacket(packet, from: pair.endpointA, now: .milliseconds(5), using: &random)
                delivered += produced
                nextToA += produced
            }
            for case .send(let packet, _) in toA {
                let produced = pair.a.handlePacket(packet, from: pair.endpointB, now: .milliseconds(5), using: &random)
                delivered += produced
                nextToB += produced
            }
            // Answer requests so responses flow.
            for case .request(let message, let from) in nextToA + nextToB {
                guard case .ping(let ping) = message else { continue }
                let pong = Message.pong(Pong(requestID: ping.requestID, enrSeq: 1, recipientIP: from.endpoint.ip, recipientPort: from.endpoint.port))
                if from.endpoint == pair.endpointA {
                    nextToA += (try? pair.b.sendResponse(pong, to: from, using: &random)) ?? []
                } else {
                    nextToB += (try? pair.a.sendResponse(pong, to: from, using: &random)) ?? []
                }
            }
            toA = nextToA
            toB = nextToB
        }
        let responses = delivered.filter { if case .response = $0 { true } else { false } }
        #expect(responses.count == 2, "both requests answered: \(delivered)")
        #expect(pair.a.pendingRequestCount == 0)
        #expect(pair.b.pendingRequestCount == 0)
    }
}
