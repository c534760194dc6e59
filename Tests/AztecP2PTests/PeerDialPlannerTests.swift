import AztecP2P
import Testing

@Suite struct PeerDialPlannerTests {
    typealias Planner = PeerDialPlanner<Int>
    static let settings = PeerDialSettings(targetPeerCount: 3, lookupInterval: .seconds(10), dialBackoff: .seconds(30),
                                           simultaneousDialGrace: .seconds(2))

    static func candidates(_ peers: [Int], dialsFirst: Bool = true) -> [Planner.Candidate] {
        peers.map { .init(peer: $0, dialsFirst: dialsFirst) }
    }

    @Test func dialsUpToTheTargetCountingConnectionsAndDialsUnderWay() {
        var planner = Planner(settings: Self.settings)
        let first = planner.plan(connected: 1, candidates: Self.candidates([10, 11, 12, 13]), now: .zero)
        #expect(first.dials == [10, 11])
        #expect(!first.startLookup, "the candidates fill the gap")
        var short = Planner(settings: Self.settings)
        #expect(short.plan(connected: 0, candidates: Self.candidates([10]), now: .zero).startLookup, "two still missing")
        // The two dials are under way: nothing more to do.
        let second = planner.plan(connected: 1, candidates: Self.candidates([10, 11, 12, 13]), now: .seconds(1))
        #expect(second.dials.isEmpty && !second.startLookup)
        planner.dialFinished(10, connected: true, now: .seconds(1))
        let third = planner.plan(connected: 2, candidates: Self.candidates([11, 12, 13]), now: .seconds(2))
        #expect(third.dials.isEmpty, "11 is still being dialed; 2 connected + 1 dialing = target")
    }

    /// Peers that all dial a node fill its target, but it still dials until the minimum of its
    /// own connections is there (counting dials under way); without `outbound` nothing changes.
    @Test func aNodeFullOfInboundPeersStillDialsItsMinimumOfOutboundOnes() {
        var settings = Self.settings
        settings.targetPeerCount = 8
        settings.minimumOutboundPeers = 4
        var planner = Planner(settings: settings)
        let peers = Self.candidates(Array(30..<40))
        #expect(planner.plan(connected: 40, candidates: peers, now: .zero).dials.isEmpty)
        #expect(planner.plan(connected: 40, outbound: 1, candidates: peers, now: .zero).dials == [30, 31, 32])
        planner.dialFinished(30, connected: true, now: .seconds(1))
        #expect(planner.plan(connected: 41, outbound: 2, candidates: peers, now: .seconds(1)).dials.isEmpty,
                "31 and 32 are still being dialed")
        planner.dialFinished(31, connected: true, now: .seconds(2))
        planner.dialFinished(32, connected: true, now: .seconds(2))
        let enough = planner.wantsCandidates(connected: 43, outbound: 4, now: .seconds(3))
        #expect(!enough)
        // One of its own connections closed: it dials again.
        let short = planner.wantsCandidates(connected: 42, outbound: 3, now: .seconds(4))
        #expect(short)
        #expect(planner.plan(connected: 42, outbound: 3, candidates: Self.candidates([33]), now: .seconds(4)).dials == [33])
    }

    /// A node with its connections but a mesh short of D_low (its peers pruned it) dials one peer
    /// per missing mesh peer once the mesh has been short for the delay, at most `meshTopUp` more;
    /// a mesh short while connections are missing, or a mesh that recovers, starts nothing.
    @Test func aShortMeshDialsBeyondTheTargetAfterTheDelay() {
        var settings = Self.settings
        settings.meshTopUp = 2
        settings.meshTopUpDelay = .seconds(10)
        var planner = Planner(settings: settings)
        let peers = Self.candidates([20, 21, 22, 23])
        #expect(planner.plan(connected: 3, meshShortfall: 3, candidates: peers, now: .zero).dials.isEmpty)
        #expect(planner.plan(connected: 3, meshShortfall: 3, candidates: peers, now: .seconds(9)).dials.isEmpty)
        #expect(planner.plan(connected: 3, meshShortfall: 3, candidates: peers, now: .seconds(10)).dials == [20, 21])

        var recovering = Planner(settings: settings)
        _ = recovering.plan(connected: 3, meshShortfall: 1, candidates: peers, now: .zero)
        _ = recovering.plan(connected: 3, meshShortfall: 0, candidates: peers, now: .seconds(5))
        #expect(recovering.plan(connected: 3, meshShortfall: 1, candidates: peers, now: .seconds(12)).dials.isEmpty,
                "the mesh recovered in between: the delay starts again")
        #expect(recovering.plan(connected: 3, meshShortfall: 1, candidates: peers, now: .seconds(22)).dials == [20])

        // Connections that drop below the target restart the delay too.
        var dropping = Planner(settings: settings)
        let wants = [(3, 0), (2, 5), (3, 11), (3, 21)].map { connected, second in
            dropping.wantsCandidates(connected: connected, meshShortfall: 1, now: .seconds(second))
        }
        #expect(wants == [false, true, false, true], "the missing connection at 5 s, the top-up only 10 s after 11 s")

        // Inbound connections above the target leave less room for the top-up, not none: a
        // node one connection over its target (3) dials the one mesh peer it lacks; at the
        // target plus meshTopUp it dials no more.
        var over = Planner(settings: settings)
        _ = over.plan(connected: 4, meshShortfall: 1, candidates: peers, now: .zero)
        #expect(over.plan(connected: 4, meshShortfall: 1, candidates: peers, now: .seconds(10)).dials == [20])
        var full = Planner(settings: settings)
        _ = full.plan(connected: 5, meshShortfall: 2, candidates: peers, now: .zero)
        #expect(full.plan(connected: 5, meshShortfall: 2, candidates: peers, now: .seconds(10)).dials.isEmpty)
        var room = Planner(settings: settings)
        _ = room.plan(connected: 4, meshShortfall: 3, candidates: peers, now: .zero)
        #expect(room.plan(connected: 4, meshShortfall: 3, candidates: peers, now: .seconds(10)).dials == [20])

        var joining = Planner(settings: settings)
        _ = joining.plan(connected: 0, meshShortfall: 4, candidates: [], now: .zero)
        #expect(joining.plan(connected: 1, meshShortfall: 4, candidates: peers, now: .seconds(20)).dials == [20, 21],
                "short of connections: dials to the target only")
    }

    /// With the top-up's room used up and the mesh still short, the planner drops the first peer
    /// that backs the node off and dials a fresh one in its place; at most one such drop per
    /// delay, none while room is left, none without a candidate, and the dropped peer waits like
    /// a failed dial.
    @Test func aShortMeshWithNoRoomLeftReplacesAPeerThatBacksItOff() {
        var settings = Self.settings
        settings.meshTopUp = 2
        settings.meshTopUpDelay = .seconds(10)
        var planner = Planner(settings: settings)
        let fresh = Self.candidates([40, 41])
        // 5 connections = target 3 + top-up 2: short of two mesh peers for 10 s, nothing to dial.
        _ = planner.plan(connected: 5, meshShortfall: 2, candidates: fresh, replaceable: [7, 8], now: .zero)
        let wants = [(2, 9), (2, 10), (0, 10)].map { replaceable, second in
            planner.wantsCandidates(connected: 5, meshShortfall: 2, replaceable: replaceable, now: .seconds(second))
        }
        #expect(wants == [false, true, false], "after the delay, and only with a peer to replace")
        let drop = planner.plan(connected: 5, meshShortfall: 2, candidates: fresh, replaceable: [7, 8], now: .seconds(10))
        #expect(drop.disconnects == [7] && drop.dials.isEmpty)
        // The connection closed: its replacement is dialed within the top-up's room.
        let replace = planner.plan(connected: 4, meshShortfall: 2, candidates: Self.candidates([7, 40]), replaceable: [8],
                                   now: .seconds(11))
        #expect(replace.dials == [40] && replace.disconnects.isEmpty, "7 waits like a failed dial")
        planner.dialFinished(40, connected: true, now: .seconds(12))
        let early = planner.plan(connected: 5, meshShortfall: 2, candidates: fresh, replaceable: [8], now: .seconds(15))
        #expect(early.disconnects.isEmpty, "one drop per delay")
        let next = planner.plan(connected: 5, meshShortfall: 2, candidates: Self.candidates([41]), replaceable: [8], now: .seconds(20))
        #expect(next.disconnects == [8])

        var room = Planner(settings: settings)
        _ = room.plan(connected: 4, meshShortfall: 2, candidates: fresh, replaceable: [7], now: .zero)
        let topUp = room.plan(connected: 4, meshShortfall: 2, candidates: fresh, replaceable: [7], now: .seconds(10))
        #expect(topUp.dials == [40] && topUp.disconnects.isEmpty, "room left: a dial, no drop")

        var nobody = Planner(settings: settings)
        _ = nobody.plan(connected: 5, meshShortfall: 2, candidates: [], replaceable: [7], now: .zero)
        let alone = nobody.plan(connected: 5, meshShortfall: 2, candidates: [], replaceable: [7], now: .seconds(10))
        #expect(alone.disconnects.isEmpty, "no one to dial instead")
        var whole = Planner(settings: settings)
        _ = whole.plan(connected: 5, meshShortfall: 0, candidates: fresh, replaceable: [7], now: .zero)
        let kept = whole.plan(connected: 5, meshShortfall: 0, candidates: fresh, replaceable: [7], now: .seconds(10))
        #expect(kept.disconnects.isEmpty, "a whole mesh drops nothing")
    }

    /// The table's eligible peers in a random order; the peers beyond the table only while the
    /// table offers fewer than the target, and then after all of the table's.
    @Test func beyondTheTableOnlyWhileTheTableOffersTooFew() {
        let planner = Planner(settings: Self.settings)
        var random = SystemRandomNumberGenerator()
        let eligible: (Int) -> Planner.Candidate? = { $0 % 2 == 0 ? .init(peer: $0, dialsFirst: true) : nil }
        let oneBucket: (Int) -> Int = { _ in 256 }
        var asked = false
        let full = planner.orderedCandidates(table: Array(0..<10), distance: oneBucket, beyondTable: { asked = true; return [100] },
                                             using: &random, eligible: eligible)
        #expect(Set(full.map(\.peer)) == [0, 2, 4, 6, 8] && full.count == 5)
        #expect(!asked, "five eligible table peers reach the target of 3: the rest is not even gathered")
        let short = planner.orderedCandidates(table: [0, 1, 2, 3], distance: oneBucket, beyondTable: { Array(100..<110) },
                                              using: &random, eligible: eligible)
        #expect(Set(short.prefix(2).map(\.peer)) == [0, 2])
        #expect(Set(short.dropFirst(2).map(\.peer)) == [100, 102, 104, 106, 108] && short.count == 7)
        // Shuffled: 200 table peers are not offered in their order.
        let many = planner.orderedCandidates(table: Array(0..<400), distance: oneBucket, beyondTable: { [] }, using: &random,
                                             eligible: eligible)
        #expect(many.map(\.peer) != Array(stride(from: 0, to: 400, by: 2)))
    }

    /// One peer per bucket and round, farthest bucket first, the seven far buckets' rounds before
    /// the nearer ones': sybils that fill the nearest buckets (ids ground to be close) come after
    /// every peer of the far buckets, however many they are.
    @Test func dialsSpreadOverTheFarBucketsFirst() {
        var planner = Planner(settings: Self.settings)
        planner.lookupFinished()
        var random = SystemRandomNumberGenerator()
        // Honest peers 0..<40 in buckets 256 down to 247 (4 each, as in a network of a few thousand
        // nodes); 160 sybils 100..<260 in buckets 246 down to 237 (16 each).
        let honest = Array(0..<40), sybils = Array(100..<260)
        let distance: (Int) -> Int = { $0 < 100 ? 256 - $0 / 4 : 246 - ($0 - 100) / 16 }
        let order = planner.orderedCandidates(table: sybils + honest, distance: distance, beyondTable: { [] }, using: &random) {
            .init(peer: $0, dialsFirst: true)
        }.map(\.peer)
        #expect(order.count == 200 && Set(order).count == 200)
        #expect(order.prefix(7).map { distance($0) } == Array((250...256).reversed()), "a round of the far buckets, farthest first")
        #expect(order.prefix(28).allSatisfy { $0 < 100 }, "the 28 honest peers of the far buckets go first")
        #expect(order[28..<41].map { distance($0) } == Array((237...249).reversed()), "then rounds of the nearer buckets")
        #expect(order.prefix(40).filter { $0 >= 100 }.count == 9, "in 40 dials the 160 sybils get 9")
    }

    /// A young table (no lookup of the planner's has finished) holds what the node's lookup of its
    /// own id found: the bootnodes far away and whoever holds the ids nearest its own. Only the far
    /// peers are offered, from the table and beyond it, until a lookup has finished.
    @Test func aYoungTableOffersOnlyItsFarPeers() {
        var planner = Planner(settings: PeerDialSettings(targetPeerCount: 8))
        var random = SystemRandomNumberGenerator()
        let bootnodes = [0, 1, 2, 3], sybils = Array(100..<120), beyond = [200, 201, 300, 301]
        let distance: (Int) -> Int = { peer in
            switch peer {
            case ..<100: 256 - peer / 2
            case 200...: peer < 300 ? 255 : 240
            default: 246 - (peer - 100) / 10
            }
        }
        let young = planner.orderedCandidates(table: sybils + bootnodes, distance: distance, beyondTable: { beyond }, using: &random) {
            .init(peer: $0, dialsFirst: true)
        }.map(\.peer)
        #expect(Set(young) == Set(bootnodes + [200, 201]) && young.count == 6, "no sybil, no near peer beyond the table")
        #expect(!planner.hasExploredTheNetwork)
        let plan = planner.plan(connected: 0, candidates: young.map { .init(peer: $0, dialsFirst: true) }, now: .zero)
        #expect(plan.dials.count == 6 && plan.startLookup, "the dials it has, and the lookup that explores")
        planner.lookupFinished()
        #expect(planner.hasExploredTheNetwork)
        let explored = planner.orderedCandidates(table: sybils + bootnodes, distance: distance, beyondTable: { beyond }, using: &random) {
            .init(peer: $0, dialsFirst: true)
        }.map(\.peer)
        #expect(Set(explored.prefix(4)) == Set(bootnodes) && explored.count == 24, "then the near buckets, after the far ones")
    }

    @Test func staticPeersComeFirst() {
        var planner = Planner(settings: Self.settings)
        let plan = planner.plan(connected: 0, staticPeers: [99], candidates: Self.candidates([1, 2, 3]), now: .zero)
        #expect(plan.dials == [99, 1, 2])
    }

    @Test func aFailedDialWaitsForItsBackoff() {
        var planner = Planner(settings: Self.settings)
        #expect(planner.plan(connected: 2, candidates: Self.candidates([5]), now: .zero).dials == [5])
        planner.dialFinished(5, connected: false, now: .seconds(1))
        #expect(planner.plan(connected: 2, candidates: Self.candidates([5]), now: .seconds(30)).dials.isEmpty)
        #expect(planner.plan(connected: 2, candidates: Self.candidates([5]), now: .seconds(31)).dials == [5])
    }

    /// Failures in a row double the wait (30, 60, 120 s, at most the maximum); a connection
    /// forgets them, and so does a quiet spell of twice the last wait.
    @Test func repeatedFailuresDoubleTheBackoff() {
        var settings = Self.settings
        settings.maximumDialBackoff = .seconds(100)
        var planner = Planner(settings: settings)
        let peer = Self.candidates([5])
        var at = Duration.zero
        for wait in [30, 60, 100, 100] {
            #expect(planner.plan(connected: 2, candidates: peer, now: at).dials == [5], "after \(at)")
            planner.dialFinished(5, connected: false, now: at)
            #expect(planner.plan(connected: 2, candidates: peer, now: at + .seconds(wait) - .milliseconds(1)).dials.isEmpty)
            at += .seconds(wait)
        }
        #expect(planner.plan(connected: 2, candidates: peer, now: at).dials == [5])
        planner.dialFinished(5, connected: true, now: at)
        #expect(planner.backoff(after: 0) == .seconds(30) && planner.backoff(after: 3) == .seconds(100))
        planner.dialFinished(5, connected: false, now: at)   // not dialing: ignored
        #expect(planner.plan(connected: 2, candidates: peer, now: at + .seconds(1)).dials == [5], "the connection reset the count")
        planner.dialFinished(5, connected: false, now: at + .seconds(1))
        planner.dialFinished(5, connected: false, now: at + .seconds(1))
        #expect(planner.plan(connected: 2, candidates: peer, now: at + .seconds(31)).dials == [5], "one failure since: 30 s")
        planner.dialFinished(5, connected: false, now: at + .seconds(31))
        // Two in a row (60 s); forgotten 120 s later: the next failure waits 30 s again.
        #expect(planner.plan(connected: 2, candidates: peer, now: at + .seconds(90)).dials.isEmpty)
        #expect(planner.plan(connected: 2, candidates: peer, now: at + .seconds(152)).dials == [5])
        planner.dialFinished(5, connected: false, now: at + .seconds(152))
        #expect(planner.plan(connected: 2, candidates: peer, now: at + .seconds(182)).dials == [5])
    }

    @Test func thePeerThatDoesNotDialFirstWaitsTheGrace() {
        var planner = Planner(settings: Self.settings)
        #expect(planner.plan(connected: 2, candidates: Self.candidates([7], dialsFirst: false), now: .seconds(5)).dials.isEmpty)
        #expect(planner.plan(connected: 2, candidates: Self.candidates([7], dialsFirst: false), now: .seconds(6)).dials.isEmpty)
        #expect(planner.plan(connected: 2, candidates: Self.candidates([7], dialsFirst: false), now: .seconds(7)).dials == [7])
        // A peer that vanished from the candidates and comes back starts its grace again.
        var other = Planner(settings: Self.settings)
        _ = other.plan(connected: 2, candidates: Self.candidates([8], dialsFirst: false), now: .seconds(0))
        _ = other.plan(connected: 2, candidates: [], now: .seconds(1))
        #expect(other.plan(connected: 2, candidates: Self.candidates([8], dialsFirst: false), now: .seconds(2)).dials.isEmpty)
    }

    @Test func lookupsRunOneAtATimeAndAtMostOnceAnInterval() {
        var planner = Planner(settings: Self.settings)
        #expect(planner.plan(connected: 0, candidates: [], now: .zero).startLookup)
        #expect(!planner.plan(connected: 0, candidates: [], now: .seconds(20)).startLookup, "one is running")
        planner.lookupFinished()
        #expect(planner.plan(connected: 0, candidates: [], now: .seconds(21)).startLookup)
        planner.lookupFinished()
        #expect(!planner.plan(connected: 0, candidates: [], now: .seconds(25)).startLookup, "within the interval")
        #expect(!planner.plan(connected: 3, candidates: [], now: .seconds(40)).startLookup, "nothing missing")
    }
}
