@testable import DiscV5
import ENR
import Testing
import TestSupport

/// Advertising and searching a topic among discovery nodes that are all registrars, over the
/// cores' real packets on a small simulated network.
@Suite("topic network")
struct TopicNetworkTests {
    let topic = TopicID(hashing: "aztec/1/tx")

    /// 48 registrars joined through one bootnode; `advertisers` of them advertise the topic.
    func network(seed: UInt64, advertisers: Int) throws -> (DiscoveryNodeTests.Fixture, [Int]) {
        var fixture = DiscoveryNodeTests.Fixture(seed: seed)
        var config = DiscoveryConfig()
        config.topicRegistrar = TopicRegistrarConfig()
        let bootnode = try fixture.addNode(ip: [10, 0, 0, 1], config: config)
        config.bootnodes = [fixture.identities[bootnode].record]
        for index in 1..<48 { try fixture.addNode(ip: [10, UInt8(index), 0, 1], config: config) }
        fixture.startAll()
        fixture.network.run(until: .seconds(20))
        let chosen = Array(1...advertisers)
        let topic = self.topic
        for index in chosen {
            let started = fixture.network.perform(index) { node, now, random in node.advertiseTopic(topic, now: now, using: &random) }
            #expect(started)
        }
        return (fixture, chosen)
    }

    @Test func advertisersPlaceAdsThatASearcherFinds() throws {
        var (fixture, advertisers) = try network(seed: 41, advertisers: 4)
        fixture.network.run(until: .seconds(80))
        for index in advertisers {
            let status = try #require(fixture.network.nodes[index].advertisementStatus(of: topic, now: fixture.network.now))
            #expect(status.placed >= 3, "advertiser \(index): \(status)")
            #expect(status.failures == 0)
        }
        let admitted = fixture.network.nodes.reduce(0) { $0 + ($1.topicRegistrar?.statistics.admitted ?? 0) }
        #expect(admitted >= 4 * 3)

        let searcher = 40
        let topic = self.topic
        let id = try #require(fixture.network.perform(searcher) { node, now, random in node.searchTopic(topic, now: now, using: &random) })
        fixture.network.run(until: .seconds(110))
        let found = fixture.actions(of: searcher).compactMap { action -> [NodeRecord]? in
            if case .topicSearchFinished(id, let records) = action { return records }
            return nil
        }
        #expect(found.count == 1)
        let expected = Set(advertisers.map { fixture.identities[$0].nodeID })
        #expect(Set(found.first?.map(\.discoveryNodeID) ?? []) == expected)
    }

    @Test func anAdvertiserStopsPlacingWhenAskedTo() throws {
        var (fixture, advertisers) = try network(seed: 42, advertisers: 1)
        fixture.network.run(until: .seconds(30))
        let index = try #require(advertisers.first)
        fixture.network.nodes[index].stopAdvertising(topic)
        #expect(fixture.network.nodes[index].advertisedTopics.isEmpty)
        let admittedBefore = fixture.network.nodes.reduce(0) { $0 + ($1.topicRegistrar?.statistics.admitted ?? 0) }
        #expect(admittedBefore >= 1)
        fixture.network.run(until: .seconds(20 * 60))
        let admittedAfter = fixture.network.nodes.reduce(0) { $0 + ($1.topicRegistrar?.statistics.admitted ?? 0) }
        #expect(admittedAfter == admittedBefore)
        // Its advertisements expired and were not renewed.
        for index in fixture.network.nodes.indices { fixture.network.nodes[index].topicRegistrar?.removeExpired(now: fixture.network.now) }
        #expect(fixture.network.nodes.allSatisfy { ($0.topicRegistrar?.count ?? 0) == 0 })
    }
}
