@testable import DiscV5
import ENR
import Testing
import TestSupport

/// Advertising and searching a topic among discovery nodes that are all registrars, over the
/// cores' real packets on a small simulated network.
@Suite("topic network")
struct TopicNetworkTests {
    let topic = TopicID(hashing: "aztec/1/tx")

    /// 48 registrars joined through one bootnode; `advertisers` of them advertise `topic`.
    /// Returns the network, the advertisers, and whether each started advertising.
    static func network(seed: UInt64, advertisers: Int, topic: TopicID) throws -> (DiscoveryNodeTests.Fixture, [Int], [Bool]) {
        var fixture = DiscoveryNodeTests.Fixture(seed: seed)
        var config = DiscoveryConfig()
        config.topicRegistrar = TopicRegistrarConfig()
        let bootnode = try fixture.addNode(ip: [10, 0, 0, 1], config: config)
        config.bootnodes = [fixture.identities[bootnode].record]
        for index in 1..<48 { try fixture.addNode(ip: [10, UInt8(index), 0, 1], config: config) }
        fixture.startAll()
        fixture.network.run(until: .seconds(20))
        let chosen = Array(1...advertisers)
        let started = chosen.map { index in
            fixture.network.perform(index) { node, now, random in node.advertiseTopic(topic, now: now, using: &random) }
        }
        return (fixture, chosen, started)
    }

    // The networks run on threads of their own (minutes of virtual time take seconds to minutes
    // of CPU: on the cooperative pool they starved other tests' sockets and child processes).

    @Test func advertisersPlaceAdsThatASearcherFinds() async throws {
        let topic = self.topic
        let searcher = 40
        let (fixture, advertisers, started, statuses, admitted, id) = try await onOwnThread(handingOver: {
            var (fixture, advertisers, started) = try Self.network(seed: 41, advertisers: 4, topic: topic)
            fixture.network.run(until: .seconds(80))
            let statuses = advertisers.map { fixture.network.nodes[$0].advertisementStatus(of: topic, now: fixture.network.now) }
            let admitted = fixture.network.nodes.reduce(0) { $0 + ($1.topicRegistrar?.statistics.admitted ?? 0) }
            let id = fixture.network.perform(searcher) { node, now, random in node.searchTopic(topic, now: now, using: &random) }
            fixture.network.run(until: .seconds(110))
            return (fixture, advertisers, started, statuses, admitted, id)
        })
        #expect(started.allSatisfy { $0 })
        for (index, status) in zip(advertisers, statuses) {
            let status = try #require(status)
            #expect(status.placed >= 3, "advertiser \(index): \(status)")
            #expect(status.failures == 0)
        }
        #expect(admitted >= 4 * 3)
        let search = try #require(id)
        let found = fixture.actions(of: searcher).compactMap { action -> [NodeRecord]? in
            if case .topicSearchFinished(search, let records) = action { return records }
            return nil
        }
        #expect(found.count == 1)
        let expected = Set(advertisers.map { fixture.identities[$0].nodeID })
        #expect(Set(found.first?.map(\.discoveryNodeID) ?? []) == expected)
    }

    @Test func anAdvertiserStopsPlacingWhenAskedTo() async throws {
        let topic = self.topic
        let (started, stoppedLocally, admittedBefore, admittedAfter, registrarsEmpty) = try await onOwnThread {
            var (fixture, advertisers, started) = try Self.network(seed: 42, advertisers: 1, topic: topic)
            fixture.network.run(until: .seconds(30))
            let index = advertisers[0]
            fixture.network.nodes[index].stopAdvertising(topic)
            let stoppedLocally = fixture.network.nodes[index].advertisedTopics.isEmpty
            let admittedBefore = fixture.network.nodes.reduce(0) { $0 + ($1.topicRegistrar?.statistics.admitted ?? 0) }
            fixture.network.run(until: .seconds(20 * 60))
            let admittedAfter = fixture.network.nodes.reduce(0) { $0 + ($1.topicRegistrar?.statistics.admitted ?? 0) }
            // Its advertisements expired and were not renewed.
            for index in fixture.network.nodes.indices { fixture.network.nodes[index].topicRegistrar?.removeExpired(now: fixture.network.now) }
            let registrarsEmpty = fixture.network.nodes.allSatisfy { ($0.topicRegistrar?.count ?? 0) == 0 }
            return (started, stoppedLocally, admittedBefore, admittedAfter, registrarsEmpty)
        }
        #expect(started == [true])
        #expect(stoppedLocally)
        #expect(admittedBefore >= 1)
        #expect(admittedAfter == admittedBefore)
        #expect(registrarsEmpty)
    }
}
