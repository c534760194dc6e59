import DiscV5
import ENR
import Testing
import TestSupport

/// The search plan (discv5 theory, "Lookup Procedure"): buckets from the furthest to the topic
/// inwards, `K_lookup` registrars per bucket, `parallelism` in flight, `F_lookup` advertisers.
@Suite("topic search plan")
struct TopicSearchTests {
    let topic = TopicID(hashing: "aztec/1/tx")
    let records: [NodeRecord]

    init() throws {
        var random = SeededRandom(seed: 31)
        records = try (0..<64).map { index in
            try TestIdentity(ip: [10, 0, UInt8(index / 256), UInt8(index % 256)], port: 9000, using: &random).record
        }
    }

    func distance(_ record: NodeRecord) -> Int { topic.logDistance(to: record.discoveryNodeID) }

    @Test func registrarsAreAskedFromTheFurthestBucketInwardsAtMostKPerBucket() {
        var settings = TopicSearch.Settings()
        settings.parallelism = 64
        settings.registrarsPerBucket = 2
        var search = TopicSearch(topic: topic, candidates: records, settings: settings)
        let asked = search.nextRegistrars()
        let distances = asked.map(distance)
        #expect(distances == distances.sorted(by: >))
        var perBucket: [Int: Int] = [:]
        for distance in distances { perBucket[distance, default: 0] += 1 }
        let available = Dictionary(grouping: records, by: distance).mapValues(\.count)
        for (distance, count) in perBucket { #expect(count == min(2, available[distance]!)) }
        #expect(Set(perBucket.keys) == Set(available.keys))
        // Nothing more to ask: every bucket had its K.
        #expect(search.nextRegistrars().isEmpty)
        for record in asked { search.registrarFailed(record.discoveryNodeID) }
        #expect(search.isFinished && search.failed == asked.count && search.advertisers.isEmpty)
    }

    @Test func atMostParallelismQueriesAreInFlight() {
        var search = TopicSearch(topic: topic, candidates: records)
        let first = search.nextRegistrars()
        #expect(first.count == 3)
        #expect(search.nextRegistrars().isEmpty)
        search.registrar(first[0].discoveryNodeID, answered: [])
        #expect(search.nextRegistrars().count == 1)
        #expect(search.answered == 1)
    }

    @Test func advertisersAreDistinctAndTheTargetEndsTheSearch() {
        var settings = TopicSearch.Settings()
        settings.advertiserTarget = 5
        var search = TopicSearch(topic: topic, candidates: Array(records[0..<20]), settings: settings)
        let advertisers = Array(records[40..<48])
        let first = search.nextRegistrars()
        search.registrar(first[0].discoveryNodeID, answered: Array(advertisers[0..<3]))
        search.registrar(first[1].discoveryNodeID, answered: Array(advertisers[1..<4]))
        #expect(search.advertisers == Array(advertisers[0..<4]))
        #expect(!search.isFinished)
        // An answer from a registrar that was not asked does not count.
        search.registrar(records[30].discoveryNodeID, answered: advertisers)
        #expect(search.advertisers.count == 4)
        search.registrar(first[2].discoveryNodeID, answered: Array(advertisers[3..<6]))
        #expect(search.isFinished && search.advertisers.count == 6)
        #expect(search.nextRegistrars().isEmpty)
    }

    @Test func recordsLearnedDuringTheSearchBecomeCandidatesOnce() {
        var settings = TopicSearch.Settings()
        settings.parallelism = 100
        var search = TopicSearch(topic: topic, candidates: [records[0]], settings: settings)
        #expect(search.nextRegistrars() == [records[0]])
        search.learn([records[0], records[1], records[1]])
        #expect(search.nextRegistrars() == [records[1]])
    }
}
