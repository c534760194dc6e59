@testable import DiscV5
import ENR
import Testing
import TestSupport

/// Who a discovery node bans, and for what (issue 15, item 11). Source addresses are not
/// authenticated, so garbage, replays and forgeries from a peer's address must cost that address
/// no more than rate limiting; only protocol violations in a node's own session (packets that
/// decrypt under its keys) may ban, and then that node id only, reported once.
@Suite struct DiscoveryAbuseTests {
    typealias Fixture = DiscoveryNodeTests.Fixture

    /// PINGs node `target` from node `from`, runs the network for a second and returns whether the
    /// PONG came back.
    static func pinged(_ fixture: inout Fixture, from: Int, to target: Int) -> Bool {
        let record = fixture.identities[target].record
        let id = fixture.network.perform(from) { node, now, random in node.ping(record, now: now, using: &random) }
        fixture.network.run(until: fixture.network.now + .seconds(1))
        return fixture.actions(of: from).contains { if case .pong(let answered, _, _) = $0 { answered == id } else { false } }
    }

    static func bans(_ fixture: Fixture, of index: Int) -> [DiscoveryBan] {
        fixture.actions(of: index).compactMap { if case .banned(let ban) = $0 { ban } else { nil } }
    }

    /// A message packet with `plaintext`, sealed with node `peer`'s session key for node `target`:
    /// only `peer` can make a packet `target` decrypts.
    static func sealed(_ plaintext: [UInt8], from peer: Int, to target: Int, in fixture: inout Fixture) throws -> [UInt8] {
        let targetID = fixture.identities[target].nodeID
        let address = NodeAddress(nodeID: targetID, endpoint: fixture.network.endpoints[target])
        let key = try #require(fixture.network.nodes[peer].session.sessions.peek(address)).writeKey
        let nonce = SessionHandler.randomBytes(12, &fixture.network.random)
        return try PacketCodec.seal(
            header: PacketHeader(nonce: nonce, authData: .message(source: fixture.identities[peer].nodeID)),
            maskingIV: SessionHandler.randomBytes(16, &fixture.network.random), destination: targetID,
            plaintext: plaintext, key: key)
    }

    @Test func replayedAndForgedPacketsFromAPeersAddressNeverBanThePeer() throws {
        var fixture = Fixture(seed: 31)
        let victim = try fixture.addNode(ip: [10, 0, 0, 1])
        let peer = try fixture.addNode(ip: [10, 0, 1, 1])
        fixture.startAll()
        // Record what the peer sends: a handshake, then a PING in the session.
        fixture.network.capturing = true
        #expect(Self.pinged(&fixture, from: peer, to: victim))
        #expect(Self.pinged(&fixture, from: peer, to: victim))
        fixture.network.capturing = false
        let peerEndpoint = fixture.network.endpoints[peer]
        let peerID = fixture.identities[peer].nodeID
        let victimID = fixture.identities[victim].nodeID
        let captured = fixture.network.captured.filter { $0.from == peerEndpoint && $0.to == fixture.network.endpoints[victim] }
        #expect(captured.count >= 3)

        // 100 rounds of: every captured packet replayed, garbage, and a message packet naming the
        // peer that does not decrypt, all from the peer's address (100 packets per second: within
        // its rate). The old rules banned the address after 50 invalid packets.
        var random = SeededRandom(seed: 32)
        for _ in 0..<100 {
            for packet in captured { fixture.network.inject(packet.packet, to: victim, from: peerEndpoint) }
            fixture.network.inject(SessionHandler.randomBytes(80, &random), to: victim, from: peerEndpoint)
            let forged = try PacketCodec.encode(
                header: PacketHeader(nonce: SessionHandler.randomBytes(12, &random), authData: .message(source: peerID)),
                maskingIV: SessionHandler.randomBytes(16, &random), destination: victimID,
                messageBytes: SessionHandler.randomBytes(40, &random))
            fixture.network.inject(forged, to: victim, from: peerEndpoint)
            fixture.network.run(until: fixture.network.now + .milliseconds(50))
        }
        // Then a burst far above the rate: refused, not held against anyone.
        for _ in 0..<1_000 { fixture.network.inject(SessionHandler.randomBytes(80, &random), to: victim, from: peerEndpoint) }
        fixture.network.run(until: fixture.network.now + .seconds(2))

        let node = fixture.network.nodes[victim]
        #expect(node.statistics.packetsRateLimited > 0)
        #expect(node.statistics.packetsDropped > 200)
        #expect(node.statistics.bans == 0)
        #expect(node.statistics.protocolViolations == 0)
        #expect(Self.bans(fixture, of: victim).isEmpty)
        #expect(!node.isBanned(peerID, now: fixture.network.now))
        #expect(node.table.entry(for: peerID) != nil)
        // Both directions still work.
        #expect(Self.pinged(&fixture, from: peer, to: victim))
        #expect(Self.pinged(&fixture, from: victim, to: peer))
    }

    @Test func protocolViolationsInItsOwnSessionBanThatNodeOnlyAndReportItOnce() throws {
        var fixture = Fixture(seed: 33)
        let victim = try fixture.addNode(ip: [10, 0, 0, 1])
        let peer = try fixture.addNode(ip: [10, 0, 1, 1])
        let neighbour = try fixture.addNode(ip: [10, 0, 1, 1], port: 9001)
        fixture.startAll()
        #expect(Self.pinged(&fixture, from: peer, to: victim))
        let peerID = fixture.identities[peer].nodeID
        let peerEndpoint = fixture.network.endpoints[peer]
        let threshold = fixture.network.nodes[victim].config.invalidMessagesBeforeBan
        #expect(threshold == 3)

        // A malformed PING (its RLP list cut short) in the peer's session, replayed ten times:
        // ten violations, but one packet, so one offence.
        let malformed = try Self.sealed([0x01, 0xC1], from: peer, to: victim, in: &fixture)
        for _ in 0..<10 { fixture.network.inject(malformed, to: victim, from: peerEndpoint) }
        #expect(fixture.network.nodes[victim].statistics.protocolViolations == 10)
        #expect(fixture.network.nodes[victim].statistics.bans == 0)
        #expect(fixture.network.nodes[victim].table.entry(for: peerID) != nil)

        // Two more distinct offending packets reach the threshold: the node id is banned.
        for plaintext: [UInt8] in [[0x01, 0xC1], []] {
            fixture.network.inject(try Self.sealed(plaintext, from: peer, to: victim, in: &fixture), to: victim, from: peerEndpoint)
        }
        let bans = Self.bans(fixture, of: victim)
        #expect(bans == [DiscoveryBan(
            nodeID: peerID, endpoint: peerEndpoint, reason: .emptyMessage, offences: 3,
            until: fixture.network.now + fixture.network.nodes[victim].config.banDuration)])
        var node = fixture.network.nodes[victim]
        #expect(node.statistics.bans == 1)
        #expect(node.isBanned(peerID, now: fixture.network.now))
        #expect(node.table.entry(for: peerID) == nil)
        #expect(node.session.sessions.peek(NodeAddress(nodeID: peerID, endpoint: peerEndpoint)) == nil)

        // The banned node's packets are dropped before decryption; no second report.
        let droppedBefore = node.statistics.packetsFromBannedNodes
        fixture.network.inject(try Self.sealed([0x01, 0xC1], from: peer, to: victim, in: &fixture), to: victim, from: peerEndpoint)
        #expect(!Self.pinged(&fixture, from: peer, to: victim))
        node = fixture.network.nodes[victim]
        #expect(node.statistics.packetsFromBannedNodes >= droppedBefore + 2)
        #expect(node.statistics.bans == 1)
        #expect(Self.bans(fixture, of: victim).count == 1)
        // Nor does the victim send it requests.
        let peerRecord = fixture.identities[peer].record
        let refused = fixture.network.perform(victim) { node, now, random in node.ping(peerRecord, now: now, using: &random) }
        #expect(fixture.actions(of: victim).contains(.requestFailed(refused, .failed(.bannedNode))))

        // Another node at the same IP address is not affected.
        #expect(Self.pinged(&fixture, from: neighbour, to: victim))
        #expect(fixture.network.nodes[victim].table.entry(for: fixture.identities[neighbour].nodeID) != nil)
        // The ban ends after its duration.
        #expect(!node.isBanned(peerID, now: fixture.network.now + node.config.banDuration))
    }

    @Test func offencesCountOncePerPacketWithinTheirWindowAndTheTableIsBounded() {
        var list = BanList<Int>(capacity: 4)
        func strike(_ key: Int, _ evidence: UInt8, at seconds: Int64) -> Int? {
            list.strike(key, evidence: [evidence], threshold: 3, window: .seconds(10), until: .seconds(100), now: .seconds(seconds))
        }
        #expect(strike(1, 1, at: 0) == nil)
        #expect(strike(1, 1, at: 0) == nil)  // the same packet again
        #expect(strike(1, 2, at: 1) == nil)
        // The window passes: counting starts over.
        #expect(strike(1, 3, at: 11) == nil)
        #expect(strike(1, 4, at: 12) == nil)
        #expect(strike(1, 5, at: 13) == 3)
        #expect(list.isBanned(1, now: .seconds(99)))
        #expect(!list.isBanned(1, now: .seconds(100)))
        #expect(list.offenderCount == 0)
        for key in 10..<100 { _ = strike(key, 0, at: 20) }
        #expect(list.offenderCount <= 4)
    }
}
