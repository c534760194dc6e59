import AztecP2P
import Testing

@Suite struct PeerBanListTests {
    @Test func peersBelowTheThresholdAreBannedOnceAndForTheDuration() {
        var bans = PeerBanList<Int>(duration: .seconds(10), capacity: 8)
        let scores = [(1, -100.0), (2, 5.0), (3, -80.5), (4, -80.0)]
        #expect(bans.banPeers(scoredBelow: -80, scores, now: .seconds(1)) == [1, 3])
        #expect(bans.banPeers(scoredBelow: -80, scores, now: .seconds(2)).isEmpty)
        #expect(bans.isBanned(1, now: .seconds(10.9)) && !bans.isBanned(2, now: .seconds(2)))
        #expect(!bans.isBanned(1, now: .seconds(11)))
        #expect(bans.active(now: .seconds(5)).map(\.peer).sorted() == [1, 3])
        #expect(bans.active(now: .seconds(5)).first { $0.peer == 1 }?.score == -100)
        bans.expire(now: .seconds(11))
        #expect(bans.active(now: .seconds(0)).isEmpty)
    }

    @Test func pastItsCapacityTheBanEndingSoonestGoes() {
        var bans = PeerBanList<Int>(duration: .seconds(10), capacity: 3)
        for peer in 0..<5 { bans.ban(peer, score: -100, now: .seconds(Double(peer))) }
        #expect(bans.active(now: .seconds(5)).map(\.peer).sorted() == [2, 3, 4])
    }
}
