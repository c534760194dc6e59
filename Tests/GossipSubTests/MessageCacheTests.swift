import Testing
@testable import GossipSub

func message(_ n: Int, topic: String = topic) -> Message {
    let raw = RawMessage(data: bytes(8, seed: UInt8(n)) + [UInt8(n & 0xFF), UInt8(n >> 8)], topic: topic)
    return Message(id: contentID.id(of: raw), raw: raw)
}

@Suite struct MessageCacheTests {
    @Test func gossipCoversOnlyTheNewestWindowsOfTheTopic() {
        var cache = MessageCache<TestPeer>(windows: 5, gossipWindows: 3)
        var perWindow: [[MessageID]] = []
        for w in 0..<5 {
            let ms = [message(w * 10), message(w * 10 + 1)]
            ms.forEach { cache.put($0) }
            cache.put(message(w * 10 + 2, topic: "other"))
            perWindow.append(ms.map(\.id))
            if w < 4 { cache.shift() }
        }
        // Newest window first, insertion order inside a window.
        #expect(cache.gossipIDs(topic: topic) == perWindow[4] + perWindow[3] + perWindow[2])
        #expect(cache.gossipIDs(topic: "other").count == 3)
        // IWANT can reach the oldest window still held.
        #expect(cache.get(perWindow[0][0]) != nil)
        cache.shift()
        #expect(cache.get(perWindow[0][0]) == nil)
        #expect(cache.get(perWindow[1][0]) != nil)
        #expect(cache.count == 12)
    }

    @Test func putIsIdempotent() {
        var cache = MessageCache<TestPeer>(windows: 2, gossipWindows: 1)
        let firstPut = cache.put(message(1))
        #expect(firstPut)
        let secondPut = cache.put(message(1))
        #expect(!secondPut)
        #expect(cache.gossipIDs(topic: topic).count == 1)
    }

    @Test func countsIWantTransmissionsPerPeer() throws {
        var cache = MessageCache<TestPeer>(windows: 2, gossipWindows: 1)
        let m = message(1)
        cache.put(m)
        let firstSend = cache.getForPeer(m.id, peer: TestPeer(1))
        #expect(try #require(firstSend).1 == 1)
        let secondSend = cache.getForPeer(m.id, peer: TestPeer(1))
        #expect(try #require(secondSend).1 == 2)
        let otherPeerSend = cache.getForPeer(m.id, peer: TestPeer(2))
        #expect(try #require(otherPeerSend).1 == 1)
        let unknown = cache.getForPeer(MessageID([0]), peer: TestPeer(1))
        #expect(unknown == nil)
    }
}
