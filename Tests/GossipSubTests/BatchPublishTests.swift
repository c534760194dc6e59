import Testing
@testable import GossipSub

/// Batch publishing: first copies before second copies, each peer's queue starting with a
/// different message.
@Suite struct BatchPublishTests {
    static let items = (0..<3).map { bytes(20_000, seed: UInt8(60 + $0)) }

    /// 3 messages to 4 peers (flood publishing): round r gives message k its peer (r + k) mod 4,
    /// one message per RPC; the first three sends carry three different messages.
    @Test func sendsGoInRoundsWithEachMessagesPeersRotated() throws {
        var router = try makeRouter(peers: 4)
        let (ids, tagged) = try router.publishBatch(topic: topic, data: Self.items, now: .zero)
        #expect(ids == Self.items.map { contentID.id(of: RawMessage(data: $0, topic: topic)) })
        let sends = tagged.map(\.action).sends
        #expect(sends.allSatisfy { $0.1.publish.count == 1 })
        let order = sends.map { ($0.0.n, contentID.id(of: $0.1.publish[0])) }
        var expected: [(UInt32, MessageID)] = []
        for round in 0..<4 {
            for k in 0..<3 { expected.append((UInt32((round + k) % 4 + 1), ids[k])) }
        }
        #expect(order.map(\.0) == expected.map(\.0))
        #expect(order.map(\.1) == expected.map(\.1))
        // Each action names the message it carries.
        #expect(tagged.allSatisfy { entry in
            guard case .send(_, let rpc) = entry.action else { return entry.message == nil }
            return entry.message == contentID.id(of: rpc.publish[0])
        })
        // Every peer gets every message once; each peer's first message is a different one for the first three.
        for peer in 1...4 { #expect(Set(sends.filter { $0.0.n == UInt32(peer) }.map { contentID.id(of: $0.1.publish[0]) }) == Set(ids)) }
        #expect(Set((1...3).map { peer in contentID.id(of: sends.first { $0.0.n == UInt32(peer) }!.1.publish[0]) }).count == 3)
    }

    /// The same messages as a batch and one by one reach the same peers; a message already
    /// seen is skipped; one too large stops the batch before anything is published.
    @Test func aBatchPublishesWhatSinglePublishesWould() throws {
        var batch = try makeRouter(peers: 5)
        var single = try makeRouter(peers: 5)
        let (ids, tagged) = try batch.publishBatch(topic: topic, data: Self.items, now: .zero)
        var one: [Action] = []
        for item in Self.items { one += try single.publish(topic: topic, data: item, now: .zero).actions }
        func pairs(_ actions: [Action]) -> Set<String> { Set(actions.messagesSent.map { "\($0.0)-\(contentID.id(of: $0.1))" }) }
        #expect(pairs(tagged.map(\.action)) == pairs(one))

        let again = try batch.publishBatch(topic: topic, data: [Self.items[0], bytes(100, seed: 9)], now: .seconds(1))
        #expect(again.ids == [contentID.id(of: RawMessage(data: bytes(100, seed: 9), topic: topic))])
        #expect(ids.count == 3)

        var fresh = try makeRouter(peers: 2) { $0.maxMessageSize = 1_000 }
        #expect(throws: PublishError.messageTooLarge(size: 20_000, limit: 1_000)) {
            try fresh.publishBatch(topic: topic, data: [bytes(10), Self.items[0]], now: .zero)
        }
        #expect(try fresh.publish(topic: topic, data: bytes(10), now: .zero).actions.messagesSent.count == 2)
    }
}
