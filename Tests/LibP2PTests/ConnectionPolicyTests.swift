import LibP2PCore
import Testing
@testable import LibP2P
import TestSupport

@Suite struct ConnectionPolicyTests {
    static func peers() throws -> (low: PeerID, high: PeerID) {
        var rng = SeededRandom(state: 4)
        let a = try LibP2PIdentity.generate(.ed25519, using: &rng).peerID
        let b = try LibP2PIdentity.generate(.ed25519, using: &rng).peerID
        return a.multihashBytes.lexicographicallyPrecedes(b.multihashBytes) ? (a, b) : (b, a)
    }

    /// Both peers see the same two connections (one dialed by each) in either order and keep the same one.
    @Test func bothSidesKeepTheConnectionDialedByTheSmallerPeerID() throws {
        let (low, high) = try Self.peers()
        // Connection X dialed by `low`, connection Y dialed by `high`.
        // At `low`: X is outbound (isDialer true), Y inbound.  At `high`: X inbound, Y outbound.
        for xFirst in [true, false] {
            let lowKeepsNew = ConnectionTieBreak.prefersNew(
                existingIsDialer: xFirst ? true : false, newIsDialer: xFirst ? false : true, local: low, remote: high)
            let lowKeepsX = xFirst ? !lowKeepsNew : lowKeepsNew
            let highKeepsNew = ConnectionTieBreak.prefersNew(
                existingIsDialer: xFirst ? false : true, newIsDialer: xFirst ? true : false, local: high, remote: low)
            let highKeepsX = xFirst ? !highKeepsNew : highKeepsNew
            #expect(lowKeepsX)
            #expect(highKeepsX)
        }
    }

    @Test func twoConnectionsInOneDirectionKeepTheOlder() throws {
        let (low, high) = try Self.peers()
        for dialer in [true, false] {
            #expect(!ConnectionTieBreak.prefersNew(existingIsDialer: dialer, newIsDialer: dialer, local: low, remote: high))
            #expect(!ConnectionTieBreak.prefersNew(existingIsDialer: dialer, newIsDialer: dialer, local: high, remote: low))
        }
    }

    @Test func countsEnforceEachLimit() {
        let limits = ConnectionLimits(maxInbound: 2, maxOutbound: 1, maxPendingInbound: 2, maxPendingOutbound: 1)
        let source = ConnectionSource(ip: [10, 0, 0, 1])
        var counts = ConnectionCounts()
        #expect(counts.admitOutbound(limits: limits) == nil)
        #expect(counts.admitOutbound(limits: limits) == .pending)
        #expect(counts.admitInbound(from: source, limits: limits) == nil)
        #expect(counts.admitInbound(from: source, limits: limits) == nil)
        #expect(counts.admitInbound(from: source, limits: limits) == .pending)
        let first = counts.upgradedOutbound(established: true, limits: limits)
        #expect(first)
        #expect(counts.admitOutbound(limits: limits) == .outbound)
        let failed = counts.upgradedInbound(from: source, established: false, limits: limits)
        #expect(!failed)
        let kept = counts.upgradedInbound(from: source, established: true, limits: limits)
        #expect(kept)
        #expect((counts.inbound, counts.outbound, counts.pending) == (1, 1, 0))
        #expect(counts.pendingBySource.isEmpty)
        #expect(counts.admitInbound(from: source, limits: limits) == nil)
        let second = counts.upgradedInbound(from: source, established: true, limits: limits)
        #expect(second)
        #expect(counts.admitInbound(from: source, limits: limits) == .inbound)
        counts.closed(dialer: false)
        counts.closed(dialer: true)
        #expect((counts.inbound, counts.outbound, counts.pending) == (1, 0, 0))
        #expect(counts.total == InboundRefusals(pendingFull: 1, inboundFull: 1, handshakesFailed: 1))
        #expect(throws: ConnectionUpgradeError.self) { try ConnectionLimits(maxInbound: 0).validated() }
        #expect(throws: ConnectionUpgradeError.self) { try ConnectionLimits(maxPendingInboundPerSource: 0).validated() }
        #expect(throws: ConnectionUpgradeError.self) { try ConnectionLimits(refusalLogInterval: .zero).validated() }
    }

    @Test func tcpMultiaddrTargets() throws {
        let peer = try Self.peers().low
        let v6 = try TCPMultiaddrTarget(Multiaddr("/ip6/::1/tcp/4001/p2p/\(peer)"))
        #expect(v6.host == "::1" && v6.port == 4001 && v6.peerID == peer)
        let v4 = try TCPMultiaddrTarget(Multiaddr("/ip4/127.0.0.1/tcp/80"))
        #expect(v4.host == "127.0.0.1" && v4.port == 80 && v4.peerID == nil)
        for bad in ["/ip4/127.0.0.1/udp/80", "/ip4/127.0.0.1", "/p2p/\(peer)", "/ip4/127.0.0.1/tcp/1/ws"] {
            #expect(throws: P2PError.self) { try TCPMultiaddrTarget(Multiaddr(bad)) }
        }
    }
}
