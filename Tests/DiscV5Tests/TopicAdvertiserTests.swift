@testable import DiscV5
import ENR
import Testing
import TestSupport

/// The advertiser's plan: which registrars, when to retry with a ticket, renewal, exclusion.
@Suite("topic advertiser")
struct TopicAdvertiserTests {
    let topic = TopicID(hashing: "aztec/1/tx")
    var random = SeededRandom(seed: 31)
    let local: TestIdentity
    /// Capable registrars on distinct addresses.
    let registrars: [TestIdentity]

    init() throws {
        var random = SeededRandom(seed: 30)
        local = try TestIdentity(ip: [10, 0, 0, 1], port: 9000, topicDiscovery: true, using: &random)
        registrars = try (0..<40).map { try TestIdentity(ip: [10, 1, UInt8($0), 1], port: 9000, topicDiscovery: true, using: &random) }
    }

    func distance(_ identity: TestIdentity) -> Int { topic.logDistance(to: identity.nodeID) }

    /// Two registrars at the same distance from the topic.
    func sameBucketPair() throws -> (TestIdentity, TestIdentity) {
        let grouped = Dictionary(grouping: registrars, by: distance)
        let pair = try #require(grouped.values.first { $0.count >= 2 })
        return (pair[0], pair[1])
    }

    func settings(perBucket: Int) -> TopicAdvertiser.Settings {
        var settings = TopicAdvertiser.Settings()
        settings.registrationsPerBucket = perBucket
        return settings
    }

    @Test mutating func eachBucketGetsUpToKRegisterDistinctCapableRegistrars() throws {
        var advertiser = TopicAdvertiser(topic: topic, localID: local.nodeID, settings: settings(perBucket: 2))
        var plain = SeededRandom(seed: 32)
        let incapable = try (0..<5).map { try TestIdentity(ip: [10, 2, UInt8($0), 1], port: 9000, using: &plain) }
        advertiser.learn((registrars + incapable + [local]).map(\.record), now: .zero)
        let attempts = advertiser.due(now: .zero, using: &random)

        let chosen = attempts.map { $0.registrar.discoveryNodeID }
        #expect(Set(chosen).count == chosen.count)
        #expect(attempts.allSatisfy { $0.ticket.isEmpty })
        #expect(!chosen.contains(local.nodeID))
        #expect(Set(chosen).isDisjoint(with: incapable.map(\.nodeID)))
        let available = Dictionary(grouping: registrars, by: distance).mapValues(\.count)
        let placed = Dictionary(grouping: chosen) { topic.logDistance(to: $0) }.mapValues(\.count)
        #expect(placed == available.mapValues { min($0, 2) })
        // Everything is in flight: nothing more to send until answers come.
        #expect(advertiser.due(now: .seconds(1), using: &random).isEmpty)
        #expect(advertiser.status(now: .seconds(1)).pending == attempts.count)
    }

    @Test mutating func aTicketIsPresentedOnceItsWaitIsOver() throws {
        var advertiser = TopicAdvertiser(topic: topic, localID: local.nodeID)
        advertiser.learn([registrars[0].record], now: .zero)
        #expect(advertiser.due(now: .zero, using: &random).count == 1)
        advertiser.confirmed(by: registrars[0].nodeID, RegisterConfirmation(requestID: RequestID(1), ticket: [1, 2, 3], waitTime: 5_000),
                             now: .seconds(1))
        #expect(advertiser.nextDeadline == .seconds(6))
        #expect(advertiser.due(now: .seconds(5), using: &random).isEmpty)
        let retry = advertiser.due(now: .seconds(6), using: &random)
        #expect(retry == [TopicAdvertiser.Attempt(registrar: registrars[0].record, ticket: [1, 2, 3])])
    }

    @Test mutating func aPlacedAdvertisementIsRenewedShortlyBeforeItExpires() throws {
        var advertiser = TopicAdvertiser(topic: topic, localID: local.nodeID)
        advertiser.learn([registrars[0].record], now: .zero)
        _ = advertiser.due(now: .zero, using: &random)
        advertiser.confirmed(by: registrars[0].nodeID, RegisterConfirmation(requestID: RequestID(1), ticket: [], waitTime: 900_000),
                             now: .seconds(2))
        #expect(advertiser.status(now: .seconds(3)) == TopicAdvertiser.Status(placed: 1, pending: 0, admissions: 1, failures: 0))
        let renewal = Duration.seconds(2 + 900 - 60)
        #expect(advertiser.nextDeadline == .seconds(30))
        #expect(advertiser.due(now: .seconds(30), using: &random).isEmpty)
        #expect(advertiser.nextDeadline == .seconds(60))
        var now = Duration.seconds(60)
        while advertiser.nextDeadline < renewal {
            #expect(advertiser.due(now: now, using: &random).isEmpty)
            now = advertiser.nextDeadline
        }
        #expect(advertiser.nextDeadline == renewal)
        #expect(advertiser.due(now: renewal, using: &random) == [TopicAdvertiser.Attempt(registrar: registrars[0].record, ticket: [])])
        #expect(advertiser.status(now: renewal) == TopicAdvertiser.Status(placed: 1, pending: 1, admissions: 1, failures: 0))
    }

    @Test mutating func aFailingRegistrarIsReplacedFromItsBucketAndExcludedForAWhile() throws {
        let (first, second) = try sameBucketPair()
        var advertiser = TopicAdvertiser(topic: topic, localID: local.nodeID, settings: settings(perBucket: 1))
        advertiser.learn([first.record, second.record], now: .zero)
        let attempt = try #require(advertiser.due(now: .zero, using: &random).first)
        let other = attempt.registrar == first.record ? second : first
        advertiser.failed(attempt.registrar.discoveryNodeID, now: .seconds(1))
        #expect(advertiser.due(now: .seconds(1), using: &random).map(\.registrar) == [other.record])
        advertiser.failed(other.nodeID, now: .seconds(2))
        #expect(advertiser.due(now: .seconds(2), using: &random).isEmpty)
        #expect(advertiser.status(now: .seconds(2)).failures == 2)
        // Offered again while excluded: ignored; after the exclusion: chosen again.
        advertiser.learn([first.record, second.record], now: .seconds(3))
        #expect(advertiser.due(now: .seconds(3), using: &random).isEmpty)
        let later = Duration.seconds(2) + advertiser.settings.exclusion
        advertiser.learn([first.record, second.record], now: later)
        #expect(advertiser.due(now: later, using: &random).count == 1)
    }

    @Test mutating func aWaitBeyondTheLimitCountsAsARefusal() throws {
        var advertiser = TopicAdvertiser(topic: topic, localID: local.nodeID)
        advertiser.learn([registrars[0].record], now: .zero)
        _ = advertiser.due(now: .zero, using: &random)
        let tooLong = UInt64((advertiser.settings.maximumWait + .seconds(1)) / .milliseconds(1))
        advertiser.confirmed(by: registrars[0].nodeID, RegisterConfirmation(requestID: RequestID(1), ticket: [9], waitTime: tooLong),
                             now: .zero)
        #expect(advertiser.status(now: .zero) == TopicAdvertiser.Status(placed: 0, pending: 0, admissions: 0, failures: 1))
        #expect(advertiser.table.count == 0)
    }

    @Test mutating func aHostileRegistrarCannotHoldASlotForEver() throws {
        // Admitted for "ever": taken as the longest wait, renewed before that.
        var advertiser = TopicAdvertiser(topic: topic, localID: local.nodeID)
        advertiser.learn([registrars[0].record], now: .zero)
        _ = advertiser.due(now: .zero, using: &random)
        advertiser.confirmed(by: registrars[0].nodeID, RegisterConfirmation(requestID: RequestID(1), ticket: [], waitTime: .max), now: .zero)
        var now = Duration.zero
        while advertiser.nextDeadline < advertiser.settings.maximumWait, advertiser.due(now: now, using: &random).isEmpty {
            now = advertiser.nextDeadline
        }
        #expect(now <= advertiser.settings.maximumWait)
        #expect(advertiser.status(now: now).pending == 1)

        // Tickets without end: given up after `maximumTickets`.
        var patient = TopicAdvertiser(topic: topic, localID: local.nodeID)
        patient.learn([registrars[1].record], now: .zero)
        now = .zero
        var rounds = 0
        while !patient.due(now: now, using: &random).isEmpty {
            rounds += 1
            patient.confirmed(by: registrars[1].nodeID, RegisterConfirmation(requestID: RequestID(1), ticket: [1], waitTime: 1_000), now: now)
            now += .seconds(1)
        }
        #expect(rounds == patient.settings.maximumTickets + 1)
        #expect(patient.status(now: now).failures == 1)

        // Admitted for no time: a refusal, not a loop.
        var hasty = TopicAdvertiser(topic: topic, localID: local.nodeID)
        hasty.learn([registrars[2].record], now: .zero)
        _ = hasty.due(now: .zero, using: &random)
        hasty.confirmed(by: registrars[2].nodeID, RegisterConfirmation(requestID: RequestID(1), ticket: [], waitTime: 0), now: .zero)
        #expect(hasty.status(now: .zero) == TopicAdvertiser.Status(placed: 0, pending: 0, admissions: 0, failures: 1))
        #expect(hasty.due(now: .zero, using: &random).isEmpty)
    }

    @Test func theServiceTableKeepsAtMostItsCapacityPerDistance() throws {
        var table = ServiceTable(topic: topic, localID: local.nodeID, bucketCapacity: 2)
        for registrar in registrars { table.insert(registrar.record) }
        let perDistance = Dictionary(grouping: registrars, by: distance).mapValues { min($0.count, 2) }
        #expect(table.count == perDistance.values.reduce(0, +))
        for (distance, count) in perDistance { #expect(table.records(atDistance: distance).count == count) }
        // The hints name the furthest distances whose bucket is short of what is wanted.
        let hints = table.distancesWithRoom(wanted: 2, limit: 4)
        #expect(hints.count == 4)
        #expect(hints.allSatisfy { (perDistance[Int($0)] ?? 0) < 2 })
        #expect(hints == hints.sorted(by: >))
    }

    @Test mutating func auxiliaryRecordsAnswerEachHintOnceWithCapableNodesOnly() throws {
        var plain = SeededRandom(seed: 33)
        let incapable = try (0..<20).map { try TestIdentity(ip: [10, 2, UInt8($0), 1], port: 9000, using: &plain) }
        let known = (registrars + incapable).map { IdentifiedRecord(record: $0.record, nodeID: $0.nodeID) }
        let distances = Set(registrars.map(distance))
        let hints = distances.map(UInt16.init) + [1, 1]
        let answer = TopicDiscovery.auxiliaryRecords(for: hints, topic: topic, known: known, using: &random)
        #expect(answer.count == min(distances.count, TopicDiscovery.maximumHints))
        #expect(Set(answer.map { topic.logDistance(to: $0.discoveryNodeID) }).count == answer.count)
        #expect(answer.allSatisfy(ServiceTable.isCapable))

        // The requester keeps only capable records at distances it asked for, one each.
        let asked = try #require(hints.first)
        let accepted = TopicDiscovery.acceptedAuxiliary(registrars.map(\.record) + incapable.map(\.record), hints: [asked], topic: topic)
        #expect(accepted.count == 1)
        #expect(accepted.first.map { topic.logDistance(to: $0.discoveryNodeID) } == Int(asked))
    }
}
