@testable import DiscV5
import DiscV5NIO
import ENR
import P2PCrypto
import Testing
import TestSupport

/// The UDP adapter's part of issue 15, items 11 and 12: an exclusive port, and each ban of the
/// core reported once on ``DiscoveryService/bans`` and counted in its statistics.
@Suite(.serialized) struct DiscoveryServiceAbuseTests {
    /// Waits until `condition` holds (polling), up to ten seconds.
    static func eventually(_ condition: () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(await condition()) {
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    @Test(.timeLimit(.minutes(1)))
    func aSecondServiceCannotBindThePortOfTheFirst() async throws {
        var random = SystemRandomNumberGenerator()
        let config = UDPLoopbackTests.patientConfig
        let first = try await DiscoveryService.start(key: .generate(using: &random), config: config, host: "127.0.0.1", port: 0)
        let port = Int(first.boundEndpoint.port)
        do {
            let second = try await DiscoveryService.start(key: .generate(using: &random), host: "127.0.0.1", port: port)
            await second.stop()
            Issue.record("a second service bound UDP port \(port)")
        } catch let error as DiscoveryServiceError {
            guard case .bindFailed(let host, let failedPort, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(host == "127.0.0.1" && failedPort == port)
            #expect("\(error)".contains("cannot bind UDP 127.0.0.1:\(port)"), "\(error)")
        }
        // The first one still hears its datagrams.
        let other = try await DiscoveryService.start(key: .generate(using: &random), config: config, host: "127.0.0.1", port: 0)
        #expect(try await other.ping(await first.localRecord).recipientPort == other.boundEndpoint.port)
        await other.stop()
        await first.stop()
    }

    /// A node run by hand over a plain socket: it completes a handshake with the service (a PING),
    /// then sends `violations` malformed PINGs in its session.
    struct Misbehaving: Sendable {
        var nodeID: NodeID
        var port: UInt16

        struct Unanswered: Error {}

        static func run(toward target: NodeRecord, violations: Int) throws -> Misbehaving {
            let socket = try UDPTestSocket()
            var random = SystemRandomNumberGenerator()
            let key = Secp256k1.PrivateKey.generate(using: &random)
            var builder = NodeRecordBuilder(sequenceNumber: 1)
            try builder.setIP([127, 0, 0, 1])
            builder.setUDP(socket.port)
            var node = try DiscoveryNode(key: key, record: try builder.signed(with: key), config: UDPLoopbackTests.patientConfig)
            let clock = ContinuousClock()
            let origin = clock.now
            var (id, actions) = node.ping(target, now: .zero, using: &random)
            var answered = false
            while !answered {
                guard clock.now - origin < .seconds(30) else { throw Unanswered() }
                for action in actions {
                    switch action {
                    case .send(let packet, let endpoint): socket.send(packet, to: endpoint)
                    case .pong(let answeredID, _, _) where answeredID == id: answered = true
                    default: break
                    }
                }
                actions = socket.receive(waitingAtMost: 50).map {
                    node.handlePacket($0.bytes, from: $0.source, now: clock.now - origin, using: &random)
                } ?? []
                if let deadline = node.nextDeadline, deadline <= clock.now - origin {
                    actions += node.handleTimeout(now: clock.now - origin, using: &random)
                }
            }
            let endpoint = try #require(target.udpEndpoint)
            let session = try #require(node.session.sessions.peek(NodeAddress(nodeID: target.discoveryNodeID, endpoint: endpoint)))
            for _ in 0..<violations {
                socket.send(try PacketCodec.seal(
                    header: PacketHeader(nonce: SessionHandler.randomBytes(12, &random), authData: .message(source: node.localID)),
                    maskingIV: SessionHandler.randomBytes(16, &random), destination: target.discoveryNodeID,
                    plaintext: [0x01, 0xC1], key: session.writeKey), to: endpoint)
            }
            return Misbehaving(nodeID: node.localID, port: socket.port)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aNodeViolatingTheProtocolInItsSessionIsBannedAndReportedOnce() async throws {
        var random = SystemRandomNumberGenerator()
        let service = try await DiscoveryService.start(
            key: .generate(using: &random), config: UDPLoopbackTests.patientConfig, host: "127.0.0.1", port: 0)
        let target = await service.localRecord
        // Three violations ban it; the two after the ban are dropped unread.
        let attacker = try await onOwnThread { try Misbehaving.run(toward: target, violations: 5) }
        var bans = service.bans.makeAsyncIterator()
        let ban = await bans.next()
        #expect(ban?.nodeID == attacker.nodeID)
        #expect(ban?.endpoint == Endpoint(ip: [127, 0, 0, 1], port: attacker.port))
        #expect(ban?.offences == 3)
        #expect(try await Self.eventually { await service.statistics.packetsFromBannedNodes == 2 })
        #expect(await service.statistics.bans == 1)
        #expect(await service.isBanned(attacker.nodeID))
        await service.stop()
        // The stream ends without a second report.
        #expect(await bans.next() == nil)
    }
}
